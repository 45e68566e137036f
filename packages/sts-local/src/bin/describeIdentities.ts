import { demoConfig } from '../config/demoConfig';
import type { RoleTrustConfig } from '../config/types';
import { oidcProviderArn, roleArn, userArn } from '../model/IdentityStore';
import type { StsLocal } from '../server/startStsLocal';
import { describeServedRoles, endpointLines, endpointsTryIt } from '../endpoints/describeEndpoints';
import { describeIdentityCenter, ssoTryIt } from '../sso/describeIdentityCenter';

/** What a role's trust says, in a few words. */
function trustSummary(trust: RoleTrustConfig): string {
  const parts: string[] = [];
  if ((trust.principals ?? []).length > 0) parts.push(`trusts ${(trust.principals ?? []).join(', ')}`);
  if ((trust.samlProviders ?? []).length > 0) parts.push(`SAML via ${(trust.samlProviders ?? []).join(', ')}`);
  if ((trust.oidcProviders ?? []).length > 0) parts.push(`web identity via ${(trust.oidcProviders ?? []).join(', ')}`);
  if (trust.requireMfa === true) parts.push('MFA required');
  if (trust.externalId !== undefined) parts.push(`ExternalId ${trust.externalId}`);
  if (trust.requireSourceIdentity === true) parts.push('SourceIdentity required');
  if ((trust.services ?? []).length > 0) parts.push(`services ${(trust.services ?? []).join(', ')}`);
  return parts.join('; ');
}

/**
 * The banner the bin prints: endpoints, then every identity of the running config. Secrets are
 * printed only for the built-in demo config, whose keys are published demo values; a user's own
 * config shows key IDs only.
 */
export function describeIdentities(server: StsLocal): string {
  const config = server.config;
  const demo = config === demoConfig;
  const lines: string[] = [
    `sts-local is listening`,
    `  Regional endpoint: ${server.endpoint}   (sign for any region)`,
    `  Global endpoint:   ${server.globalEndpoint}   (behaves like sts.amazonaws.com: us-east-1 only)`,
    ...endpointLines(server),
    ...(server.sso === undefined
      ? []
      : [`  IAM Identity Center: ${server.sso.endpoint}   (SSO portal GetRoleCredentials and OIDC CreateToken)`]),
    '',
    demo
      ? 'Identities (the built-in demo config; ' +
        'the keys and MFA seed below are published DEMO values that protect nothing):'
      : 'Identities (from your config; secrets are not printed):',
  ];
  const key = (k: { accessKeyId: string; secretAccessKey: string }) =>
    demo ? `${k.accessKeyId} / ${k.secretAccessKey}` : k.accessKeyId;
  for (const account of config.accounts) {
    lines.push(`  account ${account.id}${account.alias === undefined ? '' : ` (${account.alias})`}`);
    for (const k of account.rootAccessKeys ?? []) lines.push(`    root user keys: ${key(k)}`);
    for (const user of (config.users ?? []).filter((u) => u.account === account.id)) {
      lines.push(`    user ${userArn(user)}`);
      for (const k of user.accessKeys ?? []) lines.push(`      keys: ${key(k)}`);
      for (const d of user.mfaDevices ?? [])
        lines.push(`      MFA device: ${d.serialNumber}${demo ? ` (seed ${d.secretBase32})` : ''}`);
    }
    for (const role of (config.roles ?? []).filter((r) => r.account === account.id)) {
      lines.push(
        `    role ${roleArn(role)} — ${trustSummary(role.trust) || 'trusts nobody'}; ` +
          `max ${role.maxSessionDuration ?? 3600} s`,
      );
    }
  }
  for (const p of config.samlProviders ?? []) lines.push(`  SAML provider ${p.arn}`);
  for (const p of config.oidcProviders ?? [])
    lines.push(`  OIDC provider ${oidcProviderArn(p)} — issuer ${p.url}, audiences ${p.clientIds.join(', ')}`);
  const org = config.organization;
  if (org !== undefined) {
    lines.push(
      `  organization: management ${org.managementAccount}; members ${org.memberAccounts.join(', ')}` +
        ((org.delegatedAdministrators ?? []).length > 0
          ? `; delegated administrators ${(org.delegatedAdministrators ?? []).join(', ')}`
          : ''),
    );
  }
  lines.push(...describeIdentityCenter(config, server.sso !== undefined));
  lines.push(...describeServedRoles(config));
  const serial = config.users?.flatMap((u) => u.mfaDevices ?? [])[0]?.serialNumber;
  const firstKey = config.users?.flatMap((u) => u.accessKeys ?? [])[0];
  lines.push('', 'Try it:');
  if (firstKey !== undefined) {
    lines.push(
      `  AWS_ACCESS_KEY_ID=${firstKey.accessKeyId} ` +
        `AWS_SECRET_ACCESS_KEY=${demo ? firstKey.secretAccessKey : '<its secret>'} \\`,
      `    aws sts get-caller-identity --endpoint-url ${server.endpoint}`,
    );
  }
  if (serial !== undefined) {
    lines.push(`  Current TOTP code of an MFA device: sts-local totp ${serial}${demo ? '' : ' --config FILE'}`);
  }
  if (server.sso !== undefined) lines.push(...ssoTryIt(config, server.sso, server.endpoint));
  lines.push(...endpointsTryIt(server));
  lines.push('', 'Ctrl-C stops it.', '');
  return lines.join('\n');
}
