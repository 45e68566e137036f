/**
 * Role profiles whose signer is `credential_source` (botocore's CanonicalNameCredentialSourcer:
 * Environment, Ec2InstanceMetadata, EcsContainer), end to end: sts-local's IMDSv2 and container
 * endpoints issue the instance and task role credentials, and its STS verifies the AssumeRole they sign.
 */
import { DEMO_ACCOUNT, DEMO_INSTANCE_ID, DEMO_TASK_ID, startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';

import { ProfileConfigError } from '../src';
import type { FromProfileInit } from '../src';
import { ALICE, ini, profileProvider, role, whoAmI } from './helpers';

let sts: StsLocal;
beforeAll(async () => {
  sts = await startStsLocal({ imds: true, container: true });
});
afterAll(() => sts.stop());

const cleanups: Array<() => void> = [];
const SOURCE_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];
let savedEnv: NodeJS.ProcessEnv;
beforeEach(() => {
  sts.clearCalls();
  savedEnv = { ...process.env };
  for (const name of SOURCE_ENV) delete process.env[name];
});
afterEach(() => {
  process.env = savedEnv;
  for (const c of cleanups.splice(0)) c();
});

function profileOf(source: string, init: FromProfileInit = {}, extra: Record<string, string | number> = {}) {
  const config = ini({ 'profile p': { role_arn: role('demo-role'), credential_source: source, ...extra } });
  const clientConfig = { endpoint: sts.endpoint, region: 'us-east-1' };
  return profileProvider(config, '', { profile: 'p', clientConfig, ...init }, cleanups);
}

/** The endpoints sts-local answered and the STS operations, in order. */
const calls = (): string[] => sts.calls.map((c) => (c.endpoint === 'regional' ? c.operation! : c.endpoint));

describe('credential_source = Ec2InstanceMetadata', () => {
  it('assumes the role with the instance role credentials from IMDSv2', async () => {
    Object.assign(process.env, sts.imds!.env);
    const p = profileOf('Ec2InstanceMetadata');
    expect(await whoAmI(sts, p)).toMatch(new RegExp(`^arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/`));
    const assume = sts.calls.find((c) => c.operation === 'AssumeRole')!;
    expect(assume.callerArn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/instance-role/${DEMO_INSTANCE_ID}`);
    expect(calls().filter((c) => c !== 'imds')).toEqual(['AssumeRole', 'GetCallerIdentity']);
    expect(sts.calls.filter((c) => c.endpoint === 'imds').map((c) => c.operation)).toContain('imds:token');
  });

  it('caps a duration_seconds above an hour (role chaining), or refuses it under strictDuration', async () => {
    Object.assign(process.env, sts.imds!.env);
    const capped = profileOf('Ec2InstanceMetadata', {}, { duration_seconds: 7200 });
    await capped();
    expect(sts.calls.find((c) => c.operation === 'AssumeRole')!.params.DurationSeconds).toBe('3600');
    sts.clearCalls();
    const strict = profileOf('Ec2InstanceMetadata', { strictDuration: true }, { duration_seconds: 7200 });
    await expect(strict()).rejects.toThrow(/duration_seconds 7200 of profile "p" exceeds the 1-hour/);
    expect(sts.calls).toHaveLength(0);
  });

  it('says the source found nothing when IMDS is disabled, naming credential_source', async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    const error = (await profileOf('Ec2InstanceMetadata')().catch((e: unknown) => e)) as ProfileConfigError;
    expect(error).toBeInstanceOf(ProfileConfigError);
    expect(error.key).toBe('credential_source');
    expect(error.message).toMatch(/credential_source "Ec2InstanceMetadata" of profile "p" found no credentials/);
    expect(sts.calls).toHaveLength(0);
  });
});

describe('credential_source = EcsContainer', () => {
  it('assumes the role with the task role credentials from the container endpoint', async () => {
    Object.assign(process.env, sts.container!.env);
    const p = profileOf('EcsContainer');
    expect(await whoAmI(sts, p)).toMatch(/assumed-role\/demo-role\//);
    const assume = sts.calls.find((c) => c.operation === 'AssumeRole')!;
    expect(assume.callerArn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/task-role/${DEMO_TASK_ID}`);
    expect(calls()).toEqual(['container', 'AssumeRole', 'GetCallerIdentity']);
  });

  it('fails as the profile configured, not as "try the next link", without a container URI', async () => {
    const error = (await profileOf('EcsContainer')().catch((e: unknown) => e)) as ProfileConfigError;
    expect(error).toBeInstanceOf(ProfileConfigError);
    expect(error.key).toBe('credential_source');
    expect(error.message).toMatch(/"EcsContainer" of profile "p" found no credentials/);
    expect((error as { tryNextLink?: unknown }).tryNextLink).not.toBe(true);
  });
});

describe('credential_source = Environment', () => {
  it('signs with the environment keys, read at the call', async () => {
    const p = profileOf('Environment');
    process.env.AWS_ACCESS_KEY_ID = ALICE.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = ALICE.secretAccessKey;
    await p();
    expect(sts.calls[0]!.callerArn).toBe(`arn:aws:iam::${DEMO_ACCOUNT}:user/alice`);
  });

  it('names the variables missing, never a secret', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = ALICE.secretAccessKey;
    const error = (await profileOf('Environment')().catch((e: unknown) => e)) as ProfileConfigError;
    expect(error).toBeInstanceOf(ProfileConfigError);
    expect(error.message).toMatch(/"Environment" of profile "p" found no credentials: .*AWS_ACCESS_KEY_ID not set/);
    expect(error.message).not.toContain(ALICE.secretAccessKey);
  });
});
