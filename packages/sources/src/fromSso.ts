import type { FromSSOInit } from '@aws-sdk/credential-provider-sso';
import { InvalidParameterError, createRefreshingProvider } from '@credchain/core';
import type { CredentialProvider, FetchCredentials, TemporaryCredentials } from '@credchain/core';

import { CredentialSourceError } from './CredentialSourceError';
import { sdkLogger } from './redact';
import { roleSession } from './roleSession';
import { checkString, frozenInit, sourceKit } from './sourceKit';
import type { SourceProviderOptions } from './sourceKit';
import { diagnoseTokenCache } from './ssoTokenCache';
import { toSourceError } from './toSourceError';

/** Configuration of the SSO portal and SSO OIDC clients (region, endpoint, requestHandler, …). */
export type SsoClientConfig = NonNullable<FromSSOInit['clientConfig']>;

export interface FromSsoInit extends SourceProviderOptions {
  /**
   * The profile to read: an `sso_session` profile (its token refreshed through SSO OIDC as `aws sso
   * login` left it) or a legacy `sso_start_url` one. Needed for session tokens even with the fields
   * below, since the SDK looks the profile's `sso_session` up in the config file.
   * @default `AWS_PROFILE`, else `default`
   */
  readonly profile?: string;
  /** The credentials file. @default `AWS_SHARED_CREDENTIALS_FILE`, else ~/.aws/credentials */
  readonly filepath?: string;
  /** The config file. @default `AWS_CONFIG_FILE`, else ~/.aws/config */
  readonly configFilepath?: string;
  /** The `sso-session` name, with the four fields below instead of a profile's. */
  readonly ssoSession?: string;
  readonly ssoStartUrl?: string;
  /** 12 digits. */
  readonly ssoAccountId?: string;
  readonly ssoRoleName?: string;
  readonly ssoRegion?: string;
  /** The SSO portal and OIDC clients' configuration, e.g. an `endpoint` for both. @default the SDK's */
  readonly clientConfig?: SsoClientConfig;
}

const FIELDS = ['ssoStartUrl', 'ssoAccountId', 'ssoRoleName', 'ssoRegion'] as const;

function checkInit(init: FromSsoInit): void {
  for (const option of ['profile', 'filepath', 'configFilepath', 'ssoSession', ...FIELDS] as const) {
    checkString(option, init[option]);
  }
  if (FIELDS.some((f) => init[f] !== undefined) || init.ssoSession !== undefined) {
    const missing = FIELDS.find((f) => init[f] === undefined);
    if (missing !== undefined) {
      throw new InvalidParameterError(missing, `is required with ${FIELDS.filter((f) => f !== missing).join(', ')}`);
    }
  }
  if (init.ssoAccountId !== undefined && !/^\d{12}$/.test(init.ssoAccountId)) {
    throw new InvalidParameterError('ssoAccountId', 'must be an AWS account id of 12 digits');
  }
  const config: unknown = init.clientConfig;
  if (config !== undefined && (typeof config !== 'object' || config === null)) {
    throw new InvalidParameterError('clientConfig', 'must be an SSO client configuration object');
  }
}

/** The service's error code at the head of the message the SDK wraps it into (`UnauthorizedException: …`). */
const codeOf = (message: string): string | undefined => /^(?:\w+: )?(\w+Exception)\b/.exec(message)?.[1];

const LOGIN = 'run `aws sso login` to sign in again';

/**
 * The SDK's error as a CredentialSourceError: what it says, in words a user can act on, with the
 * token cache file looked at when the token is the trouble (missing, not JSON, without its fields).
 */
