import { describeError } from '../support';
import type { Logger } from '../types';
import { InvalidParameterError } from '../errors';

/** How {@link callbackSource} checks and asks for its value. */
export interface CallbackSourceOptions {
  /** The provider's name, for debug lines. */
  readonly provider: string;
  /** The option holding the source, named in errors, e.g. `samlAssertion`. */
  readonly option: string;
  /** What the value is, e.g. `a non-empty base64 SAML response`. */
  readonly what: string;
  /** The provider's error for a callback that fails (the cause kept) or answers something else. */
  readonly error: new (message: string, options?: { cause?: unknown }) => Error;
  /** STS's rules for a value the callback answers; must never put the value in a message. */
  readonly check: (value: string) => void;
  readonly logger: Logger;
}

/**
 * A secret a provider sends with each call (a SAML assertion, a web identity token), given as a
 * string or as an async function that fetches a fresh one. The type is checked now; the returned
 * function gives each fetch its value: the string, or the callback's answer, checked. The value
 * never appears in a message or a log line: it is a bearer credential.
 * @throws InvalidParameterError naming `options.option` when `source` is neither
 */
export function callbackSource(source: unknown, options: CallbackSourceOptions): () => Promise<string> {
  if (typeof source === 'string') return () => Promise.resolve(source);
  if (typeof source !== 'function') {
    throw new InvalidParameterError(options.option, `must be ${options.what} or an async function returning one`);
  }
  const ask = source as () => unknown;
  return async () => {
    options.logger.debug(`credchain:${options.provider} - asking the ${options.option} callback for a fresh value`);
    let value: unknown;
    try {
      value = await ask();
    } catch (error) {
      throw new options.error(`the ${options.option} callback failed: ${describeError(error)}`, { cause: error });
    }
    if (typeof value !== 'string' || value === '') {
      throw new options.error(`the ${options.option} callback must resolve to ${options.what}`);
    }
    options.check(value);
    return value;
  };
}
