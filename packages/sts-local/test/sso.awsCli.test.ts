import { AWS_CLI_V2_PEER, awsCliV2, awsCliV2Home, reportPeerMissing, type AwsCliV2Home } from '@credchain/testkit';
import { DEMO_MEMBER_ACCOUNT, DEMO_SSO_START_URL, startStsLocal, type StsLocal } from '../src';
import { READ_ONLY_ROLE, READ_ONLY_SET, aliceAdminArn, readCache, ssoOf } from './support/ssoKit';

// The AWS CLI v2 as an independent judge of the SSO endpoint: it reads the cache file sts.sso writes,
// calls GetRoleCredentials (and CreateToken, within its 15-minute refresh window) on sts-local through
// its data path, and signs STS calls with what it got.

const cli = awsCliV2();

const SESSION_PROFILE = `[profile dev]
sso_session = demo
sso_account_id = 111122223333
sso_role_name = AdministratorAccess
region = us-east-1

[sso-session demo]
sso_start_url = ${DEMO_SSO_START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

const LEGACY_PROFILE = `[profile legacy]
sso_start_url = ${DEMO_SSO_START_URL}
sso_region = us-east-1
sso_account_id = ${DEMO_MEMBER_ACCOUNT}
sso_role_name = ${READ_ONLY_SET}
region = us-east-1
`;

describe(`the SSO endpoint judged by ${cli?.version.split(' ')[0] ?? 'the AWS CLI v2 (missing)'}`, () => {
  let sts: StsLocal;
  const homes: AwsCliV2Home[] = [];
  beforeAll(async () => {
    sts = await startStsLocal({ sso: true });
  });
  afterAll(() => sts.stop());
  beforeEach(() => sts.clearCalls());
  afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

  const home = (config: string): AwsCliV2Home => {
    const sso = ssoOf(sts).endpoint;
    const h = awsCliV2Home(cli!, { sts: sts.endpoint, stsGlobal: sts.globalEndpoint, sso, ssoOidc: sso, config });
    homes.push(h);
    return h;
  };
  const callerOf = async (h: AwsCliV2Home, profile: string): Promise<string> => {
    const run = await h.run(['sts', 'get-caller-identity', '--profile', profile, '--output', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return (JSON.parse(run.stdout) as { Arn: string }).Arn;
  };
  const operations = () => sts.calls.map((c) => `${c.operation ?? '?'} ${c.errorCode ?? c.status}`);

  it('an sso_session profile with the cache file of sts.sso.writeTokenCache', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const h = home(SESSION_PROFILE);
    ssoOf(sts).writeTokenCache({ home: h.home, sessionName: 'demo' });

    expect(await callerOf(h, 'dev')).toBe(aliceAdminArn);
    expect(operations()).toEqual(['sso:GetRoleCredentials 200', 'GetCallerIdentity 200']);
  });

  it('a legacy sso_start_url profile', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const h = home(LEGACY_PROFILE);
    ssoOf(sts).writeTokenCache({ home: h.home, user: 'bob' });

    expect(await callerOf(h, 'legacy')).toBe(`arn:aws:sts::${DEMO_MEMBER_ACCOUNT}:assumed-role/${READ_ONLY_ROLE}/bob`);
  });

  it('within 15 minutes of expiry the CLI refreshes through CreateToken and rewrites the cache file', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const h = home(SESSION_PROFILE);
    const path = ssoOf(sts).writeTokenCache({ home: h.home, sessionName: 'demo', accessTokenTtlMs: 10 * 60_000 });
    const before = readCache(path);

    expect(await callerOf(h, 'dev')).toBe(aliceAdminArn);

    expect(operations()).toEqual(['sso-oidc:CreateToken 200', 'sso:GetRoleCredentials 200', 'GetCallerIdentity 200']);
    const after = readCache(path);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.registrationExpiresAt).toBe(before.registrationExpiresAt);
  });
});
