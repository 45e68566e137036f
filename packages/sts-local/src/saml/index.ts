export { verifySamlResponse } from './verifySamlResponse';
export type { SamlAssertionInfo, VerifySamlResponseOptions } from './verifySamlResponse';
export { mintSamlResponse } from './mintSamlResponse';
export type { MintSamlResponseOptions } from './mintSamlResponse';
export { SamlVerificationError } from './SamlVerificationError';
export type { SamlVerificationErrorCode } from './SamlVerificationError';
export { demoSamlSigningMaterial } from './demoMaterial';
export { AWS_SAML_AUDIENCE } from './constants';
