import { DEMO_ACCOUNT, startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { AWS_CLI_V2_PEER, awsCliV2, awsCliV2Home, reportPeerMissing } from '@credchain/testkit';
import type { AwsCliV2Home } from '@credchain/testkit';
import { callerArn } from '@credchain/testkit/sts-local';

import { fromContainerMetadata, fromInstanceMetadata, fromSso } from '../src';

// The AWS CLI v2 as an independent judge of sts-local's source endpoints and of credchain's source
// providers (issue 11): the CLI finds the instance role through AWS_EC2_METADATA_SERVICE_ENDPOINT and
// the task role through AWS_CONTAINER_CREDENTIALS_FULL_URI, with no profile, and signs as the same
// identity, with the same access key, as fromInstanceMetadata and fromContainerMetadata; and it resolves
// an sso_session profile from the token cache sts-local writes (as `aws sso login` would) to the same
// role session as fromSso.

const cli = awsCliV2();

interface Exported {
  readonly AccessKeyId: string;
  readonly Expiration?: string;
}

/** `configure export-credentials` and `sts get-caller-identity` of the CLI in `home`: its key and its caller. */
async function cliIdentity(home: AwsCliV2Home, args: string[] = []): Promise<{ accessKeyId: string; arn: string }> {
  const exported = await home.run(['configure', 'export-credentials', '--format', 'process', ...args]);
  expect(exported.stderr).toBe('');
  expect(exported.status).toBe(0);
  const identity = await home.run(['sts', 'get-caller-identity', '--output', 'json', ...args]);
  expect(identity.stderr).toBe('');
  expect(identity.status).toBe(0);
  return {
    accessKeyId: (JSON.parse(exported.stdout) as Exported).AccessKeyId,
    arn: (JSON.parse(identity.stdout) as { Arn: string }).Arn,
  };
}

describe(`sources judged by ${cli?.version.split(' ')[0] ?? 'the AWS CLI v2 (missing)'}`, () => {
  let sts: StsLocal;
  const homes: AwsCliV2Home[] = [];
  beforeAll(async () => {
    sts = await startStsLocal({ imds: true, container: true, sso: true });
  });
  afterAll(() => sts.stop());
  beforeEach(() => sts.clearCalls());
  afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

  const home = (env: Record<string, string>, config?: string): AwsCliV2Home => {
    const sso = sts.sso!.endpoint;
    const endpoints = { sts: sts.endpoint, stsGlobal: sts.globalEndpoint, sso, ssoOidc: sso };
    const h = awsCliV2Home(cli!, { ...endpoints, env, ...(config === undefined ? {} : { config }) });
    homes.push(h);
    return h;
  };
  const sourceRequests = () =>
    [...new Set(sts.calls.filter((c) => c.endpoint !== 'regional' && c.endpoint !== 'global').map((c) => c.operation))]
      .filter((o) => o !== undefined)
      .sort();

  it('an instance role (IMDSv2): the AWS CLI and fromInstanceMetadata sign as the instance, same key', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const imds = sts.imds!;
    const theirs = await cliIdentity(home({ ...imds.env }));
    expect(theirs.arn).toBe(imds.sessionArn);
    // IMDSv2: a token first (sts-local refuses tokenless GETs unless allowV1), then the role and its credentials.
    expect(sourceRequests()).toEqual(expect.arrayContaining(['imds:credentials', 'imds:role-name', 'imds:token']));
    sts.clearCalls();

    const provider = fromInstanceMetadata({ endpoint: imds.endpoint });
    try {
      const ours = await provider();
      expect(ours.accessKeyId).toBe(theirs.accessKeyId);
      expect(await callerArn(sts, ours)).toBe(imds.sessionArn);
      expect(sourceRequests()).toEqual(['imds:credentials', 'imds:role-name', 'imds:token']);
    } finally {
      provider.close();
    }
  });

  it('container credentials (full URI and token): the AWS CLI and fromContainerMetadata sign as the task', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const container = sts.container!;
    const theirs = await cliIdentity(home({ ...container.env, AWS_REGION: 'us-east-1' }));
    expect(theirs.arn).toBe(container.sessionArn);
    expect(sourceRequests()).toEqual(['container:credentials']);
    sts.clearCalls();

    const provider = fromContainerMetadata({
      fullUri: container.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      authorizationToken: container.authorizationToken,
    });
    try {
      const ours = await provider();
      expect(ours.accessKeyId).toBe(theirs.accessKeyId);
      expect(await callerArn(sts, ours)).toBe(container.sessionArn);
      expect(sourceRequests()).toEqual(['container:credentials']);
    } finally {
      provider.close();
    }
  });

  it('a wrong container token: the endpoint refuses both alike, and nothing reaches STS', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const container = sts.container!;
    const env = { ...container.env, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'not-the-token', AWS_REGION: 'us-east-1' };
    /** What sts-local logged, as a set: which endpoint, which status, which error code. */
    const answers = () => [...new Set(sts.calls.map((c) => `${c.endpoint} ${c.status} ${c.errorCode ?? ''}`))];

    const run = await home(env).run(['sts', 'get-caller-identity']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/Unable to locate credentials|Error when retrieving credentials from container-role/);
    const theirs = answers();
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatch(/^container 40[13] /);
    sts.clearCalls();

    const provider = fromContainerMetadata({
      fullUri: env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      authorizationToken: env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
    });
    try {
      await expect(provider()).rejects.toMatchObject({ name: 'CredentialSourceError' });
    } finally {
      provider.close();
    }
    expect(answers()).toEqual(theirs);
  });

  it('an sso_session profile: the AWS CLI and fromSso read one token cache and sign as one session', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const sso = sts.sso!;
    const config = [
      '[profile dev]',
      'sso_session = demo',
      `sso_account_id = ${DEMO_ACCOUNT}`,
      'sso_role_name = AdministratorAccess',
      'region = us-east-1',
      '[sso-session demo]',
      `sso_start_url = ${sso.startUrl}`,
      `sso_region = ${sso.region}`,
      'sso_registration_scopes = sso:account:access',
      '',
    ].join('\n');
    const h = home({}, config);
    sso.writeTokenCache({ home: h.home, user: 'alice', sessionName: 'demo' });
    const theirs = await cliIdentity(h, ['--profile', 'dev']);
    expect(theirs.arn).toMatch(
      new RegExp(`^arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/AWSReservedSSO_AdministratorAccess_\\w+/alice$`),
    );
    expect(sourceRequests()).toEqual(['sso:GetRoleCredentials']);
    sts.clearCalls();

    // The SDK reads the token cache under HOME, at the fetch.
    const before = process.env.HOME;
    process.env.HOME = h.home;
    const provider = fromSso({
      profile: 'dev',
      configFilepath: h.configFile,
      clientConfig: { endpoint: sso.endpoint },
    });
    try {
      const ours = await provider();
      expect(await callerArn(sts, ours)).toBe(theirs.arn);
      expect(sourceRequests()).toEqual(['sso:GetRoleCredentials']);
    } finally {
      provider.close();
      if (before === undefined) delete process.env.HOME;
      else process.env.HOME = before;
    }
  });
});
