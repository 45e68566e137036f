import { CredentialSourceError } from './CredentialSourceError';
import type { SourceKind } from './CredentialSourceError';
import { redactText, redactedError } from './redact';

/** What {@link toSourceError} knows of the call that failed. */
export interface FailureContext {
  /** What was called, for the message: `IMDS at http://169.254.169.254`, `the container endpoint …`. */
  readonly where: string;
  /** The per-request timeout, for the message of a timeout. */
  readonly timeoutMs?: number;
}

const NETWORK_CODES = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|EPIPE|ETIMEDOUT)\b/;

function fieldOf(error: unknown, key: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[key] : undefined;
}

/** The HTTP status of an SDK error: a field, the SDK's metadata, or fromHttp's message (it keeps no field). */
function statusOf(error: unknown, message: string): number | undefined {
  const status = fieldOf(error, 'statusCode');
  if (typeof status === 'number') return status;
  const metadata = fieldOf(error, '$metadata') as { httpStatusCode?: unknown } | undefined;
  if (typeof metadata?.httpStatusCode === 'number' && metadata.httpStatusCode >= 300) return metadata.httpStatusCode;
  const said = /responded with status: (\d{3})/.exec(message)?.[1];
  return said === undefined ? undefined : Number(said);
}

/** What happened, in words a user can act on, without anything the source sent. */
function describe(error: unknown, message: string, status: number | undefined, context: FailureContext): string {
  const { where } = context;
  const code = fieldOf(error, 'code');
  const network = typeof code === 'string' && NETWORK_CODES.test(code) ? code : NETWORK_CODES.exec(message)?.[1];
  if (network !== undefined) return `${where} could not be reached (${network})`;
  if (/TimeoutError|timed out/i.test(message) || fieldOf(error, 'name') === 'TimeoutError') {
    return `${where} did not answer${context.timeoutMs === undefined ? '' : ` within ${context.timeoutMs} ms`}`;
  }
  if (error instanceof SyntaxError || /SyntaxError/.test(message)) {
    return `${where} answered with a body that is not JSON (an HTML page, a proxy's answer?)`;
  }
  if (status !== undefined) {
    const apiCode = fieldOf(error, 'Code') ?? fieldOf(error, 'name');
    const named = typeof apiCode === 'string' && /^[A-Za-z]+$/.test(apiCode) && apiCode !== 'Error' ? apiCode : '';
    return `${where} answered HTTP ${status}${named === '' || /ProviderError$/.test(named) ? '' : ` (${named})`}`;
  }
  return `${where}: ${redactText(message)}`;
}

/**
 * Turns what an SDK source package threw into a {@link CredentialSourceError} naming `source`. The
 * SDK's chain semantics are kept: its `tryNextLink: true` ("not configured here") stays true, anything
 * else stops a chain. The message and the `cause` (a redacted copy) carry no secret.
 */
export function toSourceError(
  source: SourceKind,
  error: unknown,
  context: FailureContext,
  options: { final?: boolean } = {},
): CredentialSourceError {
  if (error instanceof CredentialSourceError) return error;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const status = statusOf(error, message);
  return new CredentialSourceError(source, describe(error, message, status, context), {
    tryNextLink: fieldOf(error, 'tryNextLink') === true,
    ...(options.final === undefined ? {} : { final: options.final }),
    ...(status === undefined ? {} : { statusCode: status }),
    cause: redactedError(error),
  });
}
