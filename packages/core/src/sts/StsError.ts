import { CredchainError } from '../errors';
import { isFinalError } from '../isFinalError';

/**
 * STS answered with an error. `code` is STS's code (AccessDenied, ExpiredToken, …) whatever the
 * SDK named its exception; `cause` keeps the SDK's error. STS messages carry no secrets.
 */
export class StsError extends CredchainError {
  override name = 'StsError';
  /** True when a retry cannot help (see `isFinalError`). */
  readonly final: boolean;

  constructor(
    readonly operation: string,
    readonly code: string,
    message: string,
    readonly statusCode: number | undefined,
    readonly requestId: string | undefined,
    options: { cause: unknown },
  ) {
    super(`${operation} failed: ${code}: ${message}`, options);
    this.final = isFinalError({ name: code });
  }
}

interface SdkServiceError {
  name?: unknown;
  message?: unknown;
  Code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** Turns the SDK's error for an STS call into an `StsError`; other errors (network…) pass as they are. */
export function toStsError(operation: string, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as Error & SdkServiceError;
  if (e.$fault === undefined && e.$metadata === undefined) return error;
  if (e.$fault === undefined && Object.hasOwn(e, '$response')) return unreadableResponse(operation, e);
  // The SDK's retry layer stamps $metadata on network errors too: without a $fault or an HTTP
  // status, STS never answered, and the error passes as it is.
  // A custom requestHandler may throw anything the SDK then stamps with $metadata: read loosely.
  const metadata: { httpStatusCode?: unknown; requestId?: unknown } =
    typeof e.$metadata === 'object' && (e.$metadata as unknown) !== null ? e.$metadata : {};
  const answered = typeof metadata.httpStatusCode === 'number';
  if (e.$fault === undefined && !answered) return error;
  const rawCode = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : 'Unknown';
  const code = rawCode.endsWith('Exception') ? rawCode.slice(0, -'Exception'.length) : rawCode;
  const message = typeof e.message === 'string' ? e.message : 'no message';
  const status = typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  const requestId = typeof metadata.requestId === 'string' ? metadata.requestId : undefined;
  return new StsError(operation, code, message, status, requestId, {
    cause: withoutResponse(e),
  });
}

/** Code of an StsError for an answer the SDK could not deserialize (not one of STS's codes). */
export const UNREADABLE_RESPONSE = 'UnreadableResponse';

// A run of key-like characters long enough to be a secret key or token (AWS's are 40 and 100+).
const SECRET_LIKE = /[A-Za-z0-9+/=_-]{16,}/g;

/**
 * The SDK failed to deserialize STS's answer (truncated or malformed XML, an unparsable date…).
 * Its message may quote the body (`Invalid RFC3339 timestamp format <value>`) and ends with a
 * pointer to the hidden `$response` we drop, so only its first line is kept, with anything
 * secret-like in it masked — in the StsError and in the cause alike. Not final: a proxy that cut
 * one answer short may pass the next whole.
 */
function unreadableResponse(operation: string, e: Error & SdkServiceError): StsError {
  const kind = typeof e.name === 'string' ? e.name : 'Error';
  const firstLine = (typeof e.message === 'string' ? (e.message.split('\n')[0] ?? '') : '').replace(SECRET_LIKE, '…');
  const cause = withoutResponse(e);
  Object.defineProperty(cause, 'message', { value: firstLine, writable: true, configurable: true });
  const frames = stackOf(e)
    .split('\n')
    .filter((line) => /^\s+at /.test(line));
  Object.defineProperty(cause, 'stack', {
    value: [`${kind}: ${firstLine}`, ...frames].join('\n'),
    writable: true,
    configurable: true,
  });
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const requestId = typeof e.$metadata?.requestId === 'string' ? e.$metadata.requestId : undefined;
  return new StsError(
    operation,
    UNREADABLE_RESPONSE,
    `the SDK could not read STS's answer${status === undefined ? '' : ` (HTTP ${status})`}: ${kind}: ${firstLine}`,
    status,
    requestId,
    { cause },
  );
}

/** An error's stack, or '' when formatting it throws (a `name` that cannot become a string). */
function stackOf(e: Error): string {
  try {
    return typeof e.stack === 'string' ? e.stack : '';
  } catch {
    return '';
  }
}

// `$response` holds the signed request (session token included); `$responseBodyText`, which the
// SDK's XML parser adds on a parse failure, holds the whole raw body (credentials included).
const HIDDEN_BODY_KEYS: readonly string[] = ['$response', '$responseBodyText'];

/**
 * The SDK's error without its hidden `$response` (which the SDK defines as non-configurable):
 * through it `util.inspect` with `showHidden` reaches the signed request, session token
 * included. The copy keeps the prototype (so `instanceof` the SDK's exception classes holds),
 * name, message, stack, `$metadata`, `$fault` and STS's `Code`/`Type`.
 */
function withoutResponse(error: Error): Error {
  if (!HIDDEN_BODY_KEYS.some((key) => Object.hasOwn(error, key))) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Reflect.ownKeys(error)) {
    if (typeof key === 'string' && HIDDEN_BODY_KEYS.includes(key)) continue;
    // Reading `stack` formats it on first access, which throws for an error whose `name` cannot
    // become a string (a null-prototype object): such a property is left out of the copy.
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Object.getOwnPropertyDescriptor(error, key);
    } catch {
      continue;
    }
    if (descriptor !== undefined) Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}
