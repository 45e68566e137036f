export { verifyWebIdentityToken, WEB_IDENTITY_ALGORITHMS } from './verifyWebIdentityToken';
export type { VerifyWebIdentityTokenOptions, WebIdentityClaims } from './verifyWebIdentityToken';
export { mintWebIdentityToken } from './mintWebIdentityToken';
export type { MintWebIdentityTokenOptions } from './mintWebIdentityToken';
export { WebIdentityVerificationError } from './WebIdentityVerificationError';
export type { WebIdentityVerificationErrorCode } from './WebIdentityVerificationError';
export { demoOidcSigningMaterial } from './demoMaterial';
