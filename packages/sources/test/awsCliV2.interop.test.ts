import { startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { AWS_CLI_V2_PEER, awsCliV2, awsCliV2Home, reportPeerMissing } from '@credchain/testkit';
import type { AwsCliV2Home } from '@credchain/testkit';
import { callerArn } from '@credchain/testkit/sts-local';

import { fromContainerMetadata, fromInstanceMetadata } from '../src';

// The AWS CLI v2 as an independent judge of sts-local's source endpoints and of credchain's source
// providers (issue 11): the CLI finds the instance role through AWS_EC2_METADATA_SERVICE_ENDPOINT and
// the task role through AWS_CONTAINER_CREDENTIALS_FULL_URI, with no profile, and signs as the same
// identity, with the same access key, as fromInstanceMetadata and fromContainerMetadata.

const cli = awsCliV2();

interface Exported {
  readonly AccessKeyId: string;
  readonly Expiration?: string;
}

/** `configure export-credentials` and `sts get-caller-identity` of the CLI in `home`: its key and its caller. */
async function cliIdentity(home: AwsCliV2Home): Promise<{ accessKeyId: string; arn: string }> {
  const exported = await home.run(['configure', 'export-credentials', '--format', 'process']);
  expect(exported.stderr).toBe('');
  expect(exported.status).toBe(0);
  const identity = await home.run(['sts', 'get-caller-identity', '--output', 'json']);
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
    sts = await startStsLocal({ imds: true, container: true });
  });
  afterAll(() => sts.stop());
  beforeEach(() => sts.clearCalls());
  afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

  const home = (env: Record<string, string>): AwsCliV2Home => {
    const h = awsCliV2Home(cli!, { sts: sts.endpoint, stsGlobal: sts.globalEndpoint, env });
    homes.push(h);
    return h;
  };
  const sourceRequests = () =>
    [...new Set(sts.calls.filter((c) => c.endpoint === 'imds' || c.endpoint === 'container').map((c) => c.operation))]
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
});
