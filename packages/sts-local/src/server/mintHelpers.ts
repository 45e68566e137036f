import { X509Certificate } from 'node:crypto';
import type { OidcProviderConfig, SamlProviderConfig } from '../config/types';
import { type IdentityStore, issuerHostPath, oidcProviderArn } from '../model/IdentityStore';
import { demoOidcSigningMaterial, mintWebIdentityToken } from '../oidc';
import { demoSamlSigningMaterial, mintSamlResponse } from '../saml';
import type { Clock } from './clock';

/** The private half of a SAML provider's signing certificate. */
export interface SamlSigningMaterial {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

/** The private key behind one key of an OIDC provider's JWKS. */
export interface OidcSigningMaterial {
  /** An RSA or EC P-256 private JWK. */
  readonly privateJwk: object;
  /** The `kid` of its public key in the provider's JWKS. */
  readonly kid: string;
}

/** Private keys of the config's identity providers, so the server can mint what they would sign. */
export interface SigningKeys {
  /** By SAML provider ARN. The demo provider's (same certificate) is built in. @default {} */
  readonly saml?: Readonly<Record<string, SamlSigningMaterial>>;
  /** By OIDC provider ARN (`arn:aws:iam::ACCT:oidc-provider/HOST`). The demo provider's is built in. @default {} */
  readonly oidc?: Readonly<Record<string, OidcSigningMaterial>>;
}

/** Options of `StsLocal.mintSamlAssertion`. */
export interface MintSamlAssertionOptions {
  /** The role the assertion lets its holder assume. */
  readonly roleArn: string;
  /** The SAML provider. @default the first provider the role trusts, else the config's only one */
  readonly principalArn?: string;
  /** The NameID. @default 'demo-user@credchain.example' */
  readonly subject?: string;
  /** The RoleSessionName attribute. @default `subject` */
  readonly roleSessionName?: string;
  /** The SessionDuration attribute in seconds. @default omitted (STS then uses DurationSeconds) */
  readonly sessionDuration?: number;
  /** SessionNotOnOrAfter (epoch ms), which caps the session. @default omitted */
  readonly sessionNotOnOrAfter?: number;
  readonly sourceIdentity?: string;
  /** PrincipalTag attributes. @default [] */
  readonly tags?: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
  /** Seconds the assertion stays presentable (NotOnOrAfter). @default 300 */
  readonly lifetimeSeconds?: number;
  /** The IdP's entity ID. @default 'https://idp.credchain.example/' + the provider's name */
  readonly issuer?: string;
  /**
   * Signing key and certificate.
   * @default the server's `signingKeys.saml`, or the demo material for a provider using the demo certificate
   */
  readonly signingMaterial?: SamlSigningMaterial;
}

/** Options of `StsLocal.mintWebIdentityToken`. */
export interface MintIdentityTokenOptions {
  /** The `sub` claim. */
  readonly subject: string;
  /** The `aud` claim. @default the provider's first client ID */
  readonly audience?: string;
  /** Picks the provider by its issuer URL. @default the first provider `roleArn` trusts, else the config's only one */
  readonly issuer?: string;
  /** Picks the provider the role trusts (when `issuer` is not given). */
  readonly roleArn?: string;
  /** Seconds to `exp`. @default 3600 */
  readonly lifetimeSeconds?: number;
  /** Further claims, merged last (see `mintWebIdentityToken`). @default {} */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Signing key. @default the server's `signingKeys.oidc`, or the demo key for a provider publishing the demo JWKS */
  readonly signingMaterial?: OidcSigningMaterial;
}

const DEFAULT_SUBJECT = 'demo-user@credchain.example';

/** An option read as untyped input: a JavaScript caller may pass no options object at all. */
function optionOf(opts: unknown, name: string): unknown {
  return (opts as Record<string, unknown> | null | undefined)?.[name];
}

function only<T>(items: readonly T[], what: string): T {
  if (items.length !== 1) throw new TypeError(`${what}: the config has ${items.length} of them, so name one`);
  return items[0] as T;
}

function samlProviderFor(identities: IdentityStore, opts: MintSamlAssertionOptions): SamlProviderConfig {
  const all = identities.config.samlProviders ?? [];
  const arn =
    opts.principalArn ?? identities.role(opts.roleArn)?.trust.samlProviders?.[0] ?? only(all, 'principalArn').arn;
  const provider = identities.samlProvider(arn);
  if (provider === undefined) throw new TypeError(`principalArn: no SAML provider ${arn} in the config`);
  return provider;
}

function oidcProviderFor(identities: IdentityStore, opts: MintIdentityTokenOptions): OidcProviderConfig {
  const all = identities.config.oidcProviders ?? [];
  if (opts.issuer !== undefined) {
    const wanted = issuerHostPath(opts.issuer);
    const found = all.find((p) => issuerHostPath(p.url) === wanted);
    if (found === undefined) throw new TypeError(`issuer: no OIDC provider ${opts.issuer} in the config`);
    return found;
  }
  const trusted = opts.roleArn === undefined ? undefined : identities.role(opts.roleArn)?.trust.oidcProviders?.[0];
  if (trusted !== undefined) {
    const found = all.find((p) => oidcProviderArn(p) === trusted);
    if (found === undefined) throw new TypeError(`roleArn: the role trusts ${trusted}, which is not in the config`);
    return found;
  }
  return only(all, 'issuer');
}

/** The provider trusts the demo certificate (compared as certificates, not as PEM text). */
function usesDemoCertificate(provider: SamlProviderConfig): boolean {
  try {
    return (
      new X509Certificate(provider.certificatePem).fingerprint256 ===
      new X509Certificate(demoSamlSigningMaterial.certificatePem).fingerprint256
    );
  } catch {
    return false;
  }
}

function publishesDemoKey(provider: OidcProviderConfig): boolean {
  const demoKey = demoOidcSigningMaterial.publicJwks.keys[0] as { kid?: string; n?: string };
  return provider.jwks.keys.some((k) => {
    const key = k as { kid?: string; n?: string };
    return key.kid === demoKey.kid && key.n === demoKey.n;
  });
}

/** The minting helpers of one server: signed by its providers' keys, dated by its clock. */
export function createMintHelpers(identities: IdentityStore, clock: Clock, keys: SigningKeys = {}) {
  return {
    /** A signed, base64 SAML Response that this server's AssumeRoleWithSAML accepts for `roleArn`. */
    mintSamlAssertion(opts: MintSamlAssertionOptions): string {
      if (typeof optionOf(opts, 'roleArn') !== 'string') throw new TypeError('roleArn must be a role ARN');
      const provider = samlProviderFor(identities, opts);
      const material =
        opts.signingMaterial ??
        keys.saml?.[provider.arn] ??
        (usesDemoCertificate(provider) ? demoSamlSigningMaterial : undefined);
      if (material === undefined) {
        throw new TypeError(
          `signingMaterial: no private key for SAML provider ${provider.arn}; pass one or set signingKeys.saml`,
        );
      }
      const subject = opts.subject ?? DEFAULT_SUBJECT;
      const name = provider.arn.slice(provider.arn.lastIndexOf('/') + 1);
      return mintSamlResponse({
        issuer: opts.issuer ?? `https://idp.credchain.example/${name}`,
        privateKeyPem: material.privateKeyPem,
        certificatePem: material.certificatePem,
        subject,
        roles: [{ roleArn: opts.roleArn, principalArn: provider.arn }],
        roleSessionName: opts.roleSessionName ?? subject,
        now: clock.now(),
        ...(opts.sessionDuration === undefined ? {} : { sessionDuration: opts.sessionDuration }),
        ...(opts.sessionNotOnOrAfter === undefined ? {} : { sessionNotOnOrAfter: opts.sessionNotOnOrAfter }),
        ...(opts.sourceIdentity === undefined ? {} : { sourceIdentity: opts.sourceIdentity }),
        ...(opts.tags === undefined ? {} : { tags: opts.tags }),
        ...(opts.lifetimeSeconds === undefined ? {} : { lifetimeSeconds: opts.lifetimeSeconds }),
      });
    },

    /** A signed OIDC ID token that this server's AssumeRoleWithWebIdentity accepts. */
    async mintWebIdentityToken(opts: MintIdentityTokenOptions): Promise<string> {
      const subject = optionOf(opts, 'subject');
      if (typeof subject !== 'string' || subject === '') throw new TypeError('subject must be a non-empty string');
      const provider = oidcProviderFor(identities, opts);
      const arn = oidcProviderArn(provider);
      const material =
        opts.signingMaterial ?? keys.oidc?.[arn] ?? (publishesDemoKey(provider) ? demoOidcSigningMaterial : undefined);
      if (material === undefined) {
        throw new TypeError(
          `signingMaterial: no private key for OIDC provider ${arn}; pass one or set signingKeys.oidc`,
        );
      }
      return mintWebIdentityToken({
        issuer: provider.url,
        subject: opts.subject,
        audience: opts.audience ?? provider.clientIds[0] ?? 'sts.amazonaws.com',
        privateJwk: material.privateJwk,
        kid: material.kid,
        now: clock.now(),
        ...(opts.lifetimeSeconds === undefined ? {} : { lifetimeSeconds: opts.lifetimeSeconds }),
        ...(opts.claims === undefined ? {} : { claims: opts.claims }),
      });
    },
  };
}
