import { InvalidParameterError } from '@credchain/core';
import type { CredentialProvider, FetchContext, FetchCredentials, TemporaryCredentials } from '@credchain/core';
import type { AwsCredentialIdentity } from '@smithy/types';

import { CredentialSourceError } from './CredentialSourceError';
import { sdkLogger } from './redact';
import { roleSession } from './roleSession';
import { checkRotated, rotatingProvider } from './rotation';
import { checkCount, checkMs, frozenInit, sourceKit } from './sourceKit';
import type { SourceProviderOptions } from './sourceKit';
import { toSourceError } from './toSourceError';

const ENV_ENDPOINT = 'AWS_EC2_METADATA_SERVICE_ENDPOINT';
const ENV_DISABLED = 'AWS_EC2_METADATA_DISABLED';
const DEFAULT_TIMEOUT_MS = 1000;

export interface FromInstanceMetadataInit extends SourceProviderOptions {
  /**
   * IMDS's base URL, `http://…` (the SDK reaches IMDS over plain HTTP only).
   * @default `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else the SDK's choice: the profile's
   * `ec2_metadata_service_endpoint`, else http://169.254.169.254 (or [fd00:ec2::254] in IPv6 mode)
   */
  readonly endpoint?: string;
  /** Socket timeout of each request to IMDS, in milliseconds. @default 1000 */
  readonly timeoutMs?: number;
  /** Retries of each request within one fetch (the engine retries failed fetches besides). @default 0 */
  readonly maxRetries?: number;
  /**
   * Refuse the IMDSv1 fallback (unsigned GETs when the token PUT fails).
   * @default false, unless `AWS_EC2_METADATA_V1_DISABLED` or the profile's `ec2_metadata_v1_disabled` says so
   */
  readonly ec2MetadataV1Disabled?: boolean;
}

type SdkCredentials = AwsCredentialIdentity & { readonly originalExpiration?: Date };

/**
 * Calls the SDK's provider aimed at `endpoint`. The SDK takes its endpoint only from the environment
 * (or the config file), and reads it synchronously as the call starts, before its first await: the
 * variable is set for that synchronous stretch and restored before anything else can run. A test pins
 * that the SDK still reads it there (tests/instanceMetadata: "init.endpoint is where the SDK goes").
 */
function callAt(sdk: () => Promise<SdkCredentials>, endpoint: string | undefined): Promise<SdkCredentials> {
  if (endpoint === undefined) return sdk();
  const env = process.env;
  const saved = env[ENV_ENDPOINT];
  env[ENV_ENDPOINT] = endpoint;
  try {
    return sdk();
  } finally {
    if (saved === undefined) delete env[ENV_ENDPOINT];
    else env[ENV_ENDPOINT] = saved;
  }
}

function checkInit(init: FromInstanceMetadataInit): void {
  const { endpoint } = init;
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = typeof endpoint === 'string' ? new URL(endpoint) : undefined;
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'http:') {
      throw new InvalidParameterError('endpoint', 'must be an http:// URL (the SDK reaches IMDS over plain HTTP)');
    }
  }
  checkMs('timeoutMs', init.timeoutMs);
  checkCount('maxRetries', init.maxRetries);
  if (init.ec2MetadataV1Disabled !== undefined && typeof init.ec2MetadataV1Disabled !== 'boolean') {
    throw new InvalidParameterError('ec2MetadataV1Disabled', 'must be a boolean');
  }
}

/**
 * The fetch of {@link fromInstanceMetadata}, for composing with an engine of one's own: one round of
 * the SDK's IMDS protocol per call (token PUT, role name, credentials), through a provider built for
 * that call, so the SDK's static-stability extension never passes old credentials off as new.
 * @throws InvalidParameterError naming `endpoint`, `timeoutMs`, `maxRetries` or `ec2MetadataV1Disabled`
 */
export function instanceMetadataFetch(init: FromInstanceMetadataInit = {}): FetchCredentials {
  const options = frozenInit(init);
  checkInit(options);
  const { logger, tag, clock } = sourceKit('instance-metadata', options);
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const quiet = sdkLogger(logger, tag);

  return async (context?: FetchContext): Promise<TemporaryCredentials> => {
    const disabled = process.env[ENV_DISABLED];
    if (disabled !== undefined && disabled !== '' && disabled.toLowerCase() !== 'false') {
      throw new CredentialSourceError('instance-metadata', `IMDS is disabled by ${ENV_DISABLED}`, {
        tryNextLink: true,
      });
    }
    const endpoint = options.endpoint ?? (process.env[ENV_ENDPOINT] || undefined);
    const where = endpoint === undefined ? 'IMDS' : `IMDS at ${endpoint}`;
    // A provider per fetch: the SDK's wraps itself in a static-stability layer that, after one success,
    // answers a failure with the old credentials under a new expiration.
    // Loaded here, at the first fetch: a cold start should not pay for a source it may never reach.
    const { fromInstanceMetadata: sdkFromInstanceMetadata } = await import('@smithy/credential-provider-imds');
    const sdk = sdkFromInstanceMetadata({
      timeout,
      maxRetries: options.maxRetries ?? 0,
      ...(options.ec2MetadataV1Disabled === undefined ? {} : { ec2MetadataV1Disabled: options.ec2MetadataV1Disabled }),
      logger: quiet,
    });
    let answer: SdkCredentials;
    try {
      answer = await callAt(sdk, options.endpoint);
    } catch (error) {
      throw toSourceError('instance-metadata', error, { where, timeoutMs: timeout });
    }
    if (answer.originalExpiration !== undefined) {
      // The SDK extends credentials IMDS hands out already expired: they are not fresh, whatever it says.
      throw new CredentialSourceError('instance-metadata', `${where} answered credentials that had already expired`);
    }
    const credentials = roleSession('instance-metadata', where, answer);
    checkRotated(credentials, context, { source: 'instance-metadata', where, logger, tag, now: clock.now() });
    return credentials;
  };
}

/**
 * The EC2 instance role's credentials from instance metadata (IMDSv2, with the SDK's IMDSv1 fallback
 * rules), cached and refreshed by the engine: refreshed in the background while they are valid, served
 * through an IMDS outage until they expire, never handed out expired. Tagged `role-session` (an
 * AssumeRole from them is role chaining, capped at one hour). Unless `refresh.advisoryWindowMs` is
 * given, the window follows EC2's rotation (see `rotationAdvisoryWindowMs`), so a refresh that gets the
 * same credentials back waits for the rotation instead of asking again.
 * @throws InvalidParameterError naming `endpoint`, `timeoutMs`, `maxRetries`, `ec2MetadataV1Disabled`
 * or an engine option
 */
export function fromInstanceMetadata(init: FromInstanceMetadataInit = {}): CredentialProvider {
  const options = frozenInit(init);
  return rotatingProvider(instanceMetadataFetch(options), sourceKit('instance-metadata', options).engine);
}
