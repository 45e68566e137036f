import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import {
  DEMO_ACCOUNT,
  DEMO_TASK_ID,
  demoConfig,
  startStsLocal,
  type StartStsLocalOptions,
  type StsLocal,
} from '../src';
import { fakeElapsed } from './support/fakeTime';
import { client, demoRole, raw, refusal, withServer } from './support/stsKit';

const TASK_ARN = `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/task-role/${DEMO_TASK_ID}`;

const containerOf = (sts: StsLocal) => {
  if (sts.container === undefined) throw new Error('started without container');
  return sts.container;
};

const withContainer = <T>(options: StartStsLocalOptions, body: (sts: StsLocal) => Promise<T>): Promise<T> =>
  withServer({ container: true, ...options }, body);

/**
 * The SDK's container provider, pointed at the endpoint explicitly (no environment), without its slow retries;
 * `null` sends no Authorization header.
 */
const provider = (sts: StsLocal, token: string | null = containerOf(sts).authorizationToken) =>
  fromHttp({
    awsContainerCredentialsFullUri: containerOf(sts).endpoint,
    ...(token === null ? {} : { awsContainerAuthorizationToken: token }),
    maxRetries: 0,
    timeout: 5000,
  });

const fetchRaw = (sts: StsLocal, init: { method?: string; path?: string; token?: string } = {}) =>
  raw(containerOf(sts).endpoint, {
    method: init.method ?? 'GET',
    path: init.path ?? '/v1/credentials',
    headers: init.token === undefined ? {} : { Authorization: init.token },
  });

