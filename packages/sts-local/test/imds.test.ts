import { inspect } from 'node:util';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromInstanceMetadata } from '@smithy/credential-provider-imds';
import {
  DEMO_ACCOUNT,
  DEMO_INSTANCE_ID,
  demoConfig,
  startStsLocal,
  type StartStsLocalOptions,
  type StsLocal,
} from '../src';
import { fakeElapsed } from './support/fakeTime';
import { client, demoRole, keysFrom, raw, refusal, withServer, type Keys } from './support/stsKit';

const INSTANCE_ARN = `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/instance-role/${DEMO_INSTANCE_ID}`;
const TTL = 'x-aws-ec2-metadata-token-ttl-seconds';
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';
const ENV_NAMES = ['AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'] as const;

/** The IMDS endpoint of a server started with it. */
const imdsOf = (sts: StsLocal) => {
  if (sts.imds === undefined) throw new Error('started without imds');
  return sts.imds;
};

/** A server with IMDS, and the environment the SDK reads pointed at it (no shared config files of this machine). */
function withImds<T>(options: StartStsLocalOptions, body: (sts: StsLocal) => Promise<T>): Promise<T> {
  return withServer({ imds: true, ...options }, async (sts) => {
    const saved = ENV_NAMES.map((name) => process.env[name]);
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imdsOf(sts).env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    process.env.AWS_CONFIG_FILE = '/nonexistent/credchain-imds-test/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credchain-imds-test/credentials';
    try {
      return await body(sts);
    } finally {
      ENV_NAMES.forEach((name, i) => {
        const value = saved[i];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      });
    }
  });
}

const putToken = (sts: StsLocal, headers: Record<string, string> = { [TTL]: '21600' }) =>
  raw(imdsOf(sts).endpoint, { method: 'PUT', path: '/latest/api/token', headers });

const get = (sts: StsLocal, path: string, token?: string) =>
  raw(imdsOf(sts).endpoint, {
    method: 'GET',
    path,
    headers: token === undefined ? {} : { 'x-aws-ec2-metadata-token': token },
  });

/** The role credentials document, fetched the IMDSv2 way. */
async function credentialsDocument(sts: StsLocal): Promise<Record<string, string>> {
  const token = (await putToken(sts)).body;
  const answer = await get(sts, `${CREDENTIALS_PATH}instance-role`, token);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as Record<string, string>;
}

const keysOf = (doc: Record<string, string>): Keys =>
  keysFrom({
    AccessKeyId: doc.AccessKeyId,
    SecretAccessKey: doc.SecretAccessKey,
    SessionToken: doc.Token,
    Expiration: undefined,
  });

