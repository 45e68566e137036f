// One import for users: every provider and the core helpers.
export * from '@credchain/core';

export { fromAssumeRole } from '@credchain/assume-role';
export type { AssumeRoleParams, FromAssumeRoleInit } from '@credchain/assume-role';

export { fromAssumeRoot } from '@credchain/assume-root';
export type { FromAssumeRootInit } from '@credchain/assume-root';

// The saml package's AssumeRoleWithSamlParams (no assertion field) shadows core's rule-input type of
// the same name: it is the one users write.
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
