import { roleArn, roleId } from '../model/IdentityStore';
import { DEFAULT_PERMISSION_SET_SESSION_SECONDS } from './IdentityCenter';
import { portalError } from './SsoErrorResponse';
import type { SsoState } from './SsoState';

/** What GetRoleCredentials reads from a request. */
export interface GetRoleCredentialsRequest {
  readonly roleName: string | undefined;
  readonly accountId: string | undefined;
  /** The `x-amz-sso_bearer_token` header. */
  readonly accessToken: string | undefined;
}

/** The 200 body: `{"roleCredentials": {…, "expiration": epoch ms}}`. */
export interface GetRoleCredentialsResponse {
  readonly roleCredentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken: string;
    readonly expiration: number;
  };
}

/**
 * The portal's GetRoleCredentials: the bearer token must be an access token sts-local issued and
 * still valid (else 401 UnauthorizedException); the user must be assigned the permission set in the
 * account (else 403 ForbiddenException "No access" — also for accounts and permission sets that do
 * not exist, which the portal does not tell apart). Issues a session of the `AWSReservedSSO_…`
 * role named after the user, lasting the permission set's session duration.
 */
export function getRoleCredentials(
  state: SsoState,
  request: GetRoleCredentialsRequest,
  now: number,
): { body: GetRoleCredentialsResponse; callerArn: string; accessKeyId: string } {
  const { roleName, accountId, accessToken } = request;
  if (roleName === undefined || roleName === '') throw portalError.invalidRequest('role_name is required');
  if (accountId === undefined || accountId === '') throw portalError.invalidRequest('account_id is required');
  const userName = accessToken === undefined ? undefined : state.tokens.userOfAccessToken(accessToken, now);
  if (userName === undefined) throw portalError.unauthorized();
  const assigned = state.center.assignedRole(userName, accountId, roleName);
  if (assigned === undefined) throw portalError.forbidden();
  const { role, permissionSet } = assigned;
  const seconds = permissionSet.sessionDurationSeconds ?? DEFAULT_PERMISSION_SET_SESSION_SECONDS;
  // The assumed-role ARN leaves the role's path out (/aws-reserved/sso.amazonaws.com/), as STS's do.
  const arn = `arn:aws:sts::${role.account}:assumed-role/${role.name}/${userName}`;
  const issued = state.sessions.issue(role.account, now, seconds * 1000 * state.timeScale, (id, expiration) => ({
    origin: 'role-session',
    account: role.account,
    arn,
    userId: `${roleId(role)}:${userName}`,
    isRootUser: false,
    roleArn: roleArn(role),
    mfaAuthenticated: false,
    transitiveTags: [],
    accessKeyId: id,
    expiration,
  }));
  const roleCredentials = {
    accessKeyId: issued.accessKeyId,
    secretAccessKey: issued.secretAccessKey,
    sessionToken: issued.sessionToken,
    expiration: issued.expiration,
  };
  // The log shows whose session was handed out (ARN and key ID are not secret).
  return { body: { roleCredentials }, callerArn: arn, accessKeyId: issued.accessKeyId };
}
