import { ProfileConfigError, ProfileNotFoundError } from './errors';
import { checkKeyCase, profileSection } from './profileFiles';
import type { ProfileFiles, Section } from './profileFiles';
import { CREDENTIAL_SOURCES } from './plan';
import type { CredentialSourceName, Plan } from './plan';
import { isSsoProfile, ssoPlan } from './ssoPlan';

export type { ProfileFiles, Section } from './profileFiles';
export type { AssumeRolePlan, Plan } from './plan';

const isRole = (s: Section): boolean => s.role_arn !== undefined && s.web_identity_token_file === undefined;
const hasStatic = (s: Section): boolean => s.aws_access_key_id !== undefined || s.aws_secret_access_key !== undefined;

/**
 * Works out, as the AWS CLI v2 (botocore 2.9.19, `credentials.py`) does for a named profile, where
 * its credentials come from:
 * 1. `role_arn` without a `web_identity_token_file` key: AssumeRole (`AssumeRoleProvider`), signed
 *    by `source_profile` or `credential_source`, never both. A source profile with keys of its own,
 *    or without `role_arn`, is read as a plain profile (steps 2–6); otherwise it is assumed in turn.
 * 2. `web_identity_token_file` (requires `role_arn`): AssumeRoleWithWebIdentity.
 * 3. `sso_account_id` or `sso_role_name`: IAM Identity Center (`SSOProvider`).
 * 4. keys in the credentials file; 5. `credential_process`; 6. keys in the config file.
 * (`ProfileProviderBuilder.providers`, environment variables off, as for an explicit profile.)
 * Values in the credentials file win over the config file's, key by key; key names are read in any
 * case.
 */
