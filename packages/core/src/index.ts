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
  InvalidSourceCredentialsError,
} from './errors';
export { isFinalError } from './isFinalError';
export { StsError, toStsError } from './sts/StsError';
export { ENV_REGION, regionOf, sendSts, sourceOf, stsClientGetter, unsignedStsClientGetter } from './sts/stsClient';
export type { CredentialSource, StsProviderOptions } from './sts/stsClient';
export { accountIdOf, toTemporaryCredentials } from './sts/toTemporaryCredentials';
export { tokenCodeSource } from './sts/tokenCodeSource';
export type { TokenCodeSourceInit } from './sts/tokenCodeSource';
export { providerKit } from './sts/engineOptions';
export type { ProviderKit } from './sts/engineOptions';
export { callbackSource, frozenParams, refuseSourceCredentials, requireLongTermKeys, stsMfa } from './provider';
export type { CallbackSourceOptions, ParamsSpec, StsMfa, StsMfaInit, UnsignedStsProviderOptions } from './provider';
export { redactCredentials } from './redact';
export { defaultAdvisoryWindowMs } from './windows';
export { noopLogger, describeError } from './support';
export { createEmitter } from './emitter';
export type { EventInput } from './emitter';
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
export {
  InvalidMfaCodeError,
  MFA_CODE_PERIOD_SECONDS,
  MfaCodeRejectedError,
  MfaCodeReusedError,
  MfaPromptUnavailableError,
  createMfaCoordinator,
  isMfaRejection,
  promptCodeProvider,
  requestMfaCode,
  totpCodeProvider,
} from './mfa';
export type {
  MfaCodeProvider,
  MfaCoordinator,
  MfaCoordinatorOptions,
  MfaPromptContext,
  MfaPromptReason,
  MfaRequestContext,
  PromptCodeProviderOptions,
  TotpCodeProviderOptions,
} from './mfa';
export {
  defaultRoleSessionName,
  validateAssumeRoleParams,
  validateAssumeRootParams,
  validateAssumeRoleWithSamlParams,
  validateAssumeRoleWithWebIdentityParams,
  validateGetFederationTokenParams,
  validateGetSessionTokenParams,
} from './sts/rules';
export type { AssumeRoleWithSamlParams, AssumeRoleWithWebIdentityParams } from './sts/rules';
