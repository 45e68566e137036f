// Steps every provider factory repeats, for provider authors (plumbing, not for users).
export { callbackSource } from './callbackSource';
export type { CallbackSourceOptions } from './callbackSource';
export { frozenParams } from './frozenParams';
export type { ParamsSpec } from './frozenParams';
export { refuseSourceCredentials } from './refuseSourceCredentials';
export type { UnsignedStsProviderOptions } from './refuseSourceCredentials';
export { requireLongTermKeys } from './requireLongTermKeys';
export { stsMfa } from './stsMfa';
export type { StsMfa, StsMfaInit } from './stsMfa';
export { notConfiguredProvider } from './notConfiguredProvider';
