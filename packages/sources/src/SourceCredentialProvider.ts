import type { CredentialOrigin } from '@credchain/core';
import { redactCredentials } from '@credchain/core/provider-kit';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Credentials a source hands out: static keys (no `expiration`, nothing to refresh) or temporary
 * credentials. `util.inspect` and `JSON.stringify` show neither the secret key nor the session token.
 */
export interface SourceCredentials extends AwsCredentialIdentity {
  /** Where they came from, when the source knows (decides the role-chaining cap of an AssumeRole). */
  readonly origin?: CredentialOrigin;
}

/**
 * What `fromEnv` and `fromProcess` return: a provider any AWS SDK v3 client takes as `credentials`,
 * and any credchain STS provider as `sourceCredentials`. Temporary credentials are cached and
 * refreshed by the engine; static keys pass through as they are.
 */
export interface SourceCredentialProvider extends AwsCredentialIdentityProvider {
  (props?: { forceRefresh?: boolean } & Record<string, unknown>): Promise<SourceCredentials>;
  /** Read the source again now (static keys: the same keys). */
  refresh(): Promise<SourceCredentials>;
  /** Stop the background timers, if any. The provider still answers calls. */
  close(): void;
  [Symbol.dispose](): void;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** `credentials` as a source hands them out: a copy whose inspection and JSON hide the secrets. */
export function handedOut(credentials: SourceCredentials): SourceCredentials {
  // redactCredentials is typed for temporary credentials; it reads no field but the two secrets.
  return redactCredentials(credentials as Parameters<typeof redactCredentials>[0]);
}

/**
 * A {@link SourceCredentialProvider} from a function that reads the source on every call (and on
 * `refresh()`); `describe` is what inspection and JSON show of the provider, never a secret.
 */
export function sourceProvider(
  read: (forced: boolean) => Promise<SourceCredentials>,
  describe: () => string,
  close: () => void = () => undefined,
): SourceCredentialProvider {
  const provider = ((props?: { forceRefresh?: boolean }) =>
    read(props?.forceRefresh === true)) as SourceCredentialProvider;
  Object.defineProperties(provider, {
    refresh: { value: () => read(true) },
    // It reads its source on every call, which is cheap (the environment) or already cached by the engine
    // behind it: an SDK client needs no cache of its own in front (the SDK's marker; writable, as it assigns it).
    memoized: { value: true, writable: true },
    // And it takes nothing from the client that calls it: the client calls it without the two wrappers that
    // would pass the client's configuration (the SDK's markers, read when a client is built).
    configBound: { value: true, writable: true },
    attributed: { value: true, writable: true },
    close: { value: close },
    [Symbol.dispose]: { value: close },
    toString: { value: describe },
    toJSON: { value: () => ({ provider: describe() }) },
    [INSPECT]: { value: describe },
  });
  return provider;
}
