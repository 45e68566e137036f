import { importJWK, SignJWT, type JWK } from 'jose';

/** Options of {@link mintWebIdentityToken}. */
export interface MintWebIdentityTokenOptions {
  /** The `iss` claim: the provider URL with `https://`, as IdPs write it. */
  readonly issuer: string;
  /** The `sub` claim. */
  readonly subject: string;
  /** The `aud` claim: one of the provider's client IDs. */
  readonly audience: string;
  /** The private key as a JWK (RSA or EC P-256); its `alg` is used, else RS256 for RSA and ES256 for EC. */
  readonly privateJwk: object;
  /** The `kid` header, naming the public key in the provider's JWKS. */
  readonly kid: string;
  /** The issue time in epoch milliseconds (`iat`). */
  readonly now: number;
  /** Seconds from `now` to `exp`. @default 3600 */
  readonly lifetimeSeconds?: number;
  /**
   * Further claims, merged last so they can also override the standard ones (`nbf`, `iat`, `aud` as
   * an array…); a claim set to `undefined` is left out, so tests can mint a token without `exp`.
   * @default {}
   */
  readonly claims?: Readonly<Record<string, unknown>>;
}

const DEFAULT_LIFETIME_SECONDS = 3600;

/** Mints a signed OIDC ID token for AssumeRoleWithWebIdentity, shaped like those real IdPs issue. */
export async function mintWebIdentityToken(opts: MintWebIdentityTokenOptions): Promise<string> {
  const { now } = opts;
  if (typeof now !== 'number' || !Number.isFinite(now))
    throw new TypeError('now must be a finite number of epoch milliseconds');
  const lifetimeSeconds = opts.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  if (!Number.isFinite(lifetimeSeconds)) throw new TypeError('lifetimeSeconds must be a finite number');
  const jwk = opts.privateJwk as JWK;
  const alg = jwk.alg ?? (jwk.kty === 'RSA' ? 'RS256' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : undefined);
  if (alg === undefined || typeof jwk.d !== 'string')
    throw new TypeError('privateJwk must be an RSA or EC P-256 private JWK');
  const key = await importJWK(jwk, alg);

  const iat = Math.floor(now / 1000);
  const payload = {
    iss: opts.issuer,
    sub: opts.subject,
    aud: opts.audience,
    iat,
    exp: iat + lifetimeSeconds,
    ...opts.claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg, kid: opts.kid, typ: 'JWT' }).sign(key);
}
