import { loadProfileFiles, profileSection } from './profileFiles';
import type { ProfileFilesInit, Section } from './profileFiles';

export const ENV_REGION = 'AWS_REGION';
export const ENV_DEFAULT_REGION = 'AWS_DEFAULT_REGION';
/** STS's global endpoint lives in us-east-1; a client needs some region to sign. */
export const FALLBACK_REGION = 'us-east-1';

/** Environment variables, as `process.env` holds them (the CLI passes its own copy). */
export type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

/**
 * The one region precedence, the AWS CLI's (botocore 2.9.19 `configprovider.py`: `region` ←
 * `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile): the environment, then the profile's
 * `region`, then us-east-1. `fromProfile` and the `credchain` command both use it.
 */
export function regionFrom(env: Env, section: Section | undefined): string {
  return envRegion(env) ?? nonEmpty(section?.region) ?? FALLBACK_REGION;
}

function envRegion(env: Env): string | undefined {
  return nonEmpty(env[ENV_REGION]) ?? nonEmpty(env[ENV_DEFAULT_REGION]);
}

/** Options of `resolveRegion`. */
export interface ResolveRegionInit extends ProfileFilesInit {
  /**
   * The profile whose `region` counts.
   * @default `AWS_PROFILE` of `env`, else `default`
   */
  readonly profile?: string;
  /** @default `process.env` */
  readonly env?: Env;
}

/**
 * The region STS calls are signed for, as the AWS CLI picks it and `fromProfile` does:
 * `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region` (the credentials file's over
 * the config file's, key names in any case), then us-east-1. An explicit region (`--region`,
 * `clientConfig.region`) goes before all of these, and is the caller's to apply. The files are read
 * only when the environment names no region.
 *
 * ```ts
 * const region = await resolveRegion({ profile: 'deploy' });
 * ```
 */
export async function resolveRegion(init: ResolveRegionInit = {}): Promise<string> {
  const env = init.env ?? process.env;
  const fromEnv = envRegion(env);
  if (fromEnv !== undefined) return fromEnv;
  const profile = init.profile ?? nonEmpty(env.AWS_PROFILE) ?? 'default';
  const files = await loadProfileFiles({
    filepath: init.filepath ?? nonEmpty(env.AWS_SHARED_CREDENTIALS_FILE),
    configFilepath: init.configFilepath ?? nonEmpty(env.AWS_CONFIG_FILE),
  });
  let section: Section | undefined;
  try {
    section = profileSection(files, profile);
  } catch {
    section = undefined; // a clash in the profile is reported when its credentials are read
  }
  return regionFrom(env, section);
}
