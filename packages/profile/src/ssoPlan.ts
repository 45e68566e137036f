import { ProfileConfigError } from './errors';
import { checkKeyCase } from './profileFiles';
import type { ProfileFiles, Section } from './profileFiles';
import type { SsoPlan } from './plan';

const REQUIRED = ['sso_role_name', 'sso_account_id', 'sso_start_url', 'sso_region'] as const;
/** Values an error may quote: any other key of a section may hold a secret. */
const QUOTABLE = new Set(['sso_start_url', 'sso_region', 'sso_registration_scopes', 'sso_account_id', 'sso_role_name']);

/** Whether the AWS CLI reads this profile as IAM Identity Center: it names a role or an account. */
export function isSsoProfile(s: Section): boolean {
  return s.sso_role_name !== undefined || s.sso_account_id !== undefined;
}

/**
 * The IAM Identity Center plan of a profile, as botocore 2.9.19's `SSOProvider` reads it
 * (`credentials.py`, `_load_sso_config`, `_resolve_sso_session_reference`): `sso_session` names a
 * `[sso-session NAME]` section of the config file, whose keys join the profile's (a key set in both
 * to different values is an error); then `sso_role_name`, `sso_account_id`, `sso_start_url` and
 * `sso_region` are all required, the missing ones listed.
 */
export function ssoPlan(files: ProfileFiles, name: string, s: Section): SsoPlan {
  const resolved: Record<string, string | undefined> = { ...s };
  const sessionName = s.sso_session;
  if (sessionName !== undefined) {
    const key = `sso-session.${sessionName}`;
    const session = Object.hasOwn(files.config, key) ? files.config[key] : undefined;
    if (session === undefined) {
      throw new ProfileConfigError(
        name,
        'sso_session',
        `The sso_session "${sessionName}" of profile "${name}" names no [sso-session ${sessionName}] ` +
          'section in the config file',
      );
    }
    checkKeyCase(files, 'config', key, name);
    // The SDK's token provider (which refreshes the session's token) reads the profile's sso_session
    // and the session section itself, in lower case only.
    for (const [section, keys] of [
      [`config:${name}`, ['sso_session']],
      [`credentials:${name}`, ['sso_session']],
      [`config:${key}`, Object.keys(session)],
    ] as const) {
      const spelled = keys.map((k) => files.spellings?.get(section)?.get(k)).find((k) => k !== undefined);
      if (spelled !== undefined) {
        throw new ProfileConfigError(
          name,
          spelled,
          `The profile "${name}" writes ${spelled} in capitals, for an sso-session: write it in lower case ` +
            '(the AWS CLI reads either; the SDK token provider that refreshes the session reads only lower case)',
        );
      }
    }
    for (const [k, v] of Object.entries(session)) {
      const own = resolved[k];
      if (own !== undefined && own !== v) {
        const [mine, theirs] = QUOTABLE.has(k) ? [` (${own})`, ` (${v ?? ''})`] : ['', ''];
        throw new ProfileConfigError(
          name,
          k,
          `The ${k} of profile "${name}"${mine} differs from that of its [sso-session ${sessionName}]${theirs}`,
        );
      }
      resolved[k] = v;
    }
  }
  const missing = REQUIRED.filter((k) => resolved[k] === undefined || resolved[k] === '');
  if (missing.length > 0) {
    throw new ProfileConfigError(
      name,
      missing[0],
      `The profile "${name}" is configured for IAM Identity Center (SSO) but is missing ${missing.join(', ')}` +
        (sessionName === undefined ? ' (in the profile, or in an [sso-session] section it names in sso_session)' : ''),
    );
  }
  if (!/^\d{12}$/.test(resolved.sso_account_id!)) {
    // The portal would refuse it anyway (the AWS CLI sends it); said here, before any call.
    throw new ProfileConfigError(
      name,
      'sso_account_id',
      `The sso_account_id of profile "${name}" must be an AWS account id of 12 digits`,
    );
  }
  return {
    kind: 'sso',
    profile: name,
    accountId: resolved.sso_account_id!,
    roleName: resolved.sso_role_name!,
    startUrl: resolved.sso_start_url!,
    region: resolved.sso_region!,
    ...(sessionName === undefined ? {} : { ssoSession: sessionName }),
  };
}
