import { SsoErrorResponse, oidcError } from './SsoErrorResponse';
import { ACCESS_TOKEN_SECONDS, REGISTRATION_SECONDS, type SsoState } from './SsoState';
import type { RefreshRefusal } from './SsoTokenStore';

/** CreateToken's 200 body. */
export interface CreateTokenResponse {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds. */
  readonly expiresIn: number;
  readonly refreshToken?: string;
}

/** RegisterClient's 200 body. */
export interface RegisterClientResponse {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Epoch seconds. */
  readonly clientIdIssuedAt: number;
  /** Epoch seconds. */
  readonly clientSecretExpiresAt: number;
}

const REFRESH_GRANT = 'refresh_token';
/** Grants the service has that sts-local does not serve (a sign-in is `sts.sso.login()` here). */
const SIGN_IN_GRANTS = ['urn:ietf:params:oauth:grant-type:device_code', 'authorization_code'];

const REFUSALS: Record<RefreshRefusal, string> = {
  unknown: 'Invalid refresh token provided',
  'other-client': 'Refresh token was issued to another client',
  spent: 'Refresh token has already been used',
  revoked: 'Refresh token has been revoked',
  expired: 'Refresh token has expired',
};

/** A string member of a JSON body: absent is undefined, any other type is a bad request. */
function member(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw oidcError.invalidRequest(`${name} must be a string`);
  return value;
}

function required(body: Readonly<Record<string, unknown>>, name: string): string {
  const value = member(body, name);
  if (value === undefined || value === '') throw oidcError.invalidRequest(`${name} is required`);
  return value;
}

/**
 * SSO OIDC CreateToken with the `refresh_token` grant, as the SDKs and the AWS CLI refresh a cached
 * token: the client must authenticate (else 401 InvalidClientException); the refresh token must be
 * one this server issued to that client, unspent, unrevoked and unexpired (else InvalidGrantException).
 * The answer rotates the refresh token: a new one comes back and the old one is spent.
 */
export function createToken(
  state: SsoState,
  body: Readonly<Record<string, unknown>>,
  now: number,
): CreateTokenResponse {
  const clientId = required(body, 'clientId');
  const clientSecret = required(body, 'clientSecret');
  const grantType = required(body, 'grantType');
  if (state.tokens.authenticateClient(clientId, clientSecret, now) === undefined)
    throw oidcError.invalidClient('Invalid client, or its registration has expired');
  if (grantType !== REFRESH_GRANT) {
    throw oidcError.unsupportedGrantType(
      SIGN_IN_GRANTS.includes(grantType)
        ? `sts-local serves only the refresh_token grant, not ${grantType}; sign in with sts.sso.login()`
        : 'Unsupported grant type',
    );
  }
  const refreshToken = required(body, 'refreshToken');
  const outcome = state.tokens.refresh(refreshToken, clientId, now, ACCESS_TOKEN_SECONDS * 1000 * state.timeScale);
  if (typeof outcome === 'string') throw oidcError.invalidGrant(REFUSALS[outcome]);
  return {
    accessToken: outcome.accessToken,
    tokenType: 'Bearer',
    expiresIn: Math.max(0, Math.floor((outcome.expiresAt - now) / 1000)),
    ...(outcome.refreshToken === undefined ? {} : { refreshToken: outcome.refreshToken }),
  };
}

/** SSO OIDC RegisterClient: a public client whose secret expires in 90 days (× timeScale). */
export function registerClient(
  state: SsoState,
  body: Readonly<Record<string, unknown>>,
  now: number,
): RegisterClientResponse {
  const clientName = required(body, 'clientName');
  const clientType = required(body, 'clientType');
  if (clientType !== 'public')
    throw new SsoErrorResponse('InvalidClientMetadataException', 400, 'Invalid client type', 'invalid_client_metadata');
  const scopes = body.scopes;
  if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string')))
    throw oidcError.invalidScope('scopes must be an array of strings');
  const registration = state.tokens.registerClient(clientName, now, REGISTRATION_SECONDS * 1000 * state.timeScale);
  return {
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    clientIdIssuedAt: Math.floor(now / 1000),
    clientSecretExpiresAt: registration.expiresAt / 1000,
  };
}
