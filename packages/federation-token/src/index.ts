export { fromFederationToken } from './fromFederationToken';
export type { FromFederationTokenInit } from './fromFederationToken';
