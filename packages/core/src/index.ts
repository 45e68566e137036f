export { createRefreshingProvider } from './createRefreshingProvider';
export type { RefreshOptions, RefreshingProviderOptions, RetryOptions } from './createRefreshingProvider';
export { chain } from './chain';
export { canonicalKey, createProviderPool } from './createProviderPool';
export type { Closeable, ProviderPool, ProviderPoolOptions } from './createProviderPool';
export type { ChainLink, ChainedProvider } from './chain';
export {
  ChainExhaustedError,
  CredchainError,
  CredentialsExpiredError,
  InvalidCredentialsError,
  InvalidParameterError,
} from './errors';
export { isFinalError } from './isFinalError';
export { StsError, toStsError } from './sts/StsError';
export { ENV_REGION, regionOf, sendSts, sourceOf, stsClientGetter } from './sts/stsClient';
export type { CredentialSource, StsProviderOptions } from './sts/stsClient';
export { accountIdOf, toTemporaryCredentials } from './sts/toTemporaryCredentials';
export { redactCredentials } from './redact';
export { defaultAdvisoryWindowMs } from './windows';
export { noopLogger } from './support';
export type {
  CredentialEvent,
  DurationCappedEvent,
  EventListener,
  ExpiredEvent,
  MfaPromptEvent,
  RefreshFailureEvent,
  RefreshStartEvent,
  RefreshSuccessEvent,
  ServedStaleEvent,
  WarningEvent,
} from './events';
export type {
  Clock,
  CredentialOrigin,
  CredentialProvider,
  FetchContext,
  FetchCredentials,
  Logger,
  RefreshReason,
  TemporaryCredentials,
} from './types';
