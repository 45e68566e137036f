/**
 * Which kind of credentials a profile resolves to, and the precedence between kinds, as botocore
 * 2.9.19 (the AWS CLI v2) reads the files: `credentials.py` (AssumeRoleProvider, then
 * ProfileProviderBuilder's web identity, SSO, credentials-file keys, credential_process, config-file
 * keys) and `configloader.py` (key names lower-cased). No STS here: the plans only.
 */
import { ProfileConfigError, ProfileNotFoundError } from '../src';
import { loadProfileFiles } from '../src/profileFiles';
import { resolvePlan } from '../src/resolvePlan';
import type { Plan } from '../src/plan';
import { ini, profileDir } from './helpers';

const keys = { aws_access_key_id: 'AKIAEXAMPLE', aws_secret_access_key: 'secret-value' };
const sso = { sso_account_id: '111122223333', sso_role_name: 'Admin' };
const session = { sso_start_url: 'https://corp.awsapps.com/start', sso_region: 'eu-west-1' };

async function planOf(config: string, credentials: string, profile: string): Promise<Plan> {
  const dir = profileDir(config, credentials);
  try {
    return resolvePlan(await loadProfileFiles(dir), profile);
  } finally {
    dir.cleanup();
  }
}

async function errorOf(config: string, credentials: string, profile: string): Promise<ProfileConfigError> {
  const error = await planOf(config, credentials, profile).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProfileConfigError);
  return error as ProfileConfigError;
}

describe('precedence between kinds (botocore 2.9.19)', () => {
  it('takes role_arn first, over web identity settings absent, SSO, keys and credential_process', async () => {
    const plan = await planOf(
      ini({
        'profile p': { role_arn: 'arn:aws:iam::1:role/r', source_profile: 'src', ...sso, ...session },
        'profile src': { credential_process: 'x' },
      }),
      ini({ p: keys }),
      'p',
    );
    expect(plan).toMatchObject({ kind: 'assume-role', source: { kind: 'process', profile: 'src' } });
  });

  it('reads role_arn beside a web_identity_token_file as web identity (no source needed)', async () => {
    const plan = await planOf(
      ini({ 'profile p': { role_arn: 'arn:aws:iam::1:role/r', web_identity_token_file: '/t', ...sso } }),
      '',
      'p',
    );
    expect(plan).toMatchObject({ kind: 'web-identity', tokenFile: '/t' });
  });

  it('puts web identity before SSO, SSO before keys of the credentials file', async () => {
    const both = { web_identity_token_file: '/t', role_arn: 'arn:aws:iam::1:role/r' };
    expect(
      await planOf(ini({ 'profile p': { ...sso, ...session } }), ini({ p: { ...both, ...keys } }), 'p'),
    ).toMatchObject({ kind: 'web-identity' });
    expect(await planOf(ini({ 'profile p': { ...sso, ...session } }), ini({ p: keys }), 'p')).toMatchObject({
      kind: 'sso',
    });
  });

  it('puts keys of the credentials file before credential_process, then those of the config file', async () => {
    expect(await planOf(ini({ 'profile p': { credential_process: 'x' } }), ini({ p: keys }), 'p')).toMatchObject({
      kind: 'static',
    });
    expect(await planOf(ini({ 'profile p': { credential_process: 'x', ...keys } }), '', 'p')).toMatchObject({
      kind: 'process',
    });
  });

  it('refuses both source_profile and credential_source, naming source_profile', async () => {
    const error = await errorOf(
      ini({
        'profile p': {
          role_arn: 'arn:aws:iam::1:role/r',
          source_profile: 'p',
          credential_source: 'Environment',
          ...keys,
        },
      }),
      '',
      'p',
    );
    expect(error.key).toBe('source_profile');
    expect(error.message).toMatch(/both source_profile and credential_source/);
  });

  it('hints, for role_arn beside sso_* keys and no source, that SSO goes in a source profile', async () => {
    const error = await errorOf(
      ini({ 'profile p': { role_arn: 'arn:aws:iam::1:role/r', ...sso, ...session } }),
      '',
      'p',
    );
    expect(error.key).toBe('source_profile');
    expect(error.message).toMatch(
      /neither source_profile nor credential_source.*sso_\* keys in a profile of their own/,
    );
  });
});

describe('credential_source', () => {
  it.each(['Environment', 'Ec2InstanceMetadata', 'EcsContainer'])(
    'resolves %s as the signer of the role',
    async (name) => {
      const plan = await planOf(
        ini({ 'profile p': { role_arn: 'arn:aws:iam::1:role/r', credential_source: name } }),
        '',
        'p',
      );
      expect(plan).toMatchObject({ kind: 'assume-role', source: { kind: 'credential-source', source: name } });
    },
  );

  it('refuses a name in another case, as botocore compares canonical names exactly', async () => {
    const error = await errorOf(
      ini({ 'profile p': { role_arn: 'arn:aws:iam::1:role/r', credential_source: 'environment' } }),
      '',
      'p',
    );
    expect(error.key).toBe('credential_source');
    expect(error.message).toMatch(/"environment".*not valid.*Environment, Ec2InstanceMetadata, EcsContainer/);
  });
});

