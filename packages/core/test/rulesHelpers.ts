import { InvalidParameterError } from '../src/errors';

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/demo';
export const SAML_PROVIDER_ARN = 'arn:aws:iam::123456789012:saml-provider/corp-idp';
export const MFA_ARN = 'arn:aws:iam::123456789012:mfa/alice';
export const AUDIT_ROOT_TASK = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';

/** An ARN of exactly `n` characters (n ≥ 14): `arn:aws:s3:::bbb…`. */
export const arnOfLength = (n: number): string => `arn:aws:s3:::${'b'.repeat(n - 13)}`;

/** Runs `run` and returns the InvalidParameterError it throws; fails the test if it throws nothing else. */
export function invalid(run: () => void): InvalidParameterError {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof InvalidParameterError) return error;
    throw new Error(`expected an InvalidParameterError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an InvalidParameterError, but the parameters were accepted');
}

/** Asserts `run` throws an InvalidParameterError naming `parameter` (and containing `text`, if given). */
export function expectInvalid(run: () => void, parameter: string, text?: string | RegExp): InvalidParameterError {
  const error = invalid(run);
  expect(error.parameter).toBe(parameter);
  expect(error.message.startsWith(`${parameter} `)).toBe(true);
  if (typeof text === 'string') expect(error.message).toContain(text);
  else if (text) expect(error.message).toMatch(text);
  return error;
}

/** Flips the case of every other letter, so the result differs from `s` but folds to the same key. */
export function flipCase(s: string): string {
  return Array.from(s, (ch, i) => (i % 2 === 0 ? ch.toUpperCase() : ch.toLowerCase())).join('');
}
