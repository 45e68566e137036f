import { createHash } from 'node:crypto';
import type { StsLocalConfig } from '../config/types';
import { LOGIN_PATH } from './createSsoRequestHandler';
import { DEFAULT_PERMISSION_SET_SESSION_SECONDS, DEFAULT_PORTAL_SESSION_SECONDS } from './IdentityCenter';
import type { StsLocalSso } from './ssoHelpers';

/** The sso-session name the banner's example profile uses. */
export const EXAMPLE_SSO_SESSION = 'credchain-demo';

/** The banner's lines for `config.identityCenter`: the instance, its permission sets and who may use them. */
export function describeIdentityCenter(config: StsLocalConfig, served: boolean): string[] {
  const ic = config.identityCenter;
  if (ic === undefined) return [];
  const lines = [
    `  IAM Identity Center ${ic.startUrl} (${ic.region}; sign-ins last ` +
      `${ic.sessionDurationSeconds ?? DEFAULT_PORTAL_SESSION_SECONDS} s)${served ? '' : ' — serve it with --sso'}`,
  ];
  for (const set of ic.permissionSets) {
    const seconds = set.sessionDurationSeconds ?? DEFAULT_PERMISSION_SET_SESSION_SECONDS;
    lines.push(`    permission set ${set.name} — role AWSReservedSSO_${set.name}_… ; sessions of ${seconds} s`);
  }
  for (const user of ic.users) {
    const access = ic.assignments
      .filter((a) => a.userName === user.userName)
      .map((a) => `${a.permissionSet} in ${a.account}`);
    lines.push(`    user ${user.userName}: ${access.length > 0 ? access.join(', ') : 'no assignments'}`);
  }
  return lines;
}

/**
 * "Try it" lines for a served instance: fetch a cache file as `aws sso login` would leave it (from
 * sts-local's own sign-in route), the config profile that uses it, and the environment that aims SDKs
 * (and AWS CLI 2.13+) at sts-local.
 */
export function ssoTryIt(config: StsLocalConfig, sso: StsLocalSso, stsEndpoint: string): string[] {
  const assignment = config.identityCenter?.assignments[0];
  if (assignment === undefined) return [];
  const session = EXAMPLE_SSO_SESSION;
  const file = `${createHash('sha1').update(session).digest('hex')}.json`;
  const query = `user=${encodeURIComponent(assignment.userName)}&sso_session=${session}`;
  return [
    `  IAM Identity Center, as \`aws sso login\` leaves it (${assignment.userName}, sso-session ${session}):`,
    `    mkdir -p ~/.aws/sso/cache && curl -s -X POST '${sso.endpoint}${LOGIN_PATH}?${query}' \\`,
    `      -o ~/.aws/sso/cache/${file}`,
    '    with this in ~/.aws/config:',
    '      [profile credchain-sso]',
    `      sso_session = ${session}`,
    `      sso_account_id = ${assignment.account}`,
    `      sso_role_name = ${assignment.permissionSet}`,
    `      region = ${sso.region}`,
    `      [sso-session ${session}]`,
    `      sso_start_url = ${sso.startUrl}`,
    `      sso_region = ${sso.region}`,
    '      sso_registration_scopes = sso:account:access',
    `    AWS_ENDPOINT_URL_SSO=${sso.endpoint} AWS_ENDPOINT_URL_SSO_OIDC=${sso.endpoint} \\`,
    `      AWS_ENDPOINT_URL_STS=${stsEndpoint} aws sts get-caller-identity --profile credchain-sso`,
  ];
}
