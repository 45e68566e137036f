import type { TemporaryCredentials } from './types';

/** Node's `util.inspect` hook, reached through the global symbol registry so no import is needed. */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export const REDACTED = '[redacted]';

function safeView(creds: TemporaryCredentials): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(creds)) {
    view[key] = key === 'secretAccessKey' || key === 'sessionToken' ? REDACTED : value;
  }
  return view;
}

/**
 * A copy of `creds` that stays a plain object (fields read and spread as usual) but whose
 * `util.inspect` and `JSON.stringify` hide the secret access key and session token. The hooks are
 * non-enumerable, so `{ ...creds }` is an ordinary object again, for a caller that means to
 * serialise the secret (credential_process output, say).
 */
export function redactCredentials<T extends TemporaryCredentials>(creds: T): T {
  const copy = { ...creds };
  Object.defineProperty(copy, INSPECT, {
    value(this: T, _depth: number, options: unknown, inspect: (v: unknown, o: unknown) => string) {
      return `TemporaryCredentials ${inspect(safeView(this), options)}`;
    },
    enumerable: false,
  });
  Object.defineProperty(copy, 'toJSON', {
    value(this: T) {
      return safeView(this);
    },
    enumerable: false,
  });
  return copy;
}
