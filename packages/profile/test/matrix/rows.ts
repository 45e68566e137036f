import { DEMO_ACCOUNT, DEMO_MEMBER_ACCOUNT, DEMO_SSO_START_URL, demoConfig } from '@credchain/sts-local';
import type { MintIdentityTokenOptions } from '@credchain/sts-local';

// The profile matrix: configurations users write, each resolved by credchain's fromProfile and by the
// AWS CLI v2 against sts-local (see judge.ts). `expect` is what the AWS CLI v2 (2.9.19) does, checked
// on every run; credchain must do the same, or the row says why not (`differs`) and pins what credchain
// does instead.

/** `[section]`s of a shared file: keys and values, or the file's raw text (for spellings and capitals). */
export type Sections = Readonly<Record<string, Readonly<Record<string, string | number>>>>;

/** What a side does: outcome, identity, STS calls (in judge.ts's words). */
export interface Expected {
  /** `ok`, or the failure (`sts:AssumeRole:AccessDenied`, `config:cycle`, …; STS codes without `Exception`). */
  readonly outcome: string;
  /** The caller's ARN on success; an unset session name reads `<default>`. */
  readonly arn?: string;
  readonly calls: readonly string[];
  /** Requests to sts-local's instance metadata or container endpoint, as a set (see judge.ts). */
  readonly sources?: readonly string[];
}

export interface Row {
  readonly name: string;
  /** The config file: sections, or raw text. `{dir}` is the row's directory, `{node}` Node's executable. */
  readonly config?: Sections | string;
  /** The credentials file, likewise. */
  readonly credentials?: Sections | string;
  /** `--profile` / `fromProfile({ profile })`. */
  readonly profile: string;
  /** Environment of both sides (AWS_REGION, environment keys, …). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The region the AWS CLI resolves for the command (AWS_REGION, AWS_DEFAULT_REGION, then the profile's
   * `region`): credchain's GetCallerIdentity is signed for it too. @default us-east-1
   */
  readonly region?: string;
  /** sts-local's instance metadata and container endpoints, in the environment of both sides. */
  readonly sources?: readonly ('imds' | 'container')[];
  /** A sign-in to sts-local's IAM Identity Center, written where `aws sso login` leaves it (HOME is the row's dir). */
  readonly ssoLogin?: { readonly user?: string; readonly sessionName?: string };
  /** Each side is asked for one code of alice's MFA device. */
  readonly mfa?: boolean;
  /** A web identity token for `{dir}/token`, minted by sts-local. */
  readonly webIdentity?: MintIdentityTokenOptions;
  /** What `{node} {dir}/process.js` prints, for `credential_process`. */
  readonly processOutput?: object;
  /** More options of fromProfile (features under way are not in its type yet). */
  readonly fromProfile?: Readonly<Record<string, unknown>>;
  /** What the AWS CLI v2 does; credchain too unless `differs`. */
  readonly expect: Expected;
  /** A documented difference: why, and what credchain does instead. */
  readonly differs?: { readonly reason: string; readonly credchain: Expected };
}

const key = (name: string) => {
  const k = demoConfig.users!.find((u) => u.name === name)!.accessKeys![0]!;
  return { aws_access_key_id: k.accessKeyId, aws_secret_access_key: k.secretAccessKey };
};
const ALICE = key('alice');
const BOB = key('bob');
const SERIAL = demoConfig.users!.find((u) => u.name === 'alice')!.mfaDevices![0]!.serialNumber;
const role = (name: string) => `arn:aws:iam::${DEMO_ACCOUNT}:role/${name}`;
const user = (name: string) => `arn:aws:iam::${DEMO_ACCOUNT}:user/${name}`;
const assumed = (name: string, session = '<default>') => `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/${name}/${session}`;

