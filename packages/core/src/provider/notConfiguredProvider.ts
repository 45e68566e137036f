import { CredentialsProviderError } from '@smithy/property-provider';
import { INSPECT } from '../redact';
import type { CredentialProvider } from '../types';

/**
 * A provider for a source that is not configured here: every call rejects with a
 * `CredentialsProviderError` marked `tryNextLink`, so a chain moves on to its next link. The
 * factory must not throw instead, or building `chain(fromWebIdentity(), …)` would fail outright.
 */
export function notConfiguredProvider(name: string, reason: string): CredentialProvider {
  const fail = (): Promise<never> =>
    Promise.reject(new CredentialsProviderError(`${name} is not configured: ${reason}`, { tryNextLink: true }));
  const close = (): void => undefined;
  const describe = (): string => `CredentialProvider(${name}, not configured)`;
  const provider = (() => fail()) as unknown as CredentialProvider;
  Object.defineProperties(provider, {
    refresh: { value: fail },
    // Nothing is ever cached here, so nothing to drop.
    invalidate: { value: () => false },
    close: { value: close },
    [Symbol.dispose]: { value: close },
    toString: { value: describe },
    [INSPECT]: { value: describe },
  });
  return provider;
}