describe('IMDS through the SDK', () => {
  test("fromInstanceMetadata gets the instance role's credentials, which sign as the instance's session", async () => {
    await withImds({}, async (sts) => {
      const credentials = await fromInstanceMetadata()();
      expect(credentials.accessKeyId).toMatch(/^ASIA/);
      const identity = await client(sts, credentials).send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toBe(INSTANCE_ARN);
      expect(identity.UserId).toMatch(new RegExp(`^AROA[A-Z2-7]{16}:${DEMO_INSTANCE_ID}$`));
      expect(sts.calls.map((c) => `${c.endpoint} ${c.operation} ${c.status}`)).toEqual([
        'imds imds:token 200',
        'imds imds:role-name 200',
        'imds imds:credentials 200',
        'regional GetCallerIdentity 200',
      ]);
      expect(sts.calls[0]?.params).toEqual({ Method: 'PUT', Path: '/latest/api/token', TtlSeconds: '21600' });
      expect(sts.calls[2]).toMatchObject({ callerArn: INSTANCE_ARN, accessKeyId: credentials.accessKeyId });
      expect(credentials.expiration?.getTime()).toBe(
        sts.calls[2] && Math.floor((sts.calls[2].time + 6 * 3600_000) / 1000) * 1000,
      );
    });
  });

  test('AssumeRole from instance credentials is role chaining: more than one hour is refused', async () => {
    await withImds({}, async (sts) => {
      const instance = client(sts, await fromInstanceMetadata()());
      const assume = (DurationSeconds: number) =>
        instance.send(
          new AssumeRoleCommand({ RoleArn: demoRole('demo-role'), RoleSessionName: 'from-ec2', DurationSeconds }),
        );
      expect(await refusal(assume(7200))).toMatchObject({
        code: 'ValidationError',
        message: expect.stringContaining('role chaining') as unknown,
      });
      const chained = await assume(3600);
      expect(chained.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/from-ec2`);
    });
  });

  test('after the server clock passes a token TTL the SDK fetches a new token and still gets credentials', async () => {
    await withImds({}, async (sts) => {
      const provider = fromInstanceMetadata();
      const first = await provider();
      sts.advanceTime(6 * 3600_000 + 1000); // the SDK's 21600 s tokens are all expired now
      const second = await provider();
      expect(second.accessKeyId).toMatch(/^ASIA/);
      expect(second.accessKeyId).not.toBe(first.accessKeyId); // the first credentials expired too: rotated
      expect(sts.calls.filter((c) => c.operation === 'imds:token')).toHaveLength(2);
    });
  });
});

describe('IMDSv2 rules', () => {
  test('a GET without a token (IMDSv1) is refused with 401 unless allowV1', async () => {
    await withImds({}, async (sts) => {
      const refused = await get(sts, CREDENTIALS_PATH);
      expect(refused.status).toBe(401);
      expect(refused.body).toContain('401 - Unauthorized');
      expect(sts.calls[0]).toMatchObject({ operation: 'imds:role-name', outcome: 'error', errorCode: 'MissingToken' });
    });
    await withImds({ imds: { allowV1: true } }, async (sts) => {
      expect(imdsOf(sts).allowV1).toBe(true);
      expect(await get(sts, CREDENTIALS_PATH)).toMatchObject({ status: 200, body: 'instance-role' });
      const v1 = await fromInstanceMetadata()(); // with a token still (the SDK prefers IMDSv2)
      expect(v1.accessKeyId).toMatch(/^ASIA/);
    });
  });

  test.each([
    ['missing', 400, undefined],
    ['0', 400, '0'],
    ['21601', 400, '21601'],
    ['not a number', 400, 'abc'],
    ['negative', 400, '-5'],
    ['fractional', 400, '1.5'],
    ['1 (the minimum)', 200, '1'],
    ['21600 (the maximum)', 200, '21600'],
  ])('token TTL header %s answers %d', async (_name, status, ttl) => {
    await withImds({}, async (sts) => {
      const answer = await putToken(sts, ttl === undefined ? {} : { [TTL]: ttl });
      expect(answer.status).toBe(status);
      if (status === 200) {
        expect(answer.headers[TTL]).toBe(ttl);
        expect(answer.body).toMatch(/^AQAEA[\w-]+==$/);
      } else expect(sts.calls[0]?.errorCode).toBe('BadRequest');
    });
  });

  test('a token PUT carrying X-Forwarded-For is refused (403); a GET of the token path is 405', async () => {
    await withImds({}, async (sts) => {
      expect((await putToken(sts, { [TTL]: '60', 'X-Forwarded-For': '203.0.113.9' })).status).toBe(403);
      const wrongMethod = await raw(imdsOf(sts).endpoint, { method: 'GET', path: '/latest/api/token' });
      expect(wrongMethod).toMatchObject({ status: 405, headers: { allow: 'PUT' } });
    });
  });

  test("tokens expire on sts-local's clock; unknown tokens are refused", async () => {
    await withImds({}, async (sts) => {
      const token = (await putToken(sts, { [TTL]: '60' })).body;
      expect((await get(sts, '/latest/meta-data/instance-id', token)).status).toBe(200);
      sts.advanceTime(59_000);
      expect((await get(sts, '/latest/meta-data/instance-id', token)).status).toBe(200);
      sts.advanceTime(1_000);
      expect((await get(sts, '/latest/meta-data/instance-id', token)).status).toBe(401);
      expect((await get(sts, '/latest/meta-data/instance-id', `${token}x`)).status).toBe(401);
      expect(sts.calls.slice(3).map((c) => c.errorCode)).toEqual(['ExpiredToken', 'InvalidToken']);
    });
  });
});

describe('IMDS metadata paths', () => {
  test('instance-id, placement, iam/info and the identity document describe the configured instance', async () => {
    await withImds({}, async (sts) => {
      const token = (await putToken(sts)).body;
      const body = async (path: string) => {
        const answer = await get(sts, path, token);
        expect(answer.status).toBe(200);
        return answer.body;
      };
      expect(await body('/latest/meta-data/instance-id')).toBe(DEMO_INSTANCE_ID);
      expect(await body('/latest/meta-data/placement/region')).toBe('us-east-1');
      expect(await body('/latest/meta-data/placement/availability-zone/')).toBe('us-east-1a');
      expect(await body('/latest/meta-data/iam/security-credentials')).toBe('instance-role');
      expect(JSON.parse(await body('/latest/meta-data/iam/info'))).toEqual({
        Code: 'Success',
        LastUpdated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
        InstanceProfileArn: `arn:aws:iam::${DEMO_ACCOUNT}:instance-profile/instance-role`,
        InstanceProfileId: expect.stringMatching(/^AIPA[A-Z2-7]{16}$/) as unknown,
      });
      expect(JSON.parse(await body('/latest/dynamic/instance-identity/document'))).toMatchObject({
        accountId: DEMO_ACCOUNT,
        instanceId: DEMO_INSTANCE_ID,
        region: 'us-east-1',
      });
    });
  });

  test('the credentials document has the fields real IMDS sends', async () => {
    await withImds({}, async (sts) => {
      const doc = await credentialsDocument(sts);
      expect(Object.keys(doc)).toEqual([
        'Code',
        'LastUpdated',
        'Type',
        'AccessKeyId',
        'SecretAccessKey',
        'Token',
        'Expiration',
      ]);
      expect(doc).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC' });
      expect(Date.parse(doc.Expiration ?? '') - Date.parse(doc.LastUpdated ?? '')).toBeGreaterThan(6 * 3600_000 - 1000);
    });
  });

  test.each([
    '/latest/meta-data/iam/security-credentials/other-role',
    '/latest/meta-data/nothing-here',
    '/latest/meta-data/constructor',
    '/latest/meta-data/__proto__',
    '/',
  ])('%s is 404', async (path) => {
    await withImds({}, async (sts) => {
      const answer = await get(sts, path, (await putToken(sts)).body);
      expect(answer.status).toBe(404);
      expect(answer.body).toContain('404 - Not Found');
    });
  });

  test('methods other than GET on metadata paths are 405', async () => {
    await withImds({}, async (sts) => {
      const token = (await putToken(sts)).body;
      const answer = await raw(imdsOf(sts).endpoint, {
        method: 'POST',
        path: '/latest/meta-data/instance-id',
        headers: { 'x-aws-ec2-metadata-token': token },
      });
      expect(answer).toMatchObject({ status: 405, headers: { allow: 'GET' } });
    });
  });
});

describe('IMDS credential rotation', () => {
  test('the same credentials are served until 15 minutes before they expire, then new ones', async () => {
    await withImds({}, async (sts) => {
      const first = await credentialsDocument(sts);
      const expiresAt = Date.parse(first.Expiration ?? '');
      sts.advanceTime(expiresAt - sts.now() - 15 * 60_000 - 1000); // 15 min 1 s left
      expect((await credentialsDocument(sts)).AccessKeyId).toBe(first.AccessKeyId);
      sts.advanceTime(2000); // 14 min 59 s left
      const second = await credentialsDocument(sts);
      expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
      expect(Date.parse(second.LastUpdated ?? '')).toBeGreaterThan(Date.parse(first.LastUpdated ?? ''));
      // The old ones are still good until they expire, as on EC2.
      const old = await client(sts, keysOf(first), { maxAttempts: 2 }).send(new GetCallerIdentityCommand({}));
      expect(old.Arn).toBe(INSTANCE_ARN);
    });
  });

  test('lifetime and margin follow timeScale: 0.01 gives 216 s credentials renewed 9 s before expiry', async () => {
    await withImds({ timeScale: 0.01 }, async (sts) => {
      const first = await credentialsDocument(sts);
      const lifetime = Date.parse(first.Expiration ?? '') - sts.now();
      expect(lifetime).toBeGreaterThan(215_000);
      expect(lifetime).toBeLessThanOrEqual(216_000);
      sts.advanceTime(lifetime - 10_000);
      expect((await credentialsDocument(sts)).AccessKeyId).toBe(first.AccessKeyId);
      sts.advanceTime(2_000);
      expect((await credentialsDocument(sts)).AccessKeyId).not.toBe(first.AccessKeyId);
    });
  });
});

describe('IMDS faults', () => {
  test('garbage: the SDK gets an HTML page where it expects JSON, and fails', async () => {
    await withImds({ faults: [{ kind: 'garbage', operation: 'imds:credentials' }] }, async (sts) => {
      await expect(fromInstanceMetadata()()).rejects.toThrow(/JSON|Unexpected token/);
      expect(sts.calls.at(-1)).toMatchObject({
        operation: 'imds:credentials',
        status: 200,
        outcome: 'error',
        faults: ['garbage'],
      });
      expect(sts.calls.at(-1)?.accessKeyId).toBeUndefined();
    });
  });

  test.each([
    ['unavailable', 503],
    ['server-error', 500],
    ['throttle', 429],
  ] as const)('an outage by %s (%d) on imds:* fails the SDK until the faults are cleared', async (kind, status) => {
    await withImds({}, async (sts) => {
      sts.injectFault({ kind, operation: 'imds:*', count: Number.POSITIVE_INFINITY });
      const error = (await fromInstanceMetadata()().catch((e: unknown) => e)) as { statusCode?: number };
      expect(error).toBeInstanceOf(Error);
      expect(error.statusCode).toBe(status);
      sts.clearFaults();
      expect((await fromInstanceMetadata()()).accessKeyId).toMatch(/^ASIA/);
    });
  });

  test('drop: the connection closes without an answer', async () => {
    await withImds({ faults: [{ kind: 'drop', operation: 'imds:role-name' }] }, async (sts) => {
      await expect(fromInstanceMetadata()()).rejects.toThrow(/instance metadata service/);
      expect(sts.calls.at(-1)).toMatchObject({ operation: 'imds:role-name', status: 0, outcome: 'dropped' });
    });
  });

  test('rules written for STS (operation *) never fire on IMDS', async () => {
    await withImds({ faults: [{ kind: 'unavailable' }] }, async (sts) => {
      const credentials = await fromInstanceMetadata()();
      expect(await refusal(client(sts, credentials).send(new GetCallerIdentityCommand({})))).toMatchObject({
        code: 'ServiceUnavailable',
      });
    });
  });

  describe('latency', () => {
    afterEach(() => jest.useRealTimers());

    test('300 ms of (fake) latency on each IMDS request delays the SDK 900 ms over its three requests', async () => {
      await withImds({ faults: [{ kind: 'latency', latencyMs: 300, operation: 'imds:*', count: 3 }] }, async (sts) => {
        const { value, elapsedMs } = await fakeElapsed(() => fromInstanceMetadata({ timeout: 60_000 })());
        expect(value.accessKeyId).toMatch(/^ASIA/);
        expect(elapsedMs).toBeGreaterThanOrEqual(900);
        expect(sts.calls.map((c) => c.faults)).toEqual([['latency'], ['latency'], ['latency']]);
      });
    });
  });
});

describe('IMDS configuration and secrets', () => {
  test('no secret (keys, session tokens, IMDS tokens) in util.inspect, JSON.stringify or the call log', async () => {
    await withImds({}, async (sts) => {
      const token = (await putToken(sts)).body;
      const doc = await credentialsDocument(sts);
      await get(sts, CREDENTIALS_PATH, token);
      const shown = [
        inspect(sts, { depth: 10 }),
        JSON.stringify(sts),
        inspect(sts.calls, { depth: 10 }),
        JSON.stringify(sts.calls),
      ];
      for (const text of shown) {
        for (const secret of [token, doc.SecretAccessKey ?? '?', doc.Token ?? '?']) expect(text).not.toContain(secret);
      }
      expect(JSON.parse(JSON.stringify(sts))).toMatchObject({ imdsEndpoint: imdsOf(sts).endpoint });
      expect(inspect(imdsOf(sts))).toContain(imdsOf(sts).endpoint);
    });
  });

  test('the endpoint is the base URL; the environment adds the trailing / the AWS CLI needs', async () => {
    await withImds({}, async (sts) => {
      const imds = imdsOf(sts);
      expect(imds.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(imds.env).toEqual({ AWS_EC2_METADATA_SERVICE_ENDPOINT: `${imds.endpoint}/` });
      expect(imds).toMatchObject({
        instanceId: DEMO_INSTANCE_ID,
        roleArn: demoRole('instance-role'),
        sessionArn: INSTANCE_ARN,
      });
      expect(sts.endpoint).not.toBe(imds.endpoint);
    });
  });

  test('off by default; started without config.instance it fails naming the field', async () => {
    await withServer({}, async (sts) => {
      expect(sts.imds).toBeUndefined();
      expect(JSON.parse(JSON.stringify(sts))).not.toHaveProperty('imdsEndpoint');
    });
    const { instance: _instance, ...noInstance } = demoConfig;
    await expect(startStsLocal({ config: noInstance, imds: true })).rejects.toThrow(/config\.instance/);
  });

  test.each([
    [{ roleArn: demoRole('nope') }, /config\.instance\.roleArn names .*role\/nope, which is not in config\.roles/],
    [
      { roleArn: demoRole('task-role') },
      /config\.instance\.roleArn .* trust\.services has none of ec2\.amazonaws\.com/,
    ],
    [{ roleArn: demoRole('instance-role'), instanceId: 'i-XYZ' }, /config\.instance\.instanceId must be/],
    [{ roleArn: demoRole('instance-role'), availabilityZone: 'mars' }, /config\.instance\.availabilityZone must be/],
  ])('checkConfig refuses instance %j', async (instance, message) => {
    await expect(startStsLocal({ config: { ...demoConfig, instance } })).rejects.toThrow(message);
  });
});
