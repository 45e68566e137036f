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
  const rawCode = typeof e.Code === 'string' ? e.Code : e.name;
  const code = rawCode.endsWith('Exception') ? rawCode.slice(0, -'Exception'.length) : rawCode;
  return new StsError(operation, code, e.message, e.$metadata?.httpStatusCode, e.$metadata?.requestId, {
    cause: withoutResponse(e),
  });
}

/**
 * The SDK's error without its hidden `$response` (which the SDK defines as non-configurable):
 * through it `util.inspect` with `showHidden` reaches the signed request, session token
 * included. The copy keeps the prototype (so `instanceof` the SDK's exception classes holds),
 * name, message, stack, `$metadata`, `$fault` and STS's `Code`/`Type`.
 */
function withoutResponse(error: Error): Error {
  if (!Object.hasOwn(error, '$response')) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Reflect.ownKeys(error)) {
    if (key === '$response') continue;
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (descriptor !== undefined) Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}
