import { AssumeRoleCommand, AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { InvalidParameterError, StsError } from '@credchain/core';
import type { CredentialEvent } from '@credchain/core';
import { fromAssumeRoot } from '@credchain/assume-root';
import type { FromAssumeRootInit } from '@credchain/assume-root';
import type { StsLocal } from '@credchain/sts-local';
import { useStsLocal } from '@credchain/testkit/sts-local';

import {
  AUDIT_TASK,
  DELEGATED_ADMIN_USER,
  DEMO_ACCOUNT,
  DEMO_MEMBER_ACCOUNT,
  MANAGEMENT_ROOT,
  MANAGEMENT_USER,
  MEMBER_USER,
  errorOf,
  regional,
  whoAmI,
} from './demoIdentities';

// AssumeRoot against sts-local over HTTP, through the real @aws-sdk/client-sts, and the root
// session it returns used as `credentials` by a real SDK client whose signature sts-local verifies.

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

const callsOf = (operation: string) => sts.calls.filter((c) => c.operation === operation);

describe('fromAssumeRoot against sts-local', () => {
  test('the management account gets a 900 s root session of the member account', async () => {
    const before = sts.now();
    const credentials = await provider({ sourceCredentials: MANAGEMENT_USER })();
    expect(credentials).toMatchObject({ origin: 'root-session', accountId: DEMO_MEMBER_ACCOUNT });
    expect(credentials.accessKeyId).not.toBe(MANAGEMENT_USER.accessKeyId);
    // STS's default and maximum; sts-local stamps whole seconds.
    expect(credentials.expiration.getTime() - before).toBeGreaterThan(899_000);
    expect(credentials.expiration.getTime() - before).toBeLessThanOrEqual(901_000);
    const [call] = callsOf('AssumeRoot');
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
    const identity = await whoAmI(sts, credentials);
    // What GetCallerIdentity names for a root user: the account's root ARN, the account id as UserId.
    expect(identity).toMatchObject({
      Arn: `arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`,
      Account: DEMO_MEMBER_ACCOUNT,
      UserId: DEMO_MEMBER_ACCOUNT,
    });
    // sts-local verified a signature made with the issued session, not with alice's keys.
    const issued = await credentials();
    expect(callsOf('GetCallerIdentity').map((c) => c.accessKeyId)).toEqual([issued.accessKeyId]);
    expect(callsOf('AssumeRoot')).toHaveLength(1);
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
    expect((await whoAmI(sts, credentials)).Arn).toBe(`arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`);
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
    expect((await whoAmI(sts, credentials)).Arn).toBe(`arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`);
  });

  test('a root session may not call STS for more: the SDK answer is a typed AccessDenied', async () => {
    const root = await provider({ sourceCredentials: MANAGEMENT_USER })();
    const client = new STSClient({ ...regional(sts), credentials: root, maxAttempts: 1 });
    const error = await errorOf(() => client.send(new AssumeRootCommand(params)));
    client.destroy();
    expect(error).toMatchObject({ name: 'AccessDenied' });
    // Through the provider, the same answer is an StsError the engine will not hammer.
    const chained = await errorOf(() => provider({ sourceCredentials: root })());
    expect(chained).toBeInstanceOf(StsError);
    expect(chained).toMatchObject({ code: 'AccessDenied', final: true });
  });
});

describe('fromAssumeRoot: STS errors surface typed', () => {
  test('a member account that is not a delegated administrator: AccessDenied, final, asked once', async () => {
    const events: CredentialEvent[] = [];
    const error = await errorOf(() => provider({ sourceCredentials: MEMBER_USER, onEvent: (e) => events.push(e) })());
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ operation: 'AssumeRoot', code: 'AccessDenied', statusCode: 403, final: true });
    expect((error as Error).message).toContain('sts:AssumeRoot');
    expect(callsOf('AssumeRoot')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'refresh-failure')).toMatchObject([{ final: true }]);
  });

  test('the root user: AccessDenied', async () => {
    const error = await errorOf(() => provider({ sourceCredentials: MANAGEMENT_ROOT })());
    expect(error).toMatchObject({ code: 'AccessDenied' });
    expect((error as Error).message).toContain('root user credentials');
  });

  test('the management account as target: AccessDenied', async () => {
    const error = await errorOf(() =>
      provider({ sourceCredentials: MANAGEMENT_USER, params: { ...params, TargetPrincipal: DEMO_ACCOUNT } })(),
    );
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ code: 'AccessDenied' });
  });

  test('a region where STS is deactivated for the caller: RegionDisabled, final', async () => {
    const error = await errorOf(() =>
      provider({ sourceCredentials: MANAGEMENT_USER, clientConfig: regional(sts, 'ap-east-1') })(),
    );
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ code: 'RegionDisabled', final: true });
  });

  test("sts-local's global endpoint, which does not know AssumeRoot: a final error naming clientConfig.endpoint", async () => {
    const credentials = provider({
      sourceCredentials: MANAGEMENT_USER,
      clientConfig: { endpoint: sts.globalEndpoint, region: 'us-east-1' },
    });
    const error = await errorOf(() => credentials());
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error).toMatchObject({ parameter: 'clientConfig.endpoint', final: true });
    expect((error as Error).message).toContain('served only by regional endpoints');
    // STS's own answer stays as the cause.
    expect((error as Error).cause).toBeInstanceOf(StsError);
    expect((error as Error).cause).toMatchObject({ code: 'InvalidAction' });
    expect(sts.calls.map((c) => [c.operation, c.endpoint])).toEqual([['AssumeRoot', 'global']]);
  });

  test('keys STS does not know: InvalidClientTokenId', async () => {
    const error = await errorOf(() =>
      provider({ sourceCredentials: { ...MANAGEMENT_USER, accessKeyId: 'AKIAUNKNOWNEXAMPLE01' } })(),
    );
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ code: 'InvalidClientTokenId' });
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
    expect(callsOf('AssumeRoot')).toMatchObject([{ outcome: 'success' }]);
  });

  test('DurationSeconds 900 is the most both allow', async () => {
    const raw = new STSClient({ ...regional(sts), credentials: MANAGEMENT_USER, maxAttempts: 1 });
    const refused = await errorOf(() => raw.send(new AssumeRootCommand({ ...params, DurationSeconds: 901 })));
    raw.destroy();
    expect(refused).toMatchObject({ name: 'ValidationError' });
    expect(() => provider({ sourceCredentials: MANAGEMENT_USER, params: { ...params, DurationSeconds: 901 } })).toThrow(
      InvalidParameterError,
    );
    await provider({ sourceCredentials: MANAGEMENT_USER, params: { ...params, DurationSeconds: 900 } })();
    expect(callsOf('AssumeRoot').map((c) => c.outcome)).toEqual(['error', 'success']);
  });
});

describe('fromAssumeRoot construction errors reach no server', () => {
  test.each<[string, Partial<FromAssumeRootInit>]>([
    ['DurationSeconds', { params: { ...params, DurationSeconds: 901 } }],
    [
      'TaskPolicyArn.arn',
      { params: { ...params, TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } } },
    ],
    ['TargetPrincipal', { params: { ...params, TargetPrincipal: `arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:user/bob` } }],
    ['clientConfig.endpoint', { clientConfig: { endpoint: 'https://sts.amazonaws.com', region: 'us-east-1' } }],
  ])('%s', (parameter, init) => {
    let caught: unknown;
    try {
      provider({ sourceCredentials: MANAGEMENT_USER, ...init });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidParameterError);
    expect((caught as InvalidParameterError).parameter).toBe(parameter);
    expect(sts.calls).toHaveLength(0);
  });
});