/** One expected call, as judge.ts's describeCall words it. */
function assume(
  roleName: string,
  o: {
    region?: string;
    session?: string;
    externalId?: string;
    duration?: number;
    mfa?: boolean;
    answer?: string;
    operation?: string;
  } = {},
): string {
  return [
    `${o.operation ?? 'AssumeRole'}@${o.region ?? 'us-east-1'}`,
    `RoleArn=${roleName}`,
    `RoleSessionName=${o.session ?? '<default>'}`,
    ...(o.externalId === undefined ? [] : [`ExternalId=${o.externalId}`]),
    ...(o.duration === undefined ? [] : [`DurationSeconds=${o.duration}`]),
    ...(o.mfa === true ? [`SerialNumber=${SERIAL}`, 'TokenCode=[redacted]'] : []),
    o.answer ?? 'ok',
  ].join(' ');
}
/** The role behind a permission set (sts-local's AWSReservedSSO_<set>_<id>, read from its config). */
const ssoRole = (set: string) => demoConfig.roles!.find((r) => r.name.startsWith(`AWSReservedSSO_${set}_`))!.name;
const ssoSession = {
  'sso-session demo': {
    sso_start_url: DEMO_SSO_START_URL,
    sso_region: 'us-east-1',
    sso_registration_scopes: 'sso:account:access',
  },
};
const aliceAdmin = {
  sso_session: 'demo',
  sso_account_id: DEMO_ACCOUNT,
  sso_role_name: 'AdministratorAccess',
  region: 'us-east-1',
};

const whoAmI = (region = 'us-east-1', answer = 'ok') => `GetCallerIdentity@${region} ${answer}`;

const ok = (arn: string, ...calls: string[]): Expected => ({ outcome: 'ok', arn, calls: [...calls, whoAmI()] });
const fails = (outcome: string, ...calls: string[]): Expected => ({ outcome, calls });

/** alice's keys in the credentials file; the config holds the rest. */
const aliceCreds: Sections = { alice: ALICE };
const demo = { role_arn: role('demo-role'), source_profile: 'alice' };

