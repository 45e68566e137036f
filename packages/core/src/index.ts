// `@credchain/core`: what users pass, receive or catch. The plumbing providers are built from lives
// behind `@credchain/core/provider-kit` (docs/ARCHITECTURE.md, "Contracts").

// The engine, chains and pools.
export { createRefreshingProvider } from './createRefreshingProvider';
export type { RefreshOptions, RefreshingProviderOptions, RetryOptions } from './createRefreshingProvider';
export { defaultAdvisoryWindowMs } from './windows';
export { chain } from './chain';
export type { ChainLink, ChainedProvider } from './chain';
export { createProviderPool } from './createProviderPool';
export type { Closeable, ProviderPool, ProviderPoolOptions } from './createProviderPool';

// The SDK side: a client plugin that recovers from credentials a service rejects.
export { credentialRecoveryPlugin, withCredentialRecovery } from './recovery/credentialRecoveryPlugin';
export type { ClientWithMiddleware } from './recovery/credentialRecoveryPlugin';
export type {
  CallerClientConfig,
  Clock,
  CredentialOrigin,
  CredentialProvider,
  FetchContext,
  FetchCredentials,
  Logger,
  RefreshReason,
  TemporaryCredentials,
} from './types';

// Stores: a second cache level shared between processes (the AWS CLI's files, Redis, yours).
export type {
  CredentialStore,
  StoreCallOptions,
  StoreLock,
  StoreLockOptions,
  StoreProblem,
  StoreSetOptions,
} from './store/types';
export type { StoreOptions } from './store/storeFetch';

// The options every STS provider takes beside its own params.
export type { CredentialSource, StsProviderOptions } from './sts/stsClient';
export type { UnsignedStsProviderOptions } from './provider';

// Errors.
export {
  ChainExhaustedError,
  CredchainError,
  CredentialsExpiredError,
  InvalidCredentialsError,
  InvalidParameterError,
  InvalidSourceCredentialsError,
} from './errors';
export { StsError } from './sts/StsError';
export { isFinalError } from './isFinalError';

// Events.
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
} from './events';

// MFA: code providers, the code period a user's own generator follows, and what fails.
export {
  InvalidMfaCodeError,
  MFA_CODE_PERIOD_SECONDS,
  MfaCodeRejectedError,
  MfaCodeReusedError,
  MfaPromptUnavailableError,
  promptCodeProvider,
  totpCodeProvider,
} from './mfa';
export type {
  MfaCodeProvider,
  MfaPromptContext,
  MfaPromptReason,
  PromptCodeProviderOptions,
  TotpCodeProviderOptions,
} from './mfa';