export function resolvePlan(files: ProfileFiles, profile: string): Plan {
  const merged = (name: string): Section | undefined => profileSection(files, name);
  const top = merged(profile);
  if (top === undefined) {
    throw new ProfileNotFoundError(
      profile,
      `The profile "${profile}" is in neither the config nor the credentials file`,
    );
  }
  const visited = [profile];

  const staticFrom = (name: string, file: 'config' | 'credentials'): Plan => {
    const s = files[file][name]!;
    checkKeyCase(files, file, name, name);
    const { aws_access_key_id: accessKeyId, aws_secret_access_key: secretAccessKey } = s;
    if (accessKeyId === undefined || accessKeyId === '' || secretAccessKey === undefined || secretAccessKey === '') {
      const missing = accessKeyId === undefined || accessKeyId === '' ? 'aws_access_key_id' : 'aws_secret_access_key';
      throw new ProfileConfigError(
        name,
        missing,
        `The profile "${name}" in the ${file} file has partial credentials: ${missing} is missing`,
      );
    }
    // botocore reads aws_security_token first, the older name of aws_session_token.
    const token = s.aws_security_token ?? s.aws_session_token;
    return { kind: 'static', profile: name, accessKeyId, secretAccessKey, ...(token ? { sessionToken: token } : {}) };
  };

  /** The providers a plain profile goes through (botocore's ProfileProviderBuilder, env vars off). */
  const plain = (name: string): Plan | undefined => {
    const s = merged(name)!;
    if (s.web_identity_token_file !== undefined) {
      if (!s.role_arn) {
        throw new ProfileConfigError(
          name,
          'role_arn',
          `The profile "${name}" sets web_identity_token_file but no role_arn`,
        );
      }
      return {
        kind: 'web-identity',
        profile: name,
        roleArn: s.role_arn,
        tokenFile: s.web_identity_token_file,
        ...(s.role_session_name === undefined ? {} : { roleSessionName: s.role_session_name }),
      };
    }
    if (isSsoProfile(s)) return ssoPlan(files, name, s);
    if (files.credentials[name]?.aws_access_key_id !== undefined) return staticFrom(name, 'credentials');
    if (s.credential_process !== undefined) {
      if (s.credential_process.trim() === '') {
        throw new ProfileConfigError(
          name,
          'credential_process',
          `The profile "${name}" has an empty credential_process`,
        );
      }
      return { kind: 'process', profile: name, command: s.credential_process };
    }
    if (files.config[name]?.aws_access_key_id !== undefined) return staticFrom(name, 'config');
    return undefined;
  };

  const signerOf = (name: string, s: Section): Plan => {
    const { source_profile: sourceProfile, credential_source: credentialSource } = s;
    if (sourceProfile !== undefined && credentialSource !== undefined) {
      throw new ProfileConfigError(
        name,
        'source_profile',
        `The profile "${name}" contains both source_profile and credential_source`,
      );
    }
    if (credentialSource !== undefined) {
      // Case as written: botocore checks the name against its providers' canonical names exactly.
      if (!(CREDENTIAL_SOURCES as readonly string[]).includes(credentialSource)) {
        throw new ProfileConfigError(
          name,
          'credential_source',
          `The credential_source "${credentialSource}" of profile "${name}" is not valid ` +
            `(the AWS CLI knows ${CREDENTIAL_SOURCES.join(', ')})`,
        );
      }
      return { kind: 'credential-source', profile: name, source: credentialSource as CredentialSourceName };
    }
    if (sourceProfile === undefined) {
      const hint =
        isSsoProfile(s) || s.sso_session !== undefined
          ? ' (to assume it from IAM Identity Center, put the sso_* keys in a profile of their own and name it' +
            ' in source_profile)'
          : '';
      throw new ProfileConfigError(
        name,
        'source_profile',
        `The profile "${name}" sets role_arn but neither source_profile nor credential_source${hint}`,
      );
    }
    const sourceSection = merged(sourceProfile);
    if (sourceSection === undefined) {
      throw new ProfileConfigError(
        name,
        'source_profile',
        `The source_profile "${sourceProfile}" of profile "${name}" does not exist`,
      );
    }
    // A profile may name itself as source only to use its own keys (then they sign its AssumeRole).
    if (visited.includes(sourceProfile) && (sourceProfile !== name || !hasStatic(sourceSection))) {
      throw new ProfileConfigError(
        name,
        'source_profile',
        'Infinite loop in profile configuration through source_profile: ' +
          [...visited, sourceProfile].map((p) => `"${p}"`).join(' → '),
      );
    }
    visited.push(sourceProfile);
    if (hasStatic(sourceSection) || !isRole(sourceSection)) {
      const found = plain(sourceProfile);
      if (found === undefined) {
        throw new ProfileConfigError(
          sourceProfile,
          undefined,
          `The source profile "${sourceProfile}" must have credentials`,
        );
      }
      return found;
    }
    return assumeRole(sourceProfile);
  };

  const assumeRole = (name: string): Plan => {
    const s = merged(name)!;
    const source = signerOf(name, s);
    const duration = s.duration_seconds === undefined ? undefined : parseDuration(name, s.duration_seconds);
    return {
      kind: 'assume-role',
      profile: name,
      roleArn: s.role_arn!,
      ...(s.role_session_name === undefined ? {} : { roleSessionName: s.role_session_name }),
      ...(s.external_id === undefined ? {} : { externalId: s.external_id }),
      ...(s.mfa_serial === undefined ? {} : { mfaSerial: s.mfa_serial }),
      ...(duration === undefined ? {} : { durationSeconds: duration }),
      source,
    };
  };

  if (isRole(top)) return assumeRole(profile);
  const found = plain(profile);
  if (found === undefined) {
    const ssoKey =
      top.sso_session !== undefined ? 'sso_session' : top.sso_start_url !== undefined ? 'sso_start_url' : undefined;
    throw new ProfileConfigError(
      profile,
      ssoKey,
      `The profile "${profile}" has no credentials: ` +
        'none of role_arn, web_identity_token_file, sso_account_id/sso_role_name, credential_process, ' +
        'aws_access_key_id' +
        (ssoKey === undefined
          ? ''
          : `; it sets ${ssoKey}, but IAM Identity Center role credentials also need sso_account_id and ` +
            'sso_role_name'),
    );
  }
  return found;
}

function parseDuration(profile: string, text: string): number {
  // botocore takes Python's int(): optional sign and surrounding blanks, digits only.
  const trimmed = text.trim();
  if (!/^\+?\d+$/.test(trimmed)) {
    throw new ProfileConfigError(
      profile,
      'duration_seconds',
      `The duration_seconds of profile "${profile}" must be a whole number of seconds`,
    );
  }
  return Number(trimmed);
}
