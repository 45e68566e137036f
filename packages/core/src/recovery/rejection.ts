/**
 * The error codes with which AWS services reject the credentials a request was signed with, as opposed
 * to refusing what the credentials may do (AccessDenied and the other authorization errors, which new
 * credentials of the same identity would meet too). STS and Query services answer ExpiredToken and
 * InvalidClientTokenId; JSON services (DynamoDB, Kinesis, …) ExpiredTokenException and
 * UnrecognizedClientException; a few (SimpleDB, older EC2 paths) InvalidToken. The SDKs never retry
 * them (they are not in @smithy/core's throttling, transient or clock-skew lists).
 */
export const REJECTION_CODES: ReadonlySet<string> = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidToken',
]);

/** The rejection code an SDK error carries (as its `name`, the way the SDK names service errors, or `Code`). */
export function rejectionCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, Code, code } = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const candidate of [name, Code, code]) {
    if (typeof candidate === 'string' && REJECTION_CODES.has(candidate)) return candidate;
  }
  return undefined;
}

/**
 * True when a member of a command's input is a body that can be read only once: a Node stream, a web
 * ReadableStream, an async iterable. Sending the request again would send it empty or fail; strings,
 * buffers, typed arrays and Blobs are read afresh.
 */
export function hasOneShotBody(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return false;
  return Object.values(input).some((value: unknown) => {
    if (typeof value !== 'object' || value === null) return false;
    const body = value as { pipe?: unknown; getReader?: unknown; [Symbol.asyncIterator]?: unknown };
    return (
      typeof body.pipe === 'function' ||
      typeof body.getReader === 'function' ||
      typeof body[Symbol.asyncIterator] === 'function'
    );
  });
}