describe('IAM Identity Center', () => {
  it('joins an [sso-session] section to the profile', async () => {
    const plan = await planOf(
      ini({ 'profile p': { sso_session: 'corp', ...sso }, 'sso-session corp': session }),
      '',
      'p',
    );
    expect(plan).toEqual({
      kind: 'sso',
      profile: 'p',
      accountId: '111122223333',
      roleName: 'Admin',
      startUrl: session.sso_start_url,
      region: 'eu-west-1',
      ssoSession: 'corp',
    });
  });

  it('reads a legacy profile (sso_start_url and sso_region in the profile) without a session', async () => {
    const plan = await planOf(ini({ 'profile p': { ...sso, ...session } }), '', 'p');
    expect(plan).toMatchObject({ kind: 'sso', startUrl: session.sso_start_url });
    expect(plan).not.toHaveProperty('ssoSession');
  });

  it('accepts a key set in both the profile and its session to one value, refuses two values', async () => {
    const same = ini({
      'profile p': { sso_session: 'corp', ...sso, sso_region: 'eu-west-1' },
      'sso-session corp': session,
    });
    expect(await planOf(same, '', 'p')).toMatchObject({ kind: 'sso', region: 'eu-west-1' });
    const error = await errorOf(
      ini({ 'profile p': { sso_session: 'corp', ...sso, sso_region: 'us-east-1' }, 'sso-session corp': session }),
      '',
      'p',
    );
    expect(error.key).toBe('sso_region');
    expect(error.message).toMatch(/sso_region of profile "p" \(us-east-1\) differs .*\(eu-west-1\)/);
  });

  it('refuses an sso_session naming no section, and lists every missing key', async () => {
    const absent = await errorOf(ini({ 'profile p': { sso_session: 'nope', ...sso } }), '', 'p');
    expect(absent.key).toBe('sso_session');
    expect(absent.message).toMatch(/names no \[sso-session nope\] section/);
    const missing = await errorOf(ini({ 'profile p': { sso_account_id: '1' } }), '', 'p');
    expect(missing.key).toBe('sso_role_name');
    expect(missing.message).toMatch(/missing sso_role_name, sso_start_url, sso_region/);
  });

  it('reads sso_account_id alone as SSO, as the AWS CLI does, but not sso_session alone', async () => {
    const error = await errorOf(ini({ 'profile p': { sso_session: 'corp' }, 'sso-session corp': session }), '', 'p');
    expect(error.key).toBe('sso_session');
    expect(error.message).toMatch(/has no credentials.*sets sso_session, but .* need sso_account_id and sso_role_name/);
  });

  it('serves as source_profile of a role, and of a chain of roles', async () => {
    const plan = await planOf(
      ini({
        'profile top': { role_arn: 'arn:aws:iam::1:role/top', source_profile: 'mid' },
        'profile mid': { role_arn: 'arn:aws:iam::1:role/mid', source_profile: 'dev' },
        'profile dev': { sso_session: 'corp', ...sso },
        'sso-session corp': session,
      }),
      '',
      'top',
    );
    expect(plan).toMatchObject({
      kind: 'assume-role',
      roleArn: 'arn:aws:iam::1:role/top',
      source: { kind: 'assume-role', source: { kind: 'sso', profile: 'dev', ssoSession: 'corp' } },
    });
  });
});

describe('key names in any case (RawConfigParser lower-cases them)', () => {
  it('reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN', async () => {
    const plan = await planOf(
      '',
      '[caps]\nAWS_ACCESS_KEY_ID = AKIACAPS\nAWS_SECRET_ACCESS_KEY = s\nAWS_SESSION_TOKEN = tok\n',
      'caps',
    );
    expect(plan).toEqual({
      kind: 'static',
      profile: 'caps',
      accessKeyId: 'AKIACAPS',
      secretAccessKey: 's',
      sessionToken: 'tok',
    });
  });

  it('reads Role_Arn and Source_Profile, and keeps values and section names as written', async () => {
    const plan = await planOf(
      '[profile Mixed]\nRole_Arn = arn:aws:iam::1:role/R\nSource_Profile = Src\n',
      '[Src]\nAws_Access_Key_Id = A\naws_secret_access_key = B\n',
      'Mixed',
    );
    expect(plan).toMatchObject({
      kind: 'assume-role',
      roleArn: 'arn:aws:iam::1:role/R',
      source: { profile: 'Src', accessKeyId: 'A' },
    });
  });

  it('refuses a section that spells one key in two cases, naming both', async () => {
    const error = await errorOf(
      '',
      '[p]\naws_access_key_id = A\nAWS_ACCESS_KEY_ID = B\naws_secret_access_key = s\n',
      'p',
    );
    expect(error.key).toBe('AWS_ACCESS_KEY_ID');
    expect(error.message).toMatch(/sets aws_access_key_id and AWS_ACCESS_KEY_ID: key names are case-insensitive/);
    expect(error.message).not.toContain('secret');
  });

  it('uses aws_security_token, the older name, before aws_session_token', async () => {
    const plan = await planOf('', ini({ p: { ...keys, aws_session_token: 'new', aws_security_token: 'old' } }), 'p');
    expect(plan).toMatchObject({ sessionToken: 'old' });
  });
});

it('reports a profile in neither file as not found', async () => {
  await expect(planOf('', '', 'nope')).rejects.toBeInstanceOf(ProfileNotFoundError);
});