async function ssoError(error: unknown, init: FromSsoInit, where: string): Promise<CredentialSourceError> {
  const message = error instanceof Error ? error.message : '';
  const tryNextLink = (error as { tryNextLink?: unknown } | undefined)?.tryNextLink === true;
  if (tryNextLink) return toSourceError('sso', error, { where });
  const code = codeOf(message);
  const fail = (text: string, final = false) =>
    new CredentialSourceError('sso', text, { final, cause: toSourceError('sso', error, { where }).cause });
  if (
    /token .*not found or is invalid|session associated with this profile is invalid|Value not present/.test(message)
  ) {
    return fail(`${await diagnoseTokenCache(init)}; ${LOGIN}`);
  }
  if (/expired/i.test(message) && code === undefined) {
    return fail(`the SSO session has expired and could not be refreshed; ${LOGIN}`);
  }
  if (code === 'UnauthorizedException') return fail(`IAM Identity Center refused the access token (${code}); ${LOGIN}`);
  if (code === 'ForbiddenException' || code === 'ResourceNotFoundException') {
    const role = init.ssoRoleName === undefined ? 'the role' : `role ${init.ssoRoleName}`;
    return fail(`IAM Identity Center does not give this user ${role} in the account (${code})`, true);
  }
  if (/invalid SSO credentials|Incomplete configuration|Conflicting SSO/.test(message)) {
    return toSourceError('sso', error, { where }, { final: true });
  }
  return toSourceError('sso', error, { where });
}

/**
 * The fetch of {@link fromSso}, for composing with an engine of one's own: role credentials from IAM
 * Identity Center's GetRoleCredentials per call, through the SDK's `fromSSO` (which refreshes the
 * session token through SSO OIDC when it is due, and writes it back to the cache, as the AWS CLI does).
 * @throws InvalidParameterError naming a bad option
 */
export function ssoFetch(init: FromSsoInit = {}): FetchCredentials {
  const options = frozenInit(init);
  checkInit(options);
  const { logger, tag } = sourceKit('sso', options);
  const clientConfig = options.clientConfig === undefined ? undefined : Object.freeze({ ...options.clientConfig });
  const where = `IAM Identity Center${options.profile === undefined ? '' : ` (profile ${options.profile})`}`;

  return async (): Promise<TemporaryCredentials> => {
    // Loaded here, at the first fetch: a cold start should not pay for a source it may never reach.
    const { fromSSO } = await import('@aws-sdk/credential-provider-sso');
    const sdk = fromSSO({
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(options.filepath === undefined ? {} : { filepath: options.filepath }),
      ...(options.configFilepath === undefined ? {} : { configFilepath: options.configFilepath }),
      ...(options.ssoSession === undefined ? {} : { ssoSession: options.ssoSession }),
      ...(options.ssoStartUrl === undefined ? {} : { ssoStartUrl: options.ssoStartUrl }),
      ...(options.ssoAccountId === undefined ? {} : { ssoAccountId: options.ssoAccountId }),
      ...(options.ssoRoleName === undefined ? {} : { ssoRoleName: options.ssoRoleName }),
      ...(options.ssoRegion === undefined ? {} : { ssoRegion: options.ssoRegion }),
      ...(clientConfig === undefined ? {} : { clientConfig: { ...clientConfig } }),
      // The files are read again at every fetch: `aws sso login` or an edit may have changed them.
      ignoreCache: true,
      logger: sdkLogger(logger, tag),
    });
    let answer;
    try {
      answer = await sdk();
    } catch (error) {
      throw await ssoError(error, options, where);
    }
    return roleSession('sso', where, answer);
  };
}

/**
 * Role credentials from IAM Identity Center (SSO), for the session `aws sso login` left in
 * ~/.aws/sso/cache, cached and refreshed by the engine: GetRoleCredentials again in the background
 * before they expire, the session token refreshed through SSO OIDC as the AWS CLI refreshes it. A
 * missing, malformed or expired token is a CredentialSourceError saying to sign in again. Tagged
 * `role-session`.
 * @throws InvalidParameterError naming a bad option
 */
export function fromSso(init: FromSsoInit = {}): CredentialProvider {
  const options = frozenInit(init);
  const fetch = ssoFetch(options);
  const { engine } = sourceKit('sso', options);
  return createRefreshingProvider(fetch, engine);
}
