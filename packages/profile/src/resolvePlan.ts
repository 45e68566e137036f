import { ProfileConfigError, ProfileNotFoundError } from './errors';

/** One section of a shared file, as `@smithy/shared-ini-file-loader` parses it. */
export type Section = Readonly<Record<string, string | undefined>>;

/** Both shared files, kept apart: where static keys sit changes their precedence. */
export interface ProfileFiles {
  readonly config: Readonly<Record<string, Section>>;
  readonly credentials: Readonly<Record<string, Section>>;
}

/** How one profile gets its credentials, with its source resolved all the way down. */
export type Plan =
  | {
      readonly kind: 'static';
      readonly profile: string;
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken?: string;
    }
  | { readonly kind: 'environment'; readonly profile: string }
  | { readonly kind: 'process'; readonly profile: string; readonly command: string }
  | {
      readonly kind: 'web-identity';
      readonly profile: string;
      readonly roleArn: string;
      readonly tokenFile: string;
      readonly roleSessionName?: string;
    }
  | {
      readonly kind: 'assume-role';
      readonly profile: string;
      readonly roleArn: string;
      readonly roleSessionName?: string;
      readonly externalId?: string;
      readonly mfaSerial?: string;
      readonly durationSeconds?: number;
      readonly source: Plan;
    };

export type AssumeRolePlan = Extract<Plan, { kind: 'assume-role' }>;

const SUPPORTED_SOURCES = ['Environment'];
const KNOWN_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'];

/**
 * Works out, as the AWS CLI (botocore) does, where a profile's credentials come from:
 * 1. `role_arn` without `web_identity_token_file`: AssumeRole, signed by `source_profile` or
 *    `credential_source` (a source profile with keys of its own, or without `role_arn`, is read as
 *    a plain profile; otherwise it is assumed in turn);
 * 2. `web_identity_token_file` (with `role_arn`): AssumeRoleWithWebIdentity;
 * 3. keys in the credentials file; 4. `credential_process`; 5. keys in the config file.
 * Values in the credentials file win over the config file's, key by key.
 */
export function resolvePlan(files: ProfileFiles, profile: string): Plan {
  const merged = (name: string): Section | undefined => {
    const c = files.config[name];
    const k = files.credentials[name];
    return c === undefined && k === undefined ? undefined : { ...c, ...k };
  };
  const top = merged(profile);
  if (top === undefined) {
    throw new ProfileNotFoundError(
      profile,
      `The profile "${profile}" is in neither the config nor the credentials file`,
    );
  }
  const visited = [profile];
  const isRole = (s: Section): boolean => s.role_arn !== undefined && s.web_identity_token_file === undefined;
  const hasStatic = (s: Section): boolean => s.aws_access_key_id !== undefined || s.aws_secret_access_key !== undefined;

  const staticFrom = (name: string, s: Section, file: string): Plan => {
    const { aws_access_key_id: accessKeyId, aws_secret_access_key: secretAccessKey } = s;
    if (accessKeyId === undefined || accessKeyId === '' || secretAccessKey === undefined || secretAccessKey === '') {
      const missing = accessKeyId === undefined || accessKeyId === '' ? 'aws_access_key_id' : 'aws_secret_access_key';
      throw new ProfileConfigError(
        name,
        missing,
        `The profile "${name}" in the ${file} file has partial credentials: ${missing} is missing`,
      );
    }
    const token = s.aws_session_token;
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
    if (s.sso_session !== undefined || s.sso_start_url !== undefined) {
      const key = s.sso_session !== undefined ? 'sso_session' : 'sso_start_url';
      throw new ProfileConfigError(
        name,
        key,
        `The profile "${name}" sets ${key}: IAM Identity Center (SSO), which credchain does not support`,
      );
    }
    const inCredentials = files.credentials[name];
    if (inCredentials?.aws_access_key_id !== undefined) return staticFrom(name, inCredentials, 'credentials');
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
    const inConfig = files.config[name];
    if (inConfig?.aws_access_key_id !== undefined) return staticFrom(name, inConfig, 'config');
    return undefined;
  };

  const assumeRole = (name: string): Plan => {
    const s = merged(name)!;
    const { source_profile: sourceProfile, credential_source: credentialSource } = s;
    if (sourceProfile !== undefined && credentialSource !== undefined) {
      throw new ProfileConfigError(
        name,
        'source_profile',
        `The profile "${name}" contains both source_profile and credential_source`,
      );
    }
    if (sourceProfile === undefined && credentialSource === undefined) {
      throw new ProfileConfigError(
        name,
        'source_profile',
        `The profile "${name}" sets role_arn but neither source_profile nor credential_source`,
      );
    }
    let source: Plan;
    if (credentialSource !== undefined) {
      if (!SUPPORTED_SOURCES.includes(credentialSource)) {
        const why = KNOWN_SOURCES.includes(credentialSource)
          ? `is not supported by credchain (supported: ${SUPPORTED_SOURCES.join(', ')})`
          : `is not valid (the AWS CLI knows ${KNOWN_SOURCES.join(', ')})`;
        throw new ProfileConfigError(
          name,
          'credential_source',
          `The credential_source "${credentialSource}" of profile "${name}" ${why}`,
        );
      }
      source = { kind: 'environment', profile: name };
    } else {
      const src = sourceProfile!;
      const sourceSection = merged(src);
      if (sourceSection === undefined) {
        throw new ProfileConfigError(
          name,
          'source_profile',
          `The source_profile "${src}" of profile "${name}" does not exist`,
        );
      }
      // A profile may name itself as source only to use its own keys (then they sign its AssumeRole).
      if (visited.includes(src) && (src !== name || !hasStatic(sourceSection))) {
        throw new ProfileConfigError(
          name,
          'source_profile',
          `Infinite loop in profile configuration: ${[...visited, src].map((p) => `"${p}"`).join(' → ')}`,
        );
      }
      visited.push(src);
      source = hasStatic(sourceSection) || !isRole(sourceSection) ? sourcePlain(src) : assumeRole(src);
    }
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

  const sourcePlain = (name: string): Plan => {
    const found = plain(name);
    if (found === undefined) {
      throw new ProfileConfigError(name, undefined, `The source profile "${name}" must have credentials`);
    }
    return found;
  };

  if (isRole(top)) return assumeRole(profile);
  const found = plain(profile);
  if (found === undefined) {
    throw new ProfileConfigError(
      profile,
      undefined,
      `The profile "${profile}" has no credentials: ` +
        'none of role_arn, web_identity_token_file, credential_process, aws_access_key_id',
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
