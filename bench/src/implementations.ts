/**
 * The credential caches under comparison, each built around an inner source of credentials.
 * Everything the AWS SDK contributes comes from the npm registry, exactly as a user gets it.
 */
import { createRefreshingProvider } from '@credchain/core';
import type { TemporaryCredentials } from '@credchain/core';
import { memoizeIdentityProvider, isIdentityExpired, doesIdentityRequireRefresh } from '@smithy/core';
import { memoize } from '@smithy/property-provider';
import type { AwsCredentialIdentity } from '@smithy/types';

export type Source = () => Promise<AwsCredentialIdentity>;
export type Provider = (() => Promise<AwsCredentialIdentity>) & { close?: () => void };

/**
 * The predicates the SDK's default chain hands to `memoize` (copied from
 * @aws-sdk/credential-provider-node's `credentialsTreatedAsExpired` / `credentialsWillNeedRefresh`:
 * refresh when less than 5 minutes are left; only credentials with an expiration need refreshing).
 */
export const credentialsTreatedAsExpired = (credentials: AwsCredentialIdentity): boolean =>
  credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
export const credentialsWillNeedRefresh = (credentials: AwsCredentialIdentity): boolean =>
  credentials.expiration !== undefined;

/** `@smithy/property-provider`'s `memoize`, as the SDK's default provider chain uses it. */
export const smithyMemoize = (inner: Source): Provider =>
  memoize(inner, credentialsTreatedAsExpired, credentialsWillNeedRefresh);

/** The cache an SDK client puts around the `credentials` it is given (`@smithy/core`). */
export const sdkClientCache = (inner: Source): Provider =>
  memoizeIdentityProvider(inner, isIdentityExpired, doesIdentityRequireRefresh) as Provider;

/** Ours, with every option at its default (background timer on, default `Date` clock). */
export const ours = (inner: Source, refresh: Record<string, unknown> = {}): Provider =>
  createRefreshingProvider(async () => (await inner()) as TemporaryCredentials, { name: 'bench', refresh });