describe('container credentials through the SDK', () => {
  test("fromHttp gets the task role's credentials, which sign as the task's role session", async () => {
    await withContainer({}, async (sts) => {
      const credentials = await provider(sts)();
      const identity = await client(sts, credentials).send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toBe(TASK_ARN);
      expect(sts.calls.map((c) => `${c.endpoint} ${c.operation} ${c.status}`)).toEqual([
        'container container:credentials 200',
        'regional GetCallerIdentity 200',
      ]);
      expect(sts.calls[0]).toMatchObject({
        params: { Method: 'GET', Path: '/v1/credentials' },
        callerArn: TASK_ARN,
        accessKeyId: credentials.accessKeyId,
      });
    });
  });

  test('the token may come from a file, as EKS Pod Identity passes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sts-local-container-'));
    try {
      await withContainer({}, async (sts) => {
        const file = join(dir, 'eks-pod-identity-token');
        writeFileSync(file, containerOf(sts).authorizationToken);
        const credentials = await fromHttp({
          awsContainerCredentialsFullUri: containerOf(sts).endpoint,
          awsContainerAuthorizationTokenFile: file,
          maxRetries: 0,
        })();
        expect(credentials.accessKeyId).toMatch(/^ASIA/);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('AssumeRole from task credentials is role chaining: more than one hour is refused', async () => {
    await withContainer({}, async (sts) => {
      const task = client(sts, await provider(sts)());
      const assume = (DurationSeconds: number) =>
        task.send(new AssumeRoleCommand({ RoleArn: demoRole('demo-role'), RoleSessionName: 'task', DurationSeconds }));
      expect(await refusal(assume(3601))).toMatchObject({ code: 'ValidationError' });
      expect((await assume(3600)).AssumedRoleUser?.Arn).toMatch(/assumed-role\/demo-role\/task$/);
    });
  });

  test('the answer carries what ECS and EKS send: RoleArn, AccountId and RFC 3339 Expiration', async () => {
    await withContainer({}, async (sts) => {
      const answer = await fetchRaw(sts, { token: containerOf(sts).authorizationToken });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json');
      const doc = JSON.parse(answer.body) as Record<string, string>;
      expect(Object.keys(doc).sort()).toEqual(
        ['AccessKeyId', 'AccountId', 'Expiration', 'RoleArn', 'SecretAccessKey', 'Token'].sort(),
      );
      expect(doc).toMatchObject({ RoleArn: demoRole('task-role'), AccountId: DEMO_ACCOUNT });
      expect(doc.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });
  });
});

describe('the authorization token', () => {
  test('a wrong token is refused with 403 and a JSON { Code, Message } the SDK copies onto its error', async () => {
    await withContainer({}, async (sts) => {
      const error = (await provider(sts, 'not-the-token')().catch((e: unknown) => e)) as Error & { Code?: string };
      expect(error.message).toMatch(/status: 403/);
      expect(error.Code).toBe('AccessDenied');
      expect(sts.calls[0]).toMatchObject({ status: 403, outcome: 'error', errorCode: 'AccessDenied' });
    });
  });

  test('a missing token is refused with 400', async () => {
    await withContainer({}, async (sts) => {
      const error = (await provider(sts, null)().catch((e: unknown) => e)) as Error & { Code?: string };
      expect(error.message).toMatch(/status: 400/);
      expect(error.Code).toBe('InvalidRequest');
    });
  });

  test('a token given in the options is the one accepted; a new random one each start otherwise', async () => {
    await withContainer({ container: { authorizationToken: 'Bearer my-fixed-token' } }, async (sts) => {
      expect(containerOf(sts).authorizationToken).toBe('Bearer my-fixed-token');
      expect((await provider(sts, 'Bearer my-fixed-token')()).accessKeyId).toMatch(/^ASIA/);
    });
    const tokens = await Promise.all(
      [1, 2].map(() => withContainer({}, (sts) => Promise.resolve(containerOf(sts).authorizationToken))),
    );
    expect(tokens[0]).toMatch(/^[\w-]{43}$/);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  test.each(['', 'two\nlines', ' padded'])('a token option of %j is refused at start', async (authorizationToken) => {
    await expect(startStsLocal({ container: { authorizationToken } })).rejects.toThrow(
      /container\.authorizationToken must be/,
    );
  });

  test('other paths are 404 and other methods 405, both JSON', async () => {
    await withContainer({}, async (sts) => {
      const token = containerOf(sts).authorizationToken;
      expect(await fetchRaw(sts, { path: '/v2/credentials/abc', token })).toMatchObject({ status: 404 });
      const post = await fetchRaw(sts, { method: 'POST', token });
      expect(post).toMatchObject({ status: 405, headers: { allow: 'GET' } });
      expect(JSON.parse(post.body)).toEqual({ Code: 'MethodNotAllowed', Message: 'Use GET' });
    });
  });
});

describe('container credential rotation and faults', () => {
  test('the same credentials until 15 minutes before expiry, then new ones', async () => {
    await withContainer({}, async (sts) => {
      const get = async () => (await provider(sts)()).accessKeyId;
      const first = await get();
      expect(await get()).toBe(first);
      sts.advanceTime(6 * 3600_000 - 16 * 60_000);
      expect(await get()).toBe(first);
      sts.advanceTime(2 * 60_000);
      expect(await get()).not.toBe(first);
    });
  });

  test('garbage: an HTML page instead of JSON fails the SDK', async () => {
    await withContainer({ faults: [{ kind: 'garbage', operation: 'container:credentials' }] }, async (sts) => {
      await expect(provider(sts)()).rejects.toThrow(/JSON|Unexpected token/);
      expect(sts.calls[0]).toMatchObject({ status: 200, outcome: 'error', faults: ['garbage'] });
    });
  });

  test('an outage (503 on container:*) fails the SDK until cleared; STS rules (*) leave it alone', async () => {
    await withContainer({ faults: [{ kind: 'throttle', count: 5 }] }, async (sts) => {
      sts.injectFault({ kind: 'unavailable', operation: 'container:*', count: Number.POSITIVE_INFINITY });
      await expect(provider(sts)()).rejects.toThrow(/status: 503/);
      await expect(provider(sts)()).rejects.toThrow(/status: 503/);
      sts.clearFaults();
      expect((await provider(sts)()).accessKeyId).toMatch(/^ASIA/);
      expect(sts.calls.map((c) => c.faults.join())).toEqual(['unavailable', 'unavailable', '']);
    });
  });

  describe('latency', () => {
    afterEach(() => jest.useRealTimers());

    test('300 ms of (fake) latency delays the answer by 300 ms', async () => {
      await withContainer(
        { faults: [{ kind: 'latency', latencyMs: 300, operation: 'container:credentials' }] },
        async (sts) => {
          const { value, elapsedMs } = await fakeElapsed(() => provider(sts)());
          expect(value.accessKeyId).toMatch(/^ASIA/);
          expect(elapsedMs).toBeGreaterThanOrEqual(300);
          expect(elapsedMs).toBeLessThan(1000);
          expect(sts.calls[0]?.faults).toEqual(['latency']);
        },
      );
    });
  });
});

describe('container configuration and secrets', () => {
  test('no secret (authorization token, keys, session tokens) in inspect, JSON or the call log', async () => {
    await withContainer({ imds: true }, async (sts) => {
      const container = containerOf(sts);
      const credentials = await provider(sts)();
      await provider(sts, 'wrong-token-guess')().catch(() => undefined);
      const shown = [
        inspect(sts, { depth: 10 }),
        JSON.stringify(sts),
        inspect(container, { depth: 10 }),
        JSON.stringify(container),
        inspect(sts.calls, { depth: 10 }),
        JSON.stringify(sts.calls),
      ];
      for (const text of shown) {
        for (const secret of [
          container.authorizationToken,
          credentials.secretAccessKey,
          credentials.sessionToken ?? '?',
        ])
          expect(text).not.toContain(secret);
        expect(text).not.toContain('wrong-token-guess');
      }
      expect(JSON.parse(JSON.stringify(sts))).toMatchObject({ containerEndpoint: container.endpoint });
      expect(JSON.parse(JSON.stringify(container))).toEqual({
        endpoint: container.endpoint,
        roleArn: demoRole('task-role'),
      });
    });
  });

  test('the endpoint is a full URI the SDK accepts; env holds both variables', async () => {
    await withContainer({}, async (sts) => {
      const container = containerOf(sts);
      expect(container.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/credentials$/);
      expect(container.env).toEqual({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: container.endpoint,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: container.authorizationToken,
      });
      expect(container.sessionArn).toBe(TASK_ARN);
    });
  });

  test.each([
    [
      { roleArn: demoRole('instance-role') },
      /config\.container\.roleArn .* none of ecs-tasks\.amazonaws\.com, pods\.eks/,
    ],
    [{ roleArn: demoRole('absent') }, /config\.container\.roleArn names .*role\/absent, which is not in config\.roles/],
    [{ roleArn: demoRole('task-role'), sessionName: 'x' }, /config\.container\.sessionName must match/],
  ])('checkConfig refuses container %j', async (container, message) => {
    await expect(startStsLocal({ config: { ...demoConfig, container } })).rejects.toThrow(message);
  });

  test('off by default; started without config.container it fails naming the field', async () => {
    await withServer({}, (sts) => Promise.resolve(expect(sts.container).toBeUndefined()));
    const { container: _container, ...noContainer } = demoConfig;
    await expect(startStsLocal({ config: noContainer, container: true })).rejects.toThrow(/config\.container/);
  });
});
