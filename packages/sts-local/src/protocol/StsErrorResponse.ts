/** Whether STS blames the caller (`Sender`) or itself (`Receiver`), as the Query protocol reports it. */
export type StsErrorType = 'Sender' | 'Receiver';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  ValidationError: 400,
  ExpiredTokenException: 400,
  // The credentials that signed the request are expired (a common, not operation, error).
  ExpiredToken: 403,
  MalformedPolicyDocument: 400,
  PackedPolicyTooLarge: 400,
  InvalidIdentityToken: 400,
  InvalidAuthorizationMessageException: 400,
  IDPCommunicationError: 400,
  InvalidAction: 400,
  MissingAction: 400,
  InvalidParameterValue: 400,
  Throttling: 400,
  IncompleteSignature: 400,
  MalformedQueryString: 404,
  AccessDenied: 403,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  MissingAuthenticationToken: 403,
  RegionDisabledException: 403,
  IDPRejectedClaim: 403,
  RequestEntityTooLarge: 413,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/**
 * An error STS answers with, thrown inside the server until the request handler writes it as the Query
 * protocol's `<ErrorResponse>`: a code, the HTTP status STS uses for it, and a message that never
 * carries a secret (callers build messages from parameter names, not from secret values). The server's
 * side of what a client sees as core's `StsError`, named apart so that one name means one thing.
 */
export class StsErrorResponse extends Error {
  override readonly name = 'StsErrorResponse';
  readonly code: string;
  readonly status: number;
  readonly type: StsErrorType;

  constructor(code: string, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? STATUS_BY_CODE[code] ?? 400;
    this.type = this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** `ValidationError` in the wording STS's request validator uses. */
export function validationError(message: string): StsErrorResponse {
  return new StsErrorResponse('ValidationError', message);
}

/** `AccessDenied` (403). */
export function accessDenied(message: string): StsErrorResponse {
  return new StsErrorResponse('AccessDenied', message);
}
