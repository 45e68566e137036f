export { createRefreshingProvider } from './createRefreshingProvider';
export type { RefreshOptions, RefreshingProviderOptions, RetryOptions } from './createRefreshingProvider';
export { chain } from './chain';
export type { ChainLink, ChainedProvider } from './chain';
export {
  ChainExhaustedError,
  CredchainError,
  CredentialsExpiredError,
  InvalidCredentialsError,
  InvalidParameterError,
} from './errors';
export { isFinalError } from './isFinalError';
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
  CredentialProvider,
  FetchContext,
  FetchCredentials,
  Logger,
  RefreshReason,
  TemporaryCredentials,
} from './types';
