// `@credchain/sources`: where an app's first credentials come from (IAM Identity Center, containers,
// instances, the environment, credential_process), each a provider usable as `credentials` of an SDK
// client and as `sourceCredentials` of the STS providers (issue 11). Beside each provider, its fetch,
// for composing with an engine of one's own (docs/ARCHITECTURE.md, "Fetch and cache apart").

export { fromEnv } from './fromEnv';
export type { FromEnvInit } from './fromEnv';
export { fromProcess, processFetch } from './fromProcess';
export type { FromProcessInit } from './fromProcess';
export { containerFetch, fromContainerMetadata } from './fromContainerMetadata';
export type { FromContainerMetadataInit } from './fromContainerMetadata';
export { fromInstanceMetadata, instanceMetadataFetch } from './fromInstanceMetadata';
export type { FromInstanceMetadataInit } from './fromInstanceMetadata';
export { fromSso, ssoFetch } from './fromSso';
export type { FromSsoInit, SsoClientConfig } from './fromSso';

export type { SourceCredentialProvider, SourceCredentials } from './SourceCredentialProvider';
export type { SourceProviderOptions } from './sourceKit';
export { CredentialSourceError } from './CredentialSourceError';
export type { CredentialSourceErrorOptions, SourceKind } from './CredentialSourceError';
