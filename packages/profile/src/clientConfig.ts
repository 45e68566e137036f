import type { STSClientConfig } from '@aws-sdk/client-sts';
import type { Logger } from '@credchain/core';

import { configuredStsEndpoint } from './endpoint';
import { ProfileConfigError } from './errors';
import { profileSection } from './profileFiles';
import type { ProfileFiles } from './profileFiles';
import { regionFrom } from './region';
import type { Env } from './region';

export const ENV_STS_REGIONAL_ENDPOINTS = 'AWS_STS_REGIONAL_ENDPOINTS';

/**
 * The STS client configuration a profile implies: region (`regionFrom`), endpoint
 * (`configuredStsEndpoint`) and sts_regional_endpoints, each after what the caller's `clientConfig`
 * sets explicitly. Every STS client of the profile's chain uses it, as the AWS CLI's session does.
 */
export function stsClientConfigFor(
  given: STSClientConfig,
  files: ProfileFiles,
  profile: string,
  env: Env,
  logger: Logger,
): STSClientConfig {
  const section = profileSection(files, profile);
  const region = given.region ?? regionFrom(env, section);
  let useGlobalEndpoint = given.useGlobalEndpoint;
  if (useGlobalEndpoint === undefined) {
    const fromEnv = env[ENV_STS_REGIONAL_ENDPOINTS] || undefined;
    const value = fromEnv ?? section?.sts_regional_endpoints;
    if (value !== undefined) {
      if (value !== 'legacy' && value !== 'regional') {
        const where =
          fromEnv === undefined ? `sts_regional_endpoints of profile "${profile}"` : ENV_STS_REGIONAL_ENDPOINTS;
        throw new ProfileConfigError(
          profile,
          'sts_regional_endpoints',
          `${where} must be "legacy" or "regional", not "${value}"`,
        );
      }
      useGlobalEndpoint = value === 'legacy';
    } else {
      useGlobalEndpoint = false;
    }
  }
  if (given.endpoint !== undefined) return { ...given, region, useGlobalEndpoint };
  const configured =
    given.ignoreConfiguredEndpointUrls === true ? undefined : configuredStsEndpoint(env, files, profile);
  if (configured !== undefined) {
    logger.debug(`credchain:profile - ${profile}: STS endpoint ${configured.url} (from ${configured.from})`);
  }
  return {
    ...given,
    region,
    useGlobalEndpoint,
    // Resolved here for this profile and these files: the SDK client would otherwise look for one
    // itself, in the profile of AWS_PROFILE and the default files.
    ignoreConfiguredEndpointUrls: true,
    ...(configured === undefined ? {} : { endpoint: configured.url }),
  };
}
