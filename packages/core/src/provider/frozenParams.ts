import { InvalidParameterError } from '../errors';
import { keyName } from '../sts/rules/check';

/** How a provider's `params` is checked before it is copied. */
export interface ParamsSpec {
  /** The STS operation whose input `params` is, named in messages, e.g. `AssumeRole`. */
  readonly operation: string;
  /** What the input holds, shown in the message for a `params` that is not an object, e.g. `RoleArn, …`. */
  readonly fields?: string;
  /** True when `params` may be left out; an empty input is then used. @default false */
  readonly optional?: boolean;
  /**
   * Parameters that travel beside `params` instead of in it, each with the option that carries it
   * (`{ SAMLAssertion: 'samlAssertion' }`): found in `params`, they are refused by name.
   * @default {}
   */
  readonly elsewhere?: Readonly<Record<string, string>>;
}

/**
 * A copy of `value` made of new arrays and plain objects all the way down, each frozen. Strings,
 * numbers and other primitives stay as they are; so do functions, for the validators to refuse by
 * name. A structure that contains itself is refused: STS's input is plain data.
 */
function frozenCopy(value: unknown, path: string, open: Set<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (open.has(value)) throw new InvalidParameterError(path, 'contains itself: params must be plain data');
  open.add(value);
  try {
    const copy = Array.isArray(value)
      ? value.map((item: unknown, i) => frozenCopy(item, `${path}[${i}]`, open))
      : Object.fromEntries(
          Object.entries(value).map(([key, item]) => [
            key,
            frozenCopy(item, path === '' ? keyName(key) : `${path}.${keyName(key)}`, open),
          ]),
        );
    return Object.freeze(copy);
  } finally {
    open.delete(value);
  }
}

/**
 * Checks a provider factory's `init` and its `params`, and returns a deep, frozen copy of `params`
 * taken now: a caller changing their object afterwards (a nested array or object included) changes
 * nothing the provider sends, and the provider never changes the caller's object.
 * @throws InvalidParameterError naming `init`, `params`, or a parameter that belongs elsewhere
 */
export function frozenParams<I extends { readonly params?: object | undefined }>(
  init: I,
  spec: ParamsSpec,
): Readonly<NonNullable<I['params']>> {
  const options: unknown = init;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidParameterError(
      'init',
      spec.optional === true ? 'must be an options object' : 'must be an options object with params',
    );
  }
  const params: unknown = (options as { params?: unknown }).params;
  if (params === undefined && spec.optional === true) return Object.freeze({});
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    const fields = spec.fields === undefined ? '' : ` (${spec.fields})`;
    throw new InvalidParameterError('params', `must be the ${spec.operation} input object${fields}`);
  }
  for (const [key, option] of Object.entries(spec.elsewhere ?? {})) {
    if (key in params) throw new InvalidParameterError(`params.${key}`, `is not accepted: pass it as ${option}`);
  }
  return frozenCopy(params, '', new Set()) as NonNullable<I['params']>;
}
