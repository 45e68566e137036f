import type { STSClientConfig } from '@aws-sdk/client-sts';
import { InvalidParameterError } from '@credchain/core';
import { noopLogger, validateGetSessionTokenParams } from '@credchain/core/provider-kit';
import type { EventListener, Logger, MfaCodeProvider, RefreshOptions, RetryOptions } from '@credchain/core';
import type { SsoClientConfig } from '@credchain/sources';
import { getProfileName } from '@smithy/shared-ini-file-loader';

import { defaultCliCacheDir } from './cliCache';
import { buildPlan } from './buildPlan';
import type { BuildContext } from './buildPlan';
import { stsClientConfigFor } from './clientConfig';
import { describePlan } from './plan';
import { loadProfileFiles } from './profileFiles';
import { resolvePlan } from './resolvePlan';
import { shareUsedMfaCodes } from './shareUsedMfaCodes';
import type { Plan } from './resolvePlan';
import type { ProfileCredentialProvider } from './types';

/** Options of `fromProfile`. */
export interface FromProfileInit {
  /**
   * The profile to use.
   * @default `AWS_PROFILE`, else `default`
   */
  readonly profile?: string;
  /**
   * The shared credentials file.
   * @default `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`
   */
  readonly filepath?: string;
  /**
   * The shared config file.
   * @default `AWS_CONFIG_FILE`, else `~/.aws/config`
   */
  readonly configFilepath?: string;
  /** Asked for a code whenever a profile with `mfa_serial` needs one. Required for such profiles. @default none */
  readonly mfaCodeProvider?: MfaCodeProvider;
  /**
   * Share the AWS CLI's cache of assumed roles: `true` for `~/.aws/cli/cache`, or a directory.
   * Roles the CLI assumed are used without calling STS, and roles assumed here are written for it.
   * MFA codes used by processes sharing the directory are recorded there (hashed), so that none is
   * sent twice: see `shareUsedMfaCodes`.
   * @default false
   */
  readonly cliCache?: boolean | string;
  /**
   * MFA once for many roles: roles with an `mfa_serial` whose source is a profile with long-term
   * keys are assumed from one GetSessionToken-with-MFA session per device (shared across
   * `fromProfile` calls in the process), instead of one prompt per role. Roles assumed from such a
   * session are not role chaining and keep their full `duration_seconds`.
   * @default off (each role prompts, as the AWS CLI does)
   */
  readonly mfaSession?: { readonly durationSeconds?: number };
  /**
   * A role assumed with role-session credentials (role chaining: its source is another role, web
   * identity or IAM Identity Center) gets one hour at most from STS. By default a `duration_seconds`
   * above 3600 is lowered to 3600 (a `duration-capped` event); with `strictDuration: true` it is an
   * error instead, raised before any STS call when the chain shows it (a source of unknown kind,
   * such as session keys, is checked when the role is assumed).
   * @default false
   */
  readonly strictDuration?: boolean;
  /**
   * Configuration of the STS clients (endpoint, requestHandler, …). Its `region` wins over the
   * environment's and the profile's; its `endpoint` over every configured endpoint; its
   * `useGlobalEndpoint` over `sts_regional_endpoints`.
   * @default region: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region`, then
   * us-east-1; endpoint: `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the profile's `services`
   * section, its `endpoint_url` (none with `ignore_configured_endpoint_urls`)
   */
  readonly clientConfig?: STSClientConfig;
  /**
   * Configuration of the IAM Identity Center clients of SSO profiles: the portal (GetRoleCredentials)
   * and SSO OIDC (token refresh), e.g. an `endpoint` for both, a `requestHandler`. The region is the
   * profile's `sso_region` unless this sets one.
   * @default the SDK's (endpoints from `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SSO_OIDC`, …)
   */
  readonly ssoClientConfig?: SsoClientConfig;
  /** The refresh engine's options, for every provider built. @default the engine's defaults */
  readonly refresh?: RefreshOptions;
  /** Background retry options. @default the engine's defaults */
  readonly retry?: RetryOptions;
  /** @default no logging */
  readonly logger?: Logger;
  /** Events of every provider built (refresh-*, mfa-prompt, duration-capped, …). @default none */
  readonly onEvent?: EventListener;
}

const KNOWN_OPTIONS = new Set([
  'profile',
  'filepath',
  'configFilepath',
  'mfaCodeProvider',
  'cliCache',
  'mfaSession',
  'strictDuration',
  'clientConfig',
  'ssoClientConfig',
  'refresh',
  'retry',
  'logger',
  'onEvent',
]);

