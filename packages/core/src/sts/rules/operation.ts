import { InvalidParameterError } from '../../errors';
import { checkInteger, checkKeys, checkObject, isAbsent, type Fields } from './check';
import type { Check } from './fields';

/**
 * Lists every key of `T`. The list is checked against the SDK's type, so a parameter a new SDK adds
 * fails the typecheck here until it has a rule, instead of being refused as "unknown" at run time.
 */
export function allKeys<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K,
    ..._complete: [Exclude<keyof T, K[number]>] extends [never] ? [] : [missing: Exclude<keyof T, K[number]>]
  ): readonly string[] => keys;
}

export const duration =
  (min: number, max: number): Check =>
  (name, value) => {
    checkInteger(name, value, min, max);
  };
// The session token's padded size; the SDK documents 0–4096 bytes.
export const tokenSize: Check = (name, value) => {
  checkInteger(name, value, 0, 4096);
};

export function fieldsOf(operation: string, params: unknown, keys: readonly string[]): Fields {
  const fields = checkObject('params', params, `the ${operation} input (an object)`);
  checkKeys('', fields, keys, `a parameter of ${operation}`);
  return fields;
}

/** A code without a device cannot be checked by STS; a device without a code is asked for one. */
export function checkMfaPair(fields: Fields): void {
  if (!isAbsent(fields.TokenCode) && isAbsent(fields.SerialNumber)) {
    throw new InvalidParameterError('TokenCode', 'needs SerialNumber, the MFA device that produced it');
  }
}
