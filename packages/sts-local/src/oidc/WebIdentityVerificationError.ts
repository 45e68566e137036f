/**
 * The STS error a refused web identity token maps to:
 * - `InvalidIdentityToken`: not a JWT, unsupported alg (including `none`), unknown kid, bad
 *   signature, wrong issuer or audience, missing claims, nbf or iat in the future.
 * - `ExpiredToken`: `exp` has passed (wire code `ExpiredTokenException`, HTTP 400).
 * - `IDPRejectedClaim`: reserved for the caller's own claim rules; the verifier does not raise it.
 */
export type WebIdentityVerificationErrorCode = 'InvalidIdentityToken' | 'ExpiredToken' | 'IDPRejectedClaim';

/**
 * Why a web identity token was refused. The message is safe to return to the caller: it never
 * quotes the token, and the JOSE library's error is not kept as `cause` because its claim errors
 * carry the token's whole payload.
 */
export class WebIdentityVerificationError extends Error {
  override readonly name = 'WebIdentityVerificationError';
  readonly code: WebIdentityVerificationErrorCode;

  constructor(code: WebIdentityVerificationErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