/** Checks the options as untyped input: a JavaScript caller can pass anything, so every field is `unknown` here. */
function checkInit(input: unknown): void {
  if (typeof input !== 'object' || input === null) throw new InvalidParameterError('init', 'must be an options object');
  const init = input as { readonly [K in keyof FromProfileInit]?: unknown };
  for (const key of Object.keys(init)) {
    if (!KNOWN_OPTIONS.has(key)) throw new InvalidParameterError(key, 'is not an option of fromProfile');
  }
  for (const key of ['profile', 'filepath', 'configFilepath'] as const) {
    const v = init[key];
    if (v !== undefined && (typeof v !== 'string' || v === ''))
      throw new InvalidParameterError(key, 'must be a non-empty string');
  }
  if (init.mfaCodeProvider !== undefined && typeof init.mfaCodeProvider !== 'function') {
    throw new InvalidParameterError('mfaCodeProvider', 'must be a function (serialNumber) => Promise<string>');
  }
  const cache = init.cliCache;
  if (cache !== undefined && typeof cache !== 'boolean' && (typeof cache !== 'string' || cache === '')) {
    throw new InvalidParameterError('cliCache', 'must be true, false or a directory path');
  }
  const mfaSession = init.mfaSession;
  if (mfaSession !== undefined) {
    if (typeof mfaSession !== 'object' || mfaSession === null) {
      throw new InvalidParameterError('mfaSession', 'must be an object ({ durationSeconds? })');
    }
    const d = (mfaSession as { durationSeconds?: unknown }).durationSeconds;
    if (d !== undefined) {
      try {
        // The validator checks the value at run time, whatever its type.
        validateGetSessionTokenParams({ DurationSeconds: d as number });
      } catch (error) {
        throw new InvalidParameterError(
          'mfaSession.durationSeconds',
          (error as { rule?: string }).rule ?? 'must be 900–129600',
        );
      }
    }
  }
  if (init.strictDuration !== undefined && typeof init.strictDuration !== 'boolean') {
    throw new InvalidParameterError('strictDuration', 'must be a boolean');
  }
  const clientConfig = init.clientConfig;
  if (clientConfig !== undefined && (typeof clientConfig !== 'object' || clientConfig === null)) {
    throw new InvalidParameterError('clientConfig', 'must be an STSClientConfig object');
  }
  const ssoClientConfig = init.ssoClientConfig;
  if (ssoClientConfig !== undefined && (typeof ssoClientConfig !== 'object' || ssoClientConfig === null)) {
    throw new InvalidParameterError('ssoClientConfig', 'must be an SSO client configuration object');
  }
  if (init.onEvent !== undefined && typeof init.onEvent !== 'function') {
    throw new InvalidParameterError('onEvent', 'must be a function');
  }
}

/**
 * Credentials of a profile of `~/.aws/config` and `~/.aws/credentials`, resolved as the AWS CLI v2
 * does (precedence in `resolvePlan`): roles (`role_arn` with `source_profile`, recursively, or
 * `credential_source = Environment | Ec2InstanceMetadata | EcsContainer`), MFA, web identity,
 * IAM Identity Center (`sso_session` or legacy `sso_start_url`), static keys and
 * `credential_process`. Roles are assumed with credchain's providers, so they are cached, refreshed
 * in the background, capped at one hour when chained, and share MFA prompts. The files are read at
 * the first call, not here.
 *
 * ```ts
 * const credentials = fromProfile({ profile: 'deploy', mfaCodeProvider: promptCodeProvider(), cliCache: true });
 * const s3 = new S3Client({ credentials });
 * ```
 */
export function fromProfile(init: FromProfileInit = {}): ProfileCredentialProvider {
  checkInit(init);
  const logger = init.logger ?? noopLogger;
  const closers: Array<() => void> = [];
  let built: Promise<ProfileCredentialProvider> | undefined;
  let sharedCodes: MfaCodeProvider | undefined;

  const build = async (): Promise<ProfileCredentialProvider> => {
    const profile = getProfileName({ ...(init.profile === undefined ? {} : { profile: init.profile }) });
    const files = await loadProfileFiles(init);
    const plan: Plan = resolvePlan(files, profile);
    logger.debug(`credchain:profile - ${profile}: ${describePlan(plan)}`);
    const cliCacheDir = init.cliCache === true ? defaultCliCacheDir() : init.cliCache || undefined;
    // Processes sharing the cache share the record of used MFA codes too (one wrapper per fromProfile,
    // so that a rebuild after a failed read keeps what this process used).
    const mfaCodeProvider =
      cliCacheDir === undefined || init.mfaCodeProvider === undefined
        ? init.mfaCodeProvider
        : (sharedCodes ??= shareUsedMfaCodes(init.mfaCodeProvider, {
            dir: cliCacheDir,
            ...(init.refresh?.clock === undefined ? {} : { clock: init.refresh.clock }),
          }));
    const context: BuildContext = {
      init: { ...init, ...(mfaCodeProvider === undefined ? {} : { mfaCodeProvider }) },
      logger,
      clientConfig: stsClientConfigFor(init.clientConfig ?? {}, files, profile, process.env, logger),
      cliCacheDir,
      closers,
    };
    return buildPlan(plan, context);
  };

  const ready = (): Promise<ProfileCredentialProvider> => {
    built ??= build().catch((error: unknown) => {
      built = undefined; // a fixed file is read again on the next call
      throw error;
    });
    return built;
  };

  const provider = (async (props?: Record<string, unknown>) => (await ready())(props)) as ProfileCredentialProvider;
  provider.refresh = async () => (await ready()).refresh();
  provider.close = () => {
    for (const close of closers.splice(0)) close();
  };
  provider[Symbol.dispose] = () => provider.close();
  // Every provider built for a profile caches (the engine) or holds fixed keys: an SDK client must not put its own
  // 5-minute cache in front, which would hand back credentials the engine replaced or invalidated.
  Object.defineProperty(provider, 'memoized', { value: true, writable: true });
  return provider;
}
