import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * What `fromProfile` returns: a provider any AWS SDK v3 client takes as `credentials`. Temporary
 * credentials carry `expiration` and are refreshed in the background; static keys are returned as
 * they are.
 */
export interface ProfileCredentialProvider extends AwsCredentialIdentityProvider {
  (props?: { forceRefresh?: boolean } & Record<string, unknown>): Promise<AwsCredentialIdentity>;
  /** Fetch new credentials now (static keys: the same keys). */
  refresh(): Promise<AwsCredentialIdentity>;
  /** Stop background timers and release shared MFA sessions. */
  close(): void;
  [Symbol.dispose](): void;
}
