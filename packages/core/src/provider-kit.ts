// `@credchain/core/provider-kit`: the plumbing a provider is built from, for provider authors (the
// credchain providers, the profile resolver, the CLI's raw STS commands). Users never need it: what
// they pass, receive or catch is exported from `@credchain/core` (docs/ARCHITECTURE.md, "Contracts").
// Errors, types and `createRefreshingProvider` are imported from the root, one name in one place.

// STS client, calls and answers.
export { regionOf, sendSts, sourceOf, stsClientGetter, stsClients, unsignedStsClientGetter } from './sts/stsClient';
export type { StsClientsSpec } from './sts/stsClient';
export type { StsClientLease } from './sts/StsClientLease';
export { toStsError } from './sts/StsError';
export { accountIdOf, toTemporaryCredentials } from './sts/toTemporaryCredentials';
// For a provider that builds its own STS client: STS's clock, from each answer, for the engine (rule 9).
export { installServerTimeMiddleware } from './sts/serverTime';

// What a factory does before returning: its kit (logger, emitter, engine options) and the checks
// every provider repeats.
export { providerKit } from './sts/engineOptions';
export type { ProviderKit, StoreKeySpec, StsKitSpec, StsProviderKit } from './sts/engineOptions';
// Naming a provider's entry in a store (docs/ARCHITECTURE.md, "Stores").
export { fingerprint, oncePerFetch, storeKey, webIdentityPrincipal } from './store/storeKey';
export { sourcePrincipal } from './store/sourcePrincipal';
export {
  callbackSource,
  frozenParams,
  notConfiguredProvider,
  refuseSourceCredentials,
  requireLongTermKeys,
  stsMfa,
} from './provider';
export type { CallbackSourceOptions, ParamsSpec, StsMfa, StsMfaInit } from './provider';
export { createEmitter } from './emitter';
export type { EventInput } from './emitter';
export { describeError, noopLogger } from './support';
export { redactCredentials } from './redact';
export { canonicalKey } from './createProviderPool';

// MFA: the coordinator behind every provider's `mfaCodeProvider`, and the pieces of it a raw STS call
// (the CLI's) uses.
export { tokenCodeSource } from './sts/tokenCodeSource';
export type { TokenCodeSourceInit } from './sts/tokenCodeSource';
export { createMfaCoordinator, isMfaRejection, requestMfaCode } from './mfa';
export type { MfaCoordinator, MfaCoordinatorOptions, MfaRequestContext } from './mfa';

// The STS parameter rules, one function per operation.
export {
  defaultRoleSessionName,
  validateAssumeRoleParams,
  validateAssumeRootParams,
  validateAssumeRoleWithSamlParams,
  validateAssumeRoleWithWebIdentityParams,
  validateGetFederationTokenParams,
  validateGetSessionTokenParams,
} from './sts/rules';
export type { AssumeRoleWithSamlRuleInput, AssumeRoleWithWebIdentityRuleInput } from './sts/rules';
