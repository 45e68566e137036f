import { inspect } from 'node:util';
import type { Clock } from '../server/clock';
import { ACCESS_TOKEN_SECONDS, REGISTRATION_SECONDS, type SsoState } from './SsoState';
import { writeTokenCacheFile } from './tokenCacheFile';

/** Options of `sts.sso.login()`: who signs in, and how, as `aws sso login` would. */
export interface SsoLoginOptions {
  /** The Identity Center user. @default the instance's first user */
  readonly user?: string;
  /**
   * The sso-session name (`[sso-session NAME]`). With one, the sign-in is refreshable, as with
   * `aws sso login` for an `sso_session` profile: a refresh token comes with the access token.
   * Without, it is a legacy (`sso_start_url` profile) sign-in: no refresh token.
   * @default undefined (legacy)
   */
  readonly sessionName?: string;
  /** The start URL the sign-in is for; must be the instance's. @default the instance's `startUrl` */
  readonly startUrl?: string;
  /**
   * Lifetime of the access token, exact (not scaled).
   * @default 1 h × timeScale when refreshable; the portal session (`sessionDurationMs`) when legacy
   */
  readonly accessTokenTtlMs?: number;
  /**
   * How long the sign-in lasts: the refresh token's lifetime, exact.
   * @default the instance's sessionDurationSeconds × timeScale
   */
  readonly sessionDurationMs?: number;
  /** Lifetime of the client registration the sign-in makes, exact. @default 90 days × timeScale */
  readonly registrationTtlMs?: number;
}

/**
 * What a sign-in hands out: the fields of the `aws sso login` cache file (times in epoch ms on the
 * server's clock) and who it is for. `util.inspect` and `JSON.stringify` show neither token nor secret.
 */
export interface SsoTokenSet {
  readonly user: string;
  readonly startUrl: string;
  readonly region: string;
  readonly sessionName: string | undefined;
  readonly accessToken: string;
  readonly expiresAt: number;
  /** Only refreshable (sso-session) sign-ins have one. */
  readonly refreshToken: string | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly registrationExpiresAt: number;
  toJSON(): object;
  [inspect.custom](): string;
}

/** Options of `sts.sso.writeTokenCache()`. */
export interface WriteTokenCacheOptions extends SsoLoginOptions {
  /** The home directory holding `.aws` (a test's temporary HOME; the real one only if you mean it). */
  readonly home: string;
  /** Tokens of an earlier `login()` to write; without, it signs in with the other options first. */
  readonly tokens?: SsoTokenSet;
}

/** The IAM Identity Center endpoint of a started sts-local (`startStsLocal({ sso: true })`). */
export interface StsLocalSso {
  /**
   * `http://127.0.0.1:PORT`: the SSO portal (GetRoleCredentials) and SSO OIDC (CreateToken,
   * RegisterClient) both; give it as `clientConfig.endpoint` of `fromSSO`, or as
   * `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL_SSO_OIDC`.
   */
  readonly endpoint: string;
  /** The instance's start URL (`sso_start_url`). */
  readonly startUrl: string;
  /** The instance's region (`sso_region`). */
  readonly region: string;
  /** Signs a user in, as `aws sso login` does (device authorization skipped), and returns the tokens. */
  login(options?: SsoLoginOptions): SsoTokenSet;
  /**
   * Writes the file `aws sso login` would leave in `HOME/.aws/sso/cache` (named after the sso-session
   * name, or the start URL when legacy) and returns its path.
   */
  writeTokenCache(options: WriteTokenCacheOptions): string;
  /** Ends the sign-in `token` (access or refresh) belongs to: its tokens answer 401 / InvalidGrantException. */
  revoke(token: string): void;
  /** Makes one token (access or refresh) expire now, on the server's clock. */
  expire(token: string): void;
}

const SESSION_NAME = /^[^\s[\]]+$/;

function checkMs(name: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0 && Number.isFinite(value)))
    throw new TypeError(`sso.login: ${name} must be a positive number of milliseconds`);
}

/** Signs a user in at `now`, as `aws sso login` does once the user has approved the device. */
export function ssoLogin(state: SsoState, now: number, options: SsoLoginOptions = {}): SsoTokenSet {
  const { center, tokens, timeScale } = state;
  const user = options.user ?? center.config.users[0]?.userName;
  if (user === undefined || !center.hasUser(user))
    throw new TypeError(`sso.login: user ${String(user)} is not in config.identityCenter.users`);
  const { sessionName } = options;
  if (sessionName !== undefined && !SESSION_NAME.test(sessionName))
    throw new TypeError('sso.login: sessionName must be an sso-session name: no spaces or brackets');
  if (options.startUrl !== undefined && options.startUrl !== center.startUrl)
    throw new TypeError(`sso.login: startUrl must be the instance's, ${center.startUrl}`);
  checkMs('accessTokenTtlMs', options.accessTokenTtlMs);
  checkMs('sessionDurationMs', options.sessionDurationMs);
  checkMs('registrationTtlMs', options.registrationTtlMs);
  const refreshable = sessionName !== undefined;
  const sessionMs = options.sessionDurationMs ?? center.sessionDurationSeconds * 1000 * timeScale;
  const client = tokens.registerClient(
    // The AWS CLI's names: botocore-client-<session>, or a timestamp for legacy sign-ins.
    `botocore-client-${sessionName ?? Math.floor(now / 1000)}`,
    now,
    options.registrationTtlMs ?? REGISTRATION_SECONDS * 1000 * timeScale,
  );
  const issued = tokens.signIn(
    {
      userName: user,
      clientId: client.clientId,
      refreshable,
      accessTtlMs: options.accessTokenTtlMs ?? (refreshable ? ACCESS_TOKEN_SECONDS * 1000 * timeScale : sessionMs),
      sessionMs,
    },
    now,
  );
  const set: Omit<SsoTokenSet, 'toJSON' | typeof inspect.custom> = {
    user,
    startUrl: center.startUrl,
    region: center.region,
    sessionName,
    accessToken: issued.accessToken,
    expiresAt: issued.expiresAt,
    refreshToken: issued.refreshToken,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    registrationExpiresAt: client.expiresAt,
  };
  // A logged token set shows whose it is and until when, never a token or the client secret.
  const shown = () => ({
    user,
    startUrl: set.startUrl,
    sessionName,
    expiresAt: new Date(set.expiresAt).toISOString(),
    refreshable,
  });
  return Object.freeze({ ...set, toJSON: shown, [inspect.custom]: () => `SsoTokenSet ${JSON.stringify(shown())}` });
}

/** The `sts.sso` helpers over the SSO endpoint's state. */
export function createSsoHelpers(state: SsoState, clock: Clock, endpoint: string): StsLocalSso {
  const { center, tokens } = state;
  const login = (options?: SsoLoginOptions): SsoTokenSet => ssoLogin(state, clock.now(), options);
  const known = (what: string, done: boolean) => {
    if (!done) throw new TypeError(`sso.${what}: not a token this server issued`);
  };
  return {
    endpoint,
    startUrl: center.startUrl,
    region: center.region,
    login,
    writeTokenCache(options) {
      if (typeof options.home !== 'string' || options.home === '')
        throw new TypeError('sso.writeTokenCache: home must be the directory that holds .aws');
      const set = options.tokens ?? login(options);
      return writeTokenCacheFile(options.home, set.sessionName ?? set.startUrl, set);
    },
    revoke: (token) => known('revoke', tokens.revoke(token)),
    expire: (token) => known('expire', tokens.expire(token, clock.now())),
  };
}
