import type { CredentialProvider } from '../types';

// Credentials objects the engines handed out, each to the provider whose engine cached it. An SDK
// client signs with the very object a provider returned (its wrappers pass it through, and mutate it at
// most), so the identity a rejected request was signed with leads back to the provider to invalidate,
// whatever wrappers (a chain, a profile, the SDK's own) stand between the client and the engine. Weak:
// the entry goes with the credentials.
const issuers = new WeakMap<object, CredentialProvider>();

/** Notes that `provider`'s engine hands out `credentials`. */
export function recordIssuer(credentials: object, provider: CredentialProvider): void {
  issuers.set(credentials, provider);
}

/** The provider whose engine handed out `credentials`, if one did. */
export function issuerOf(credentials: unknown): CredentialProvider | undefined {
  return typeof credentials === 'object' && credentials !== null ? issuers.get(credentials) : undefined;
}
