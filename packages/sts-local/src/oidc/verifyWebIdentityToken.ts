import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { WebIdentityVerificationError } from './WebIdentityVerificationError';

/** Options of {@link verifyWebIdentityToken}: the OIDC provider as IAM holds it. */
export interface VerifyWebIdentityTokenOptions {
  /** The provider's issuer URL, with or without `https://` (IAM stores it without). */
  readonly issuer: string;
  /** The provider's client IDs (audiences); the token's `aud` must contain one. */
  readonly audiences: readonly string[];
  /** The provider's public keys. */
  readonly jwks: { readonly keys: readonly object[] };
  /** The current time in epoch milliseconds; every time check uses it, never the wall clock. */
  readonly now: number;
}

/** The claims of a verified token. `aud` is the one audience that matched the provider's list. */
export interface WebIdentityClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

/** The signature algorithms STS accepts from OIDC providers. `none` and HMAC are never among them. */
export const WEB_IDENTITY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];

// AWS's wording where it is known; the token itself is never quoted.
const NOT_A_JWT = 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)';
const NO_KEY =
  "Couldn't retrieve verification key from your identity provider,  " +
  'please reference AssumeRoleWithWebIdentity documentation for requirements';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const refuse = (message: string): WebIdentityVerificationError =>
  new WebIdentityVerificationError('InvalidIdentityToken', message);

/**
 * Verifies an OIDC ID token the way STS's AssumeRoleWithWebIdentity does: the signature against the
 * provider's JWKS (RS256/ES256 family, by `kid`), `iss` equal to the provider (IAM ignores the
 * `https://`), `aud` among the provider's client IDs, `exp` required and not passed, `nbf` and `iat`
 * not in the future. All at `now`, with no clock tolerance, so tests can hit each boundary exactly.
 *
 * @throws WebIdentityVerificationError with the STS error code to answer with.
 * @throws TypeError when an option is unusable (a configuration mistake, not a bad token).
 */
export async function verifyWebIdentityToken(
  token: string,
  opts: VerifyWebIdentityTokenOptions,
): Promise<WebIdentityClaims> {
  const { now, issuer, audiences } = opts;
  if (typeof now !== 'number' || !Number.isFinite(now))
    throw new TypeError('now must be a finite number of epoch milliseconds');
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('issuer must be the OIDC provider URL');
  if (!Array.isArray(audiences) || audiences.length === 0)
    throw new TypeError('audiences must list at least one client ID');
  let keySet: ReturnType<typeof createLocalJWKSet>;
  try {
    keySet = createLocalJWKSet(opts.jwks as JSONWebKeySet);
  } catch {
    throw new TypeError('jwks must be a JSON Web Key Set ({ keys: [...] })');
  }

  if (typeof token !== 'string' || !COMPACT_JWS.test(token)) throw refuse(NOT_A_JWT);
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw refuse(NOT_A_JWT);
  }
  if (typeof alg !== 'string' || !WEB_IDENTITY_ALGORITHMS.includes(alg)) {
    throw refuse(`The web identity token's signing algorithm must be one of ${WEB_IDENTITY_ALGORITHMS.join(', ')}`);
  }

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySet, {
      algorithms: WEB_IDENTITY_ALGORITHMS,
      currentDate: new Date(now),
      clockTolerance: 0,
    }));
  } catch (err) {
    throw translateJoseError(err, now);
  }

  const { iss, sub, aud, exp, iat } = payload;
  if (typeof iss !== 'string' || withoutScheme(iss) !== withoutScheme(issuer)) {
    throw refuse(`No OpenIDConnect provider found in your account for ${typeof iss === 'string' ? iss : '(no iss)'}`);
  }
  const tokenAudiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  const matched = tokenAudiences.find((a) => audiences.includes(a));
  if (matched === undefined) throw refuse('Incorrect token audience');
  if (typeof sub !== 'string' || sub === '') throw refuse('The web identity token has no sub claim');
  // jose checks exp only when present; STS requires it, or a token would never expire.
  if (typeof exp !== 'number') throw refuse('The web identity token has no exp claim');
  if (typeof iat === 'number' && iat > now / 1000)
    throw refuse('The web identity token was issued in the future (iat)');

  return { ...payload, iss, sub, aud: matched, exp };
}

/** IAM stores OIDC provider URLs without the scheme and matches `iss` either way. */
function withoutScheme(url: string): string {
  return url.replace(/^https:\/\//i, '');
}

function translateJoseError(err: unknown, now: number): WebIdentityVerificationError {
  const { code, claim } = (err ?? {}) as { code?: unknown; claim?: unknown };
  switch (code) {
    case 'ERR_JWT_EXPIRED': {
      const exp = (err as { payload?: { exp?: unknown } }).payload?.exp;
      return new WebIdentityVerificationError(
        'ExpiredToken',
        `Token expired: current date/time ${Math.floor(now / 1000)} ` +
          `must be before the expiration date/time ${String(exp)}`,
      );
    }
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return refuse(NO_KEY);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return refuse("The web identity token's signature does not match the identity provider's keys");
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claim === 'nbf'
        ? refuse('The web identity token is not yet valid (nbf)')
        : refuse(`The web identity token's ${String(claim)} claim is invalid`);
    default:
      return refuse(NOT_A_JWT);
  }
}
