export { fromProfile, ENV_REGION, ENV_STS_REGIONAL_ENDPOINTS } from './fromProfile';
export type { FromProfileInit } from './fromProfile';
export type { ProfileCredentialProvider } from './types';
export { ProfileConfigError, ProfileNotFoundError, CredentialProcessError } from './errors';
export { cliCacheKey, defaultCliCacheDir, withCacheLock, writePrivateFile } from './cliCache';
export type { CacheLockOptions, CliCacheEntry, CliCacheKeyArgs } from './cliCache';
export { shareUsedMfaCodes } from './shareUsedMfaCodes';
export type { ShareUsedMfaCodesOptions } from './shareUsedMfaCodes';
