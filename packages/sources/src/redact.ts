import type { Logger } from '@credchain/core';

// The SDK's source packages put what they were sent into messages: a command's stderr, a JSON parser's
// excerpt of a response body or token file, a server's own message. Everything of theirs that reaches a
// message, a log line or an error's `cause` here passes through `redactText` first.

const MAX_TEXT = 300;

/**
 * A run that reads like a key or a token: long, of base64 or URL-safe characters, mixing capitals,
 * small letters and digits. Words, paths, ARNs, access key ids (capitals and digits) and hex digests
 * (small letters and digits) do not match; secret access keys, session tokens and bearer tokens do.
 */
const RUN = /[A-Za-z0-9+/=_-]{24,}/g;
const looksSecret = (run: string): boolean => /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);

/** A JSON parser's message quotes the text around the fault, which may be part of a secret. */
const JSON_FAULT = /\bJSON\b/;
const PARSE_WORDS = /SyntaxError|Unexpected|Expected|Unterminated|Bad (control|escaped)|not valid JSON/;

export const WITHHELD = '[withheld]';

/** `text` without anything that could be a secret, one line, at most 300 characters. */
export function redactText(text: string): string {
  if (JSON_FAULT.test(text) && PARSE_WORDS.test(text)) return 'not valid JSON (excerpt withheld)';
  const clean = text
    .replace(RUN, (run) => (looksSecret(run) ? WITHHELD : run))
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

// Fields of Node's system errors and the SDK's errors that say what happened and carry no secret.
const SAFE_FIELDS = ['code', 'errno', 'syscall', 'address', 'port', 'statusCode', 'tryNextLink', 'Code'] as const;

/**
 * A copy of `error` fit to be a `cause`: its name, its message redacted, its stack frames, and only the
 * fields of {@link SAFE_FIELDS} (an SDK error may carry a response's body in others).
 */
export function redactedError(error: unknown): Error {
  if (!(error instanceof Error)) {
    return new Error(typeof error === 'string' ? redactText(error) : 'a value that is not an Error was thrown');
  }
  const copy = new Error(redactText(error.message));
  copy.name = error.name;
  const target = copy as unknown as Record<string, unknown>;
  for (const field of SAFE_FIELDS) {
    const value: unknown = (error as unknown as Record<string, unknown>)[field];
    if (typeof value === 'number' || typeof value === 'boolean') target[field] = value;
    else if (typeof value === 'string') target[field] = redactText(value);
  }
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  copy.stack = [`${copy.name}: ${copy.message}`, ...frames].join('\n');
  return copy;
}

/** One redacted line about `error`, for messages: `Name: message`. */
export function describeRedacted(error: unknown): string {
  const copy = redactedError(error);
  return `${copy.name}: ${copy.message}`;
}

/**
 * The logger handed to an SDK source package: its lines reach the provider's logger redacted, under
 * the provider's tag. Without one, some of them (IMDS's static-stability warning, fromHttp's warnings)
 * would go to `console`.
 */
export function sdkLogger(logger: Logger, tag: string): Logger {
  const line = (args: unknown[]): string =>
    args
      .map((arg) => (typeof arg === 'string' ? redactText(arg) : arg instanceof Error ? describeRedacted(arg) : '…'))
      .join(' ');
  return {
    debug: (...args: unknown[]) => logger.debug(`${tag} sdk: ${line(args)}`),
    info: (...args: unknown[]) => logger.info(`${tag} sdk: ${line(args)}`),
    warn: (...args: unknown[]) => logger.warn(`${tag} sdk: ${line(args)}`),
    error: (...args: unknown[]) => logger.error(`${tag} sdk: ${line(args)}`),
  };
}
