import { AssumeRoleCommand, AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { InvalidParameterError, StsError } from '@credchain/core';
import { fromAssumeRoot } from '@credchain/assume-root';
import type { FromAssumeRootInit } from '@credchain/assume-root';
import { DEMO_ACCOUNT, DEMO_DELEGATED_ADMIN_ACCOUNT, DEMO_MEMBER_ACCOUNT } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { expectNoSecret, observe, rejectionOf, thrownBy } from '@credchain/testkit';
import {
  ALICE as MANAGEMENT_USER,
  callerIdentity,
  callsOf,
  localConfig as regional,
  rootKeys,
  useStsLocal,
  userKeys,
} from '@credchain/testkit/sts-local';

// AssumeRoot against sts-local over HTTP, through the real @aws-sdk/client-sts, and the root
// session it returns used as `credentials` by a real SDK client whose signature sts-local verifies.
// The callers AssumeRoot tells apart: alice of the management account, a delegated administrator for
// IAM, a member account that is neither, and a root user. What every provider promises (RegionDisabled,
// InvalidClientTokenId, no secret shown, …) is in the contract suite, packages/credchain/test/contract.
const DELEGATED_ADMIN_USER = userKeys('security-admin', DEMO_DELEGATED_ADMIN_ACCOUNT);
const MEMBER_USER = userKeys('member-dev', DEMO_MEMBER_ACCOUNT);
const MANAGEMENT_ROOT = rootKeys();
const AUDIT_TASK = { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' };

const local = useStsLocal();
let sts: StsLocal;
beforeEach(() => {
  sts = local();
});

const params = { TargetPrincipal: DEMO_MEMBER_ACCOUNT, TaskPolicyArn: AUDIT_TASK };
const opened: Array<{ close(): void }> = [];
afterEach(() => opened.splice(0).forEach((p) => p.close()));

function provider(init: Omit<FromAssumeRootInit, 'params'> & { params?: FromAssumeRootInit['params'] }) {
  const p = fromAssumeRoot({ params, clientConfig: regional(sts), ...init });
  opened.push(p);
  return p;
}

describe('fromAssumeRoot against sts-local', () => {
  test('the management account gets a 900 s root session of the member account', async () => {
    const before = sts.now();
    const credentials = await provider({ sourceCredentials: MANAGEMENT_USER })();
    expect(credentials).toMatchObject({ origin: 'root-session', accountId: DEMO_MEMBER_ACCOUNT });
    expect(credentials.accessKeyId).not.toBe(MANAGEMENT_USER.accessKeyId);
    // STS's default and maximum; sts-local stamps whole seconds.
    expect(credentials.expiration.getTime() - before).toBeGreaterThan(899_000);
    expect(credentials.expiration.getTime() - before).toBeLessThanOrEqual(901_000);
    const [call] = callsOf(sts, 'AssumeRoot');
    expect(call).toMatchObject({
      endpoint: 'regional',
      region: 'us-east-1',
      callerArn: `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`,
      outcome: 'success',
      params: { TargetPrincipal: DEMO_MEMBER_ACCOUNT, 'TaskPolicyArn.arn': AUDIT_TASK.arn, DurationSeconds: '900' },
    });
  });

  test('a real SDK client signing with the provider is the member account root user to STS', async () => {
    const credentials = provider({ sourceCredentials: MANAGEMENT_USER });
    const identity = await callerIdentity(sts, credentials);
    // What GetCallerIdentity names for a root user: the account's root ARN, the account id as UserId.
    expect(identity).toMatchObject({
      Arn: `arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`,
      Account: DEMO_MEMBER_ACCOUNT,
      UserId: DEMO_MEMBER_ACCOUNT,
    });
    // sts-local verified a signature made with the issued session, not with alice's keys.
    const issued = await credentials();
    expect(callsOf(sts, 'GetCallerIdentity').map((c) => c.accessKeyId)).toEqual([issued.accessKeyId]);
    expect(callsOf(sts, 'AssumeRoot')).toHaveLength(1);
  });

  test('a delegated administrator for IAM may call it too, naming the target by its root ARN', async () => {
    const credentials = provider({
      sourceCredentials: DELEGATED_ADMIN_USER,
      params: {
        TargetPrincipal: `arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`,
        TaskPolicyArn: AUDIT_TASK,
        DurationSeconds: 300,
      },
    });
    const creds = await credentials();
    expect(creds.accountId).toBe(DEMO_MEMBER_ACCOUNT);
    expect(creds.expiration.getTime() - sts.now()).toBeLessThanOrEqual(300_000);
    expect((await callerIdentity(sts, credentials)).Arn).toBe(`arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`);
  });

  test('a role session of the management account may call it (only root users may not)', async () => {
    const client = new STSClient({ ...regional(sts), credentials: MANAGEMENT_USER });
    const role = await client.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`, RoleSessionName: 'ops' }),
    );
    client.destroy();
    const session = role.Credentials!;
    const credentials = provider({
      sourceCredentials: {
        accessKeyId: session.AccessKeyId!,
        secretAccessKey: session.SecretAccessKey!,
        sessionToken: session.SessionToken!,
      },
    });
    expect((await callerIdentity(sts, credentials)).Arn).toBe(`arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`);
  });

  test('a root session may not call STS for more: the SDK answer is a typed AccessDenied', async () => {
    const root = await provider({ sourceCredentials: MANAGEMENT_USER })();
    const client = new STSClient({ ...regional(sts), credentials: root, maxAttempts: 1 });
    const error = await rejectionOf(client.send(new AssumeRootCommand(params)));
    client.destroy();
    expect(error).toMatchObject({ name: 'AccessDenied' });
    // Through the provider, the same answer is an StsError the engine will not hammer.
    const chained = await rejectionOf(provider({ sourceCredentials: root })());
    expect(chained).toBeInstanceOf(StsError);
    expect(chained).toMatchObject({ code: 'AccessDenied', final: true });
  });
});

describe('fromAssumeRoot: STS errors surface typed', () => {
  test('a member account that is not a delegated administrator: AccessDenied, final, asked once', async () => {
    const seen = observe();
    const error = await rejectionOf(provider({ sourceCredentials: MEMBER_USER, onEvent: seen.onEvent })());
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ operation: 'AssumeRoot', code: 'AccessDenied', statusCode: 403, final: true });
    expect((error as Error).message).toContain('sts:AssumeRoot');
    expect(callsOf(sts, 'AssumeRoot')).toHaveLength(1);
    expect(seen.events.filter((e) => e.type === 'refresh-failure')).toMatchObject([{ final: true }]);
  });

  test('the root user: AccessDenied', async () => {
    const error = await rejectionOf(provider({ sourceCredentials: MANAGEMENT_ROOT })());
    expect(error).toMatchObject({ code: 'AccessDenied' });
    expect((error as Error).message).toContain('root user credentials');
  });

  test("sts-local's global endpoint, which knows no AssumeRoot: final, naming clientConfig.endpoint", async () => {
    const seen = observe();
    const credentials = provider({
      sourceCredentials: MANAGEMENT_USER,
      clientConfig: { endpoint: sts.globalEndpoint, region: 'us-east-1' },
      logger: seen.logger,
      onEvent: seen.onEvent,
    });
    const error = await rejectionOf(credentials());
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error).toMatchObject({ parameter: 'clientConfig.endpoint', final: true });
    expect((error as Error).message).toContain('served only by regional endpoints');
    // STS's own answer stays as the cause.
    expect((error as Error).cause).toBeInstanceOf(StsError);
    expect((error as Error).cause).toMatchObject({ code: 'InvalidAction' });
    expect(sts.calls.map((c) => [c.operation, c.endpoint])).toEqual([['AssumeRoot', 'global']]);
    for (const shown of [error, seen.lines, seen.events]) expectNoSecret(shown, [MANAGEMENT_USER.secretAccessKey]);
  });
});

describe('fromAssumeRoot: the limits it checks are the limits STS keeps', () => {
  test.each([
    'IAMAuditRootUserCredentials',
    'IAMCreateRootUserPassword',
    'IAMDeleteRootUserCredentials',
    'S3UnlockBucketPolicy',
    'SQSUnlockQueuePolicy',
  ])('sts-local accepts the root-task policy %s', async (task) => {
    const TaskPolicyArn = { arn: `arn:aws:iam::aws:policy/root-task/${task}` };
    await provider({ sourceCredentials: MANAGEMENT_USER, params: { ...params, TaskPolicyArn } })();
    expect(callsOf(sts, 'AssumeRoot')).toMatchObject([{ outcome: 'success' }]);
  });

  test('DurationSeconds 900 is the most both allow', async () => {
    const raw = new STSClient({ ...regional(sts), credentials: MANAGEMENT_USER, maxAttempts: 1 });
    const refused = await rejectionOf(raw.send(new AssumeRootCommand({ ...params, DurationSeconds: 901 })));
    raw.destroy();
    expect(refused).toMatchObject({ name: 'ValidationError' });
    expect(() => provider({ sourceCredentials: MANAGEMENT_USER, params: { ...params, DurationSeconds: 901 } })).toThrow(
      InvalidParameterError,
    );
    await provider({ sourceCredentials: MANAGEMENT_USER, params: { ...params, DurationSeconds: 900 } })();
    expect(callsOf(sts, 'AssumeRoot').map((c) => c.outcome)).toEqual(['error', 'success']);
  });
});

describe('fromAssumeRoot construction errors reach no server', () => {
  test.each<[string, Partial<FromAssumeRootInit>]>([
    ['DurationSeconds', { params: { ...params, DurationSeconds: 901 } }],
    ['TargetPrincipal', { params: { ...params, TargetPrincipal: `arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:user/bob` } }],
    ['clientConfig.endpoint', { clientConfig: { endpoint: 'https://sts.amazonaws.com', region: 'us-east-1' } }],
  ])('%s', (parameter, init) => {
    const caught = thrownBy(() => provider({ sourceCredentials: MANAGEMENT_USER, ...init }));
    expect(caught).toBeInstanceOf(InvalidParameterError);
    expect((caught as InvalidParameterError).parameter).toBe(parameter);
    expect(sts.calls).toHaveLength(0);
  });
});
