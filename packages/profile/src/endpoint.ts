import { ProfileConfigError } from './errors';
import { configSetting } from './profileFiles';
import type { ProfileFiles } from './profileFiles';
import type { Env } from './region';

export const ENV_ENDPOINT_URL = 'AWS_ENDPOINT_URL';
export const ENV_ENDPOINT_URL_STS = 'AWS_ENDPOINT_URL_STS';
export const ENV_IGNORE_CONFIGURED_ENDPOINT_URLS = 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS';

/** An STS endpoint from the environment or the config file, and where it was found (for the debug log). */
export interface ConfiguredEndpoint {
  readonly url: string;
  readonly from: string;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

function flag(value: string, profile: string, where: string, key: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  // The SDK skips a value it cannot read and goes on as if unset; an explicit error says more.
  throw new ProfileConfigError(profile, key, `${where} must be "true" or "false", not "${value}"`);
}

function checked(url: string, profile: string, key: string, where: string): ConfiguredEndpoint {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ProfileConfigError(profile, key, `${where} must be an http(s) URL, not "${url}"`);
  }
  return { url, from: where };
}

/**
 * The STS endpoint configured for a profile, by the SDK's rules (`@smithy/core` endpoints:
 * `getEndpointFromConfig`, `getEndpointUrlConfig`, `getIgnoreConfiguredEndpointUrls`):
 * nothing when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, else the profile's
 * `ignore_configured_endpoint_urls`, is "true"; otherwise `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`,
 * the `sts = endpoint_url = …` of the `[services NAME]` section the profile's `services` names,
 * the profile's `endpoint_url`. Profile settings are read config file first, as the SDK reads them.
 * Unlike the SDK, a `services` naming no section, a flag that is neither "true" nor "false" and an
 * endpoint that is not a URL are errors: silently calling public STS instead of a private endpoint
 * is the failure this guards against.
 */
export function configuredStsEndpoint(env: Env, files: ProfileFiles, profile: string): ConfiguredEndpoint | undefined {
  const envIgnore = nonEmpty(env[ENV_IGNORE_CONFIGURED_ENDPOINT_URLS]);
  const ignore =
    envIgnore !== undefined
      ? flag(envIgnore, profile, ENV_IGNORE_CONFIGURED_ENDPOINT_URLS, 'ignore_configured_endpoint_urls')
      : (() => {
          const value = configSetting(files, profile, 'ignore_configured_endpoint_urls');
          const where = `ignore_configured_endpoint_urls of profile "${profile}"`;
          return value === undefined ? false : flag(value, profile, where, 'ignore_configured_endpoint_urls');
        })();
  if (ignore) return undefined;
  for (const name of [ENV_ENDPOINT_URL_STS, ENV_ENDPOINT_URL]) {
    const url = nonEmpty(env[name]);
    if (url !== undefined) return checked(url, profile, 'endpoint_url', name);
  }
  const services = configSetting(files, profile, 'services');
  if (services !== undefined) {
    const section = files.config[`services.${services}`];
    if (section === undefined) {
      throw new ProfileConfigError(
        profile,
        'services',
        `The services "${services}" of profile "${profile}" names no [services ${services}] section in the config file`,
      );
    }
    const url = nonEmpty(section['sts.endpoint_url']);
    if (url !== undefined) {
      return checked(url, profile, 'endpoint_url', `the sts endpoint_url of [services ${services}]`);
    }
  }
  const url = nonEmpty(configSetting(files, profile, 'endpoint_url'));
  return url === undefined ? undefined : checked(url, profile, 'endpoint_url', `endpoint_url of profile "${profile}"`);
}
