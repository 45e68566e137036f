export { startStsLocal } from './server/startStsLocal';
export { main as stsLocalMain } from './bin/main';
export type { MainIo as StsLocalMainIo } from './bin/main';
export type { StartStsLocalOptions, StsLocal } from './server/startStsLocal';
export type { ImdsOptions, StsLocalImds } from './imds/startImds';
export type { ContainerOptions, StsLocalContainer } from './container/startContainer';
export type { SsoOptions } from './sso/startSso';
export type { SsoLoginOptions, SsoTokenSet, StsLocalSso, WriteTokenCacheOptions } from './sso/ssoHelpers';
export type { StsCall } from './server/StsCall';
export { REDACTED } from './server/StsCall';
export { encodeAuthorizationMessage } from './operations/authorizationMessage';
export type { FaultKind, FaultRule } from './server/faults';
export type {
  MintIdentityTokenOptions,
  MintSamlAssertionOptions,
  OidcSigningMaterial,
  SamlSigningMaterial,
  SigningKeys,
} from './server/mintHelpers';
export {
  demoConfig,
  DEMO_ACCOUNT,
  DEMO_MEMBER_ACCOUNT,
  DEMO_DELEGATED_ADMIN_ACCOUNT,
  DEMO_OIDC_ISSUER,
  DEMO_INSTANCE_ID,
  DEMO_TASK_ID,
  DEMO_SSO_START_URL,
} from './config/demoConfig';
export type * from './config/types';
export * from './saml';
export * from './oidc';
