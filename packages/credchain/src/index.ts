// One import for users: every provider, profiles, and what they pass, receive or catch. Listed by
// name, so that nothing reaches the public API by accident (test/exports.test.ts pins the list). The
// plumbing providers are built from is not here: provider authors import `@credchain/core/provider-kit`.

// The providers, one per STS operation.
export { fromAssumeRole } from '@credchain/assume-role';
export type { AssumeRoleParams, FromAssumeRoleInit } from '@credchain/assume-role';

export { fromAssumeRoot } from '@credchain/assume-root';
export type { FromAssumeRootInit } from '@credchain/assume-root';

export { SamlAssertionError, fromSamlAssertion } from '@credchain/saml';
export type { AssumeRoleWithSamlParams, FromSamlAssertionInit, SamlAssertionSource } from '@credchain/saml';

export {
  ENV_ROLE_ARN,
  ENV_ROLE_SESSION_NAME,
  ENV_TOKEN_FILE,
  WebIdentityTokenError,
  WebIdentityTokenFileError,
  fromWebIdentity,
} from '@credchain/web-identity';
export type { FromWebIdentityInit, WebIdentityParams, WebIdentityTokenSource } from '@credchain/web-identity';

export { fromSessionToken } from '@credchain/session-token';
export type { FromSessionTokenInit } from '@credchain/session-token';

export { fromFederationToken } from '@credchain/federation-token';
export type { FromFederationTokenInit } from '@credchain/federation-token';

// Shared-config profiles (~/.aws/config), built from the providers above.
export { CredentialProcessError, ProfileConfigError, ProfileNotFoundError, fromProfile } from '@credchain/profile';
export type { FromProfileInit, ProfileCredentialProvider } from '@credchain/profile';

// Stores: credentials shared between processes (the `store` option). The AWS CLI's file cache is here;
// the Redis store is its own package, `@credchain/redis`, for the users who run Redis.
export { awsCliCacheStore } from '@credchain/profile';
export type { AwsCliCacheStoreOptions } from '@credchain/profile';
export type {
  CredentialStore,
  StoreCallOptions,
  StoreLock,
  StoreLockOptions,
  StoreOptions,
  StoreProblem,
  StoreSetOptions,
} from '@credchain/core';

// Where an app's first credentials come from: each source a refreshing provider, and the SDK's default
// chain of them with credchain's engine around every link that expires.
export {
  CredentialSourceError,
  fromContainerMetadata,
  fromEnv,
  fromInstanceMetadata,
  fromProcess,
  fromSso,
} from '@credchain/sources';
export type {
  FromContainerMetadataInit,
  FromEnvInit,
  FromInstanceMetadataInit,
  FromProcessInit,
  FromSsoInit,
  SourceCredentialProvider,
  SourceKind,
  SourceProviderOptions,
} from '@credchain/sources';
export { fromDefaultChain } from './fromDefaultChain';
export type { FromDefaultChainInit } from './fromDefaultChain';

// Composing and caching: a chain of providers, a pool of them, the engine around a fetch of your own.
export {
  chain,
  createProviderPool,
  createRefreshingProvider,
  credentialRecoveryPlugin,
  defaultAdvisoryWindowMs,
  withCredentialRecovery,
} from '@credchain/core';
export type {
  ChainLink,
  ChainedProvider,
  ClientWithMiddleware,
  Clock,
  Closeable,
  CredentialOrigin,
  CredentialProvider,
  CredentialSource,
  FetchContext,
  FetchCredentials,
  Logger,
  ProviderPool,
  ProviderPoolOptions,
  RefreshOptions,
  RefreshReason,
  RefreshingProviderOptions,
  RetryOptions,
  StsProviderOptions,
  TemporaryCredentials,
  UnsignedStsProviderOptions,
} from '@credchain/core';

// Errors, and whether a retry could help.
export {
  ChainExhaustedError,
  CredchainError,
  CredentialsExpiredError,
  InvalidCredentialsError,
  InvalidParameterError,
  InvalidSourceCredentialsError,
  StsError,
  isFinalError,
} from '@credchain/core';

// Events (`onEvent`).
export type {
  ClockSkewEvent,
  CredentialEvent,
  CredentialsRejectedEvent,
  DurationCappedEvent,
  EventListener,
  ExpiredEvent,
  MfaPromptEvent,
  RefreshFailureEvent,
  RefreshStartEvent,
  RefreshSuccessEvent,
  ServedStaleEvent,
  StoreErrorEvent,
  StoreHitEvent,
  WarningEvent,
} from '@credchain/core';

// MFA: the code providers to pass as `mfaCodeProvider`, the code period, and what fails.
export {
  InvalidMfaCodeError,
  MFA_CODE_PERIOD_SECONDS,
  MfaCodeRejectedError,
  MfaCodeReusedError,
  MfaPromptUnavailableError,
  promptCodeProvider,
  totpCodeProvider,
} from '@credchain/core';
export type {
  MfaCodeProvider,
  MfaPromptContext,
  MfaPromptReason,
  PromptCodeProviderOptions,
  TotpCodeProviderOptions,
} from '@credchain/core';
