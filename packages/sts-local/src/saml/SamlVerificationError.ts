/**
 * The STS error a refused SAML response maps to:
 * - `InvalidIdentityToken`: not base64 or XML, not a SAML 2.0 Response, bad or missing signature,
 *   signature wrapping, wrong audience or recipient, a missing or invalid AWS attribute
 *   (AWS answers "RoleSessionName is required in AuthnResponse" with this code).
 * - `ExpiredToken`: the assertion's NotOnOrAfter has passed, or it is over five minutes old
 *   (wire code `ExpiredTokenException`, HTTP 400).
 * - `IDPRejectedClaim`: the IdP itself reported failure (a Status other than Success).
 * - `ValidationError`: reserved for request-parameter problems; the verifier does not raise it.
 */
export type SamlVerificationErrorCode =
  'InvalidIdentityToken' | 'ExpiredToken' | 'IDPRejectedClaim' | 'ValidationError';

/**
 * Why a SAML response was refused. The message is safe to return to the caller: it never quotes the
 * assertion, and the XML-signature library's own error is not kept as `cause` because its messages
 * quote signature values and XML fragments of the assertion.
 */
export class SamlVerificationError extends Error {
  override readonly name = 'SamlVerificationError';
  readonly code: SamlVerificationErrorCode;

  constructor(code: SamlVerificationErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