export const ROWS: readonly Row[] = [
  // Static keys, where they are written, and how [default] is spelled.
  {
    name: 'keys in the credentials file',
    credentials: aliceCreds,
    profile: 'alice',
    expect: ok(user('alice')),
  },
  {
    name: 'keys in the config file',
    config: { 'profile alice': ALICE },
    profile: 'alice',
    expect: ok(user('alice')),
  },
  {
    name: 'keys in both files: the credentials file wins',
    config: { 'profile alice': BOB },
    credentials: aliceCreds,
    profile: 'alice',
    expect: ok(user('alice')),
  },
  {
    name: '[default] in the config file',
    config: { default: ALICE },
    profile: 'default',
    expect: ok(user('alice')),
  },
  {
    name: '[profile default] in the config file',
    config: { 'profile default': ALICE },
    profile: 'default',
    expect: ok(user('alice')),
  },
  {
    name: '[default] and [profile default] in the config file: [profile default] wins',
    config: { default: BOB, 'profile default': ALICE },
    profile: 'default',
    expect: ok(user('alice')),
  },
  {
    name: '[profile default] in the credentials file is a profile named "profile default"',
    credentials: { 'profile default': ALICE },
    profile: 'default',
    expect: fails('config:profile-not-found'),
  },
  {
    name: 'key names in capitals',
    credentials: [
      '[alice]',
      `AWS_ACCESS_KEY_ID = ${ALICE.aws_access_key_id}`,
      `AWS_SECRET_ACCESS_KEY = ${ALICE.aws_secret_access_key}`,
      '',
    ].join('\n'),
    profile: 'alice',
    expect: ok(user('alice')),
  },
  {
    name: 'environment keys do not override --profile',
    credentials: { bob: BOB },
    env: { AWS_ACCESS_KEY_ID: ALICE.aws_access_key_id, AWS_SECRET_ACCESS_KEY: ALICE.aws_secret_access_key },
    profile: 'bob',
    expect: ok(user('bob')),
  },

  // Role chains.
  {
    name: 'role chain, 1 hop',
    config: { 'profile demo': { ...demo, role_session_name: 'hop1' } },
    credentials: aliceCreds,
    profile: 'demo',
    expect: ok(assumed('demo-role', 'hop1'), assume('demo-role', { session: 'hop1' })),
  },
  {
    name: 'role chain, 1 hop, default session name',
    config: { 'profile demo': demo },
    credentials: aliceCreds,
    profile: 'demo',
    expect: ok(assumed('demo-role'), assume('demo-role')),
  },
  {
    name: 'role chain, 2 hops',
    config: {
      'profile demo': { ...demo, role_session_name: 'hop1' },
      'profile chained': { role_arn: role('chained-role'), source_profile: 'demo', role_session_name: 'hop2' },
    },
    credentials: aliceCreds,
    profile: 'chained',
    expect: ok(
      assumed('chained-role', 'hop2'),
      assume('demo-role', { session: 'hop1' }),
      assume('chained-role', { session: 'hop2' }),
    ),
  },
  {
    name: 'role chain, 3 hops',
    config: {
      'profile demo': { ...demo, role_session_name: 'hop1' },
      'profile chained': { role_arn: role('chained-role'), source_profile: 'demo', role_session_name: 'hop2' },
      'profile back': { role_arn: role('demo-role'), source_profile: 'chained', role_session_name: 'hop3' },
    },
    credentials: aliceCreds,
    profile: 'back',
    expect: ok(
      assumed('demo-role', 'hop3'),
      assume('demo-role', { session: 'hop1' }),
      assume('chained-role', { session: 'hop2' }),
      assume('demo-role', { session: 'hop3' }),
    ),
  },
  {
    name: 'a role profile with keys of its own names itself as source_profile',
    config: {
      'profile self': { ...ALICE, role_arn: role('demo-role'), source_profile: 'self', role_session_name: 'self' },
    },
    profile: 'self',
    expect: ok(assumed('demo-role', 'self'), assume('demo-role', { session: 'self' })),
  },
  {
    name: 'role_arn beats keys in the same profile',
    config: { 'profile both': { ...demo, role_session_name: 'region' } },
    credentials: { alice: ALICE, both: BOB },
    profile: 'both',
    expect: ok(assumed('demo-role', 'region'), assume('demo-role', { session: 'region' })),
  },
  {
    name: 'the trust policy refuses the source (chained-role trusts demo-role only)',
    config: {
      'profile direct': { role_arn: role('chained-role'), source_profile: 'alice', role_session_name: 'direct' },
    },
    credentials: aliceCreds,
    profile: 'direct',
    expect: fails('sts:AssumeRole:AccessDenied', assume('chained-role', { session: 'direct', answer: 'AccessDenied' })),
  },

  // External id.
  {
    name: 'external_id',
    config: {
      'profile ext': {
        role_arn: role('external-id-role'),
        source_profile: 'alice',
        external_id: 'credchain-external-id',
        role_session_name: 'ext',
      },
    },
    credentials: aliceCreds,
    profile: 'ext',
    expect: ok(
      assumed('external-id-role', 'ext'),
      assume('external-id-role', { session: 'ext', externalId: 'credchain-external-id' }),
    ),
  },
  {
    name: 'external_id missing',
    config: {
      'profile ext': { role_arn: role('external-id-role'), source_profile: 'alice', role_session_name: 'ext' },
    },
    credentials: aliceCreds,
    profile: 'ext',
    expect: fails(
      'sts:AssumeRole:AccessDenied',
      assume('external-id-role', { session: 'ext', answer: 'AccessDenied' }),
    ),
  },

  // MFA.
  {
    name: 'mfa_serial',
    config: { 'profile mfa': { role_arn: role('mfa-role'), source_profile: 'alice', mfa_serial: SERIAL } },
    credentials: aliceCreds,
    profile: 'mfa',
    mfa: true,
    expect: ok(assumed('mfa-role'), assume('mfa-role', { mfa: true })),
  },
  {
    name: 'mfa_serial missing for a role that requires MFA',
    config: { 'profile mfa': { role_arn: role('mfa-role'), source_profile: 'alice' } },
    credentials: aliceCreds,
    profile: 'mfa',
    expect: fails('sts:AssumeRole:AccessDenied', assume('mfa-role', { answer: 'AccessDenied' })),
  },
  {
    name: 'mfa_serial on the first hop of a 2-hop chain',
    config: {
      'profile demo': { ...demo, mfa_serial: SERIAL, role_session_name: 'hop1' },
      'profile chained': { role_arn: role('chained-role'), source_profile: 'demo', role_session_name: 'hop2' },
    },
    credentials: aliceCreds,
    profile: 'chained',
    mfa: true,
    expect: ok(
      assumed('chained-role', 'hop2'),
      assume('demo-role', { session: 'hop1', mfa: true }),
      assume('chained-role', { session: 'hop2' }),
    ),
  },

  // duration_seconds.
  {
    name: 'duration_seconds 7200 on one hop',
    config: { 'profile demo': { ...demo, duration_seconds: 7200, role_session_name: 'long' } },
    credentials: aliceCreds,
    profile: 'demo',
    expect: ok(assumed('demo-role', 'long'), assume('demo-role', { session: 'long', duration: 7200 })),
  },
  ...((): Row[] => {
    const config: Sections = {
      'profile demo': { ...demo, role_session_name: 'hop1' },
      'profile chained': {
        role_arn: role('chained-role'),
        source_profile: 'demo',
        duration_seconds: 7200,
        role_session_name: 'hop2',
      },
    };
    const cliFails = fails(
      'sts:AssumeRole:ValidationError',
      assume('demo-role', { session: 'hop1' }),
      assume('chained-role', { session: 'hop2', duration: 7200, answer: 'ValidationError' }),
    );
    return [
      {
        name: 'duration_seconds 7200 on a chained role',
        config,
        credentials: aliceCreds,
        profile: 'chained',
        expect: cliFails,
        differs: {
          reason:
            'fromProfile caps a chained role at STS’s 1-hour limit (documented; event duration-capped) where ' +
            'the AWS CLI sends 7200 and fails; `strictDuration` asks for the CLI’s behaviour (next row)',
          credchain: ok(
            assumed('chained-role', 'hop2'),
            assume('demo-role', { session: 'hop1' }),
            assume('chained-role', { session: 'hop2', duration: 3600 }),
          ),
        },
      },
      {
        name: 'duration_seconds 7200 on a chained role, strictDuration',
        config,
        credentials: aliceCreds,
        profile: 'chained',
        fromProfile: { strictDuration: true },
        expect: cliFails,
        differs: {
          reason:
            'with strictDuration, fromProfile refuses the profile before any STS call (ProfileConfigError naming ' +
            'duration_seconds), where the AWS CLI assumes the first hop and STS refuses the second',
          credchain: fails('config:chained-duration'),
        },
      },
    ];
  })(),

  // credential_source, web identity, credential_process.
  {
    name: 'credential_source = Environment',
    config: {
      'profile env': { role_arn: role('demo-role'), credential_source: 'Environment', role_session_name: 'env' },
    },
    env: { AWS_ACCESS_KEY_ID: ALICE.aws_access_key_id, AWS_SECRET_ACCESS_KEY: ALICE.aws_secret_access_key },
    profile: 'env',
    expect: ok(assumed('demo-role', 'env'), assume('demo-role', { session: 'env' })),
  },
  {
    name: 'credential_source = Ec2InstanceMetadata',
    config: {
      // A region, or the AWS CLI asks the instance metadata for one (its placement), which the SDK never does.
      'profile ec2': {
        role_arn: role('demo-role'),
        credential_source: 'Ec2InstanceMetadata',
        role_session_name: 'ec2',
        region: 'us-east-1',
      },
    },
    sources: ['imds'],
    profile: 'ec2',
    expect: {
      ...ok(assumed('demo-role', 'ec2'), assume('demo-role', { session: 'ec2' })),
      sources: ['imds:credentials ok', 'imds:role-name ok', 'imds:token ok'],
    },
  },
  {
    name: 'credential_source = EcsContainer',
    config: {
      'profile ecs': { role_arn: role('demo-role'), credential_source: 'EcsContainer', role_session_name: 'ecs' },
    },
    sources: ['container'],
    profile: 'ecs',
    expect: {
      ...ok(assumed('demo-role', 'ecs'), assume('demo-role', { session: 'ecs' })),
      sources: ['container:credentials ok'],
    },
  },
  {
    name: 'credential_source not valid',
    config: { 'profile env': { role_arn: role('demo-role'), credential_source: 'Laptop' } },
    profile: 'env',
    expect: fails('config:invalid-credential-source'),
  },
  {
    name: 'source_profile and credential_source both set',
    config: { 'profile both': { ...demo, credential_source: 'Environment' } },
    credentials: aliceCreds,
    profile: 'both',
    expect: fails('config:both-sources'),
  },
  {
    name: 'role_arn with neither source_profile nor credential_source',
    config: { 'profile lone': { role_arn: role('demo-role') } },
    profile: 'lone',
    expect: fails('config:no-source'),
  },
  {
    name: 'web_identity_token_file + role_arn',
    config: {
      'profile wi': {
        role_arn: role('web-identity-role'),
        web_identity_token_file: '{dir}/token',
        role_session_name: 'wi',
      },
    },
    webIdentity: { subject: 'matrix', roleArn: role('web-identity-role') },
    profile: 'wi',
    expect: ok(
      assumed('web-identity-role', 'wi'),
      assume('web-identity-role', { session: 'wi', operation: 'AssumeRoleWithWebIdentity' }),
    ),
  },
  {
    name: 'a web identity profile as source_profile of a role',
    config: {
      'profile wi': {
        role_arn: role('web-identity-role'),
        web_identity_token_file: '{dir}/token',
        role_session_name: 'wi',
      },
      'profile demo': { role_arn: role('demo-role'), source_profile: 'wi', role_session_name: 'from-wi' },
    },
    webIdentity: { subject: 'matrix', roleArn: role('web-identity-role') },
    profile: 'demo',
    expect: ok(
      assumed('demo-role', 'from-wi'),
      assume('web-identity-role', { session: 'wi', operation: 'AssumeRoleWithWebIdentity' }),
      assume('demo-role', { session: 'from-wi' }),
    ),
  },
  {
    name: 'credential_process',
    config: { 'profile proc': { credential_process: '{node} {dir}/process.js' } },
    processOutput: { Version: 1, AccessKeyId: ALICE.aws_access_key_id, SecretAccessKey: ALICE.aws_secret_access_key },
    profile: 'proc',
    expect: ok(user('alice')),
  },
  {
    name: 'credential_process as source_profile of a role',
    config: {
      'profile proc': { credential_process: '{node} {dir}/process.js' },
      'profile demo': { role_arn: role('demo-role'), source_profile: 'proc', role_session_name: 'proc' },
    },
    processOutput: { Version: 1, AccessKeyId: ALICE.aws_access_key_id, SecretAccessKey: ALICE.aws_secret_access_key },
    profile: 'demo',
    expect: ok(assumed('demo-role', 'proc'), assume('demo-role', { session: 'proc' })),
  },
  {
    name: 'credential_process printing a wrong Version',
    config: { 'profile proc': { credential_process: '{node} {dir}/process.js' } },
    processOutput: { Version: 2, AccessKeyId: ALICE.aws_access_key_id, SecretAccessKey: ALICE.aws_secret_access_key },
    profile: 'proc',
    expect: fails('process:failed'),
  },

  // IAM Identity Center, with the token cache `aws sso login` leaves.
  {
    name: 'SSO: an sso_session profile',
    config: { 'profile dev': aliceAdmin, ...ssoSession },
    ssoLogin: { user: 'alice', sessionName: 'demo' },
    profile: 'dev',
    expect: { ...ok(assumed(ssoRole('AdministratorAccess'), 'alice')), sources: ['sso:GetRoleCredentials ok'] },
  },
  {
    name: 'SSO: a legacy sso_start_url profile',
    config: {
      'profile legacy': {
        sso_start_url: DEMO_SSO_START_URL,
        sso_region: 'us-east-1',
        sso_account_id: DEMO_MEMBER_ACCOUNT,
        sso_role_name: 'ReadOnlyAccess',
        region: 'us-east-1',
      },
    },
    ssoLogin: { user: 'bob' },
    profile: 'legacy',
    expect: {
      outcome: 'ok',
      arn: `arn:aws:sts::${DEMO_MEMBER_ACCOUNT}:assumed-role/${ssoRole('ReadOnlyAccess')}/bob`,
      calls: [whoAmI()],
      sources: ['sso:GetRoleCredentials ok'],
    },
  },
  {
    name: 'SSO (sso_session) as source_profile of a role',
    config: {
      'profile dev': aliceAdmin,
      ...ssoSession,
      'profile demo': { role_arn: role('demo-role'), source_profile: 'dev', role_session_name: 'from-sso' },
    },
    ssoLogin: { user: 'alice', sessionName: 'demo' },
    profile: 'demo',
    expect: fails('cli-bug:aws-cli#7496'),
    differs: {
      reason:
        "the AWS CLI 2.9.19 fails with \"'NoneType' object has no attribute 'get_frozen_token'\" " +
        '(aws/aws-cli#7496, closed upstream): it builds the source profile without its sso-session token ' +
        'provider; credchain resolves it as later CLIs do',
      credchain: {
        ...ok(assumed('demo-role', 'from-sso'), assume('demo-role', { session: 'from-sso' })),
        sources: ['sso:GetRoleCredentials ok'],
      },
    },
  },
  {
    name: 'SSO (legacy sso_start_url) as source_profile of a role',
    config: {
      'profile dev': {
        sso_start_url: DEMO_SSO_START_URL,
        sso_region: 'us-east-1',
        sso_account_id: DEMO_ACCOUNT,
        sso_role_name: 'AdministratorAccess',
      },
      'profile demo': { role_arn: role('demo-role'), source_profile: 'dev', role_session_name: 'from-sso' },
    },
    ssoLogin: { user: 'alice' },
    profile: 'demo',
    expect: {
      ...ok(assumed('demo-role', 'from-sso'), assume('demo-role', { session: 'from-sso' })),
      sources: ['sso:GetRoleCredentials ok'],
    },
  },

  // Broken configurations.
  {
    name: 'a source_profile cycle',
    config: {
      'profile a': { role_arn: role('demo-role'), source_profile: 'b' },
      'profile b': { role_arn: role('demo-role'), source_profile: 'a' },
    },
    profile: 'a',
    expect: fails('config:cycle'),
  },
  {
    name: 'source_profile names a missing profile',
    config: { 'profile demo': { role_arn: role('demo-role'), source_profile: 'nowhere' } },
    profile: 'demo',
    expect: fails('config:missing-source'),
  },
  {
    name: 'the profile does not exist',
    credentials: aliceCreds,
    profile: 'ghost',
    expect: fails('config:profile-not-found'),
  },

  // Region: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region (ap-east-1 is disabled for the
  // demo account: STS there answers RegionDisabledException).
  {
    name: 'region: the profile’s region',
    config: { 'profile demo': { ...demo, region: 'eu-west-1', role_session_name: 'region' } },
    credentials: aliceCreds,
    profile: 'demo',
    region: 'eu-west-1',
    expect: {
      outcome: 'ok',
      arn: assumed('demo-role', 'region'),
      calls: [assume('demo-role', { session: 'region', region: 'eu-west-1' }), whoAmI('eu-west-1')],
    },
  },
  {
    name: 'region: the source profile’s region is not used',
    config: { 'profile alice': { region: 'eu-west-1' }, 'profile demo': { ...demo, role_session_name: 'region' } },
    credentials: aliceCreds,
    profile: 'demo',
    expect: ok(assumed('demo-role', 'region'), assume('demo-role', { session: 'region' })),
  },
  {
    name: 'region: AWS_REGION beats the profile’s region',
    config: { 'profile demo': { ...demo, region: 'eu-west-1', role_session_name: 'region' } },
    credentials: aliceCreds,
    env: { AWS_REGION: 'us-west-2' },
    profile: 'demo',
    region: 'us-west-2',
    expect: {
      outcome: 'ok',
      arn: assumed('demo-role', 'region'),
      calls: [assume('demo-role', { session: 'region', region: 'us-west-2' }), whoAmI('us-west-2')],
    },
  },
  {
    name: 'region: AWS_DEFAULT_REGION beats a profile region disabled for the account',
    config: { 'profile demo': { ...demo, region: 'ap-east-1', role_session_name: 'region' } },
    credentials: aliceCreds,
    env: { AWS_DEFAULT_REGION: 'us-west-2' },
    profile: 'demo',
    region: 'us-west-2',
    expect: {
      outcome: 'ok',
      arn: assumed('demo-role', 'region'),
      calls: [assume('demo-role', { session: 'region', region: 'us-west-2' }), whoAmI('us-west-2')],
    },
  },
  {
    name: 'region: AWS_REGION beats AWS_DEFAULT_REGION',
    config: { 'profile demo': { ...demo, role_session_name: 'region' } },
    credentials: aliceCreds,
    env: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-east-1' },
    profile: 'demo',
    region: 'eu-west-1',
    expect: {
      outcome: 'ok',
      arn: assumed('demo-role', 'region'),
      calls: [assume('demo-role', { session: 'region', region: 'eu-west-1' }), whoAmI('eu-west-1')],
    },
  },
  {
    name: 'region: a profile region disabled for the account',
    config: { 'profile demo': { ...demo, region: 'ap-east-1', role_session_name: 'region' } },
    credentials: aliceCreds,
    profile: 'demo',
    region: 'ap-east-1',
    expect: fails(
      'sts:AssumeRole:RegionDisabled',
      assume('demo-role', { session: 'region', region: 'ap-east-1', answer: 'RegionDisabledException' }),
    ),
  },
];
