import { STSClient } from '@aws-sdk/client-sts';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import { InvalidParameterError } from '@credchain/core';
import { fromAssumeRoot } from '@credchain/assume-root';

import { NotSentError, causeOf, expectNoSecret, parameterOf, recordingHandler } from '@credchain/testkit';

const AUDIT = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';
const MEMBER = '222222222222';
const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const params = { TargetPrincipal: MEMBER, TaskPolicyArn: { arn: AUDIT } };

// AssumeRoot's own checks: its duration range and the regional endpoint it needs. What every provider
// checks at creation is in the contract suite, packages/credchain/test/contract.
describe('fromAssumeRoot at construction', () => {
  const savedRegion = process.env.AWS_REGION;
  afterEach(() => {
    if (savedRegion === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = savedRegion;
  });

  test('names TargetPrincipal when it is missing', () => {
    const region = { region: 'us-east-1' };
    expect(
      parameterOf(() => fromAssumeRoot({ params: { TaskPolicyArn: { arn: AUDIT } } as never, clientConfig: region })),
    ).toBe('TargetPrincipal');
  });

  test('names TaskPolicyArn when it is missing', () => {
    const region = { region: 'us-east-1' };
    expect(
      parameterOf(() => fromAssumeRoot({ params: { TargetPrincipal: MEMBER } as never, clientConfig: region })),
    ).toBe('TaskPolicyArn');
  });

  test.each([901, -1, 1.5, 3600])('refuses DurationSeconds %p (STS allows 0–900)', (DurationSeconds) => {
    expect(
      parameterOf(() =>
        fromAssumeRoot({ params: { ...params, DurationSeconds }, clientConfig: { region: 'us-east-1' } }),
      ),
    ).toBe('DurationSeconds');
  });

  test('refuses a duration no longer than the mandatory window, since such credentials could never be served', () => {
    const build = (DurationSeconds: number, mandatoryWindowMs?: number) =>
      fromAssumeRoot({
        params: { ...params, DurationSeconds },
        clientConfig: { region: 'us-east-1' },
        ...(mandatoryWindowMs === undefined ? {} : { refresh: { mandatoryWindowMs } }),
      });
    expect(parameterOf(() => build(60))).toBe('DurationSeconds');
    expect(parameterOf(() => build(0))).toBe('DurationSeconds');
    expect(() => build(61).close()).not.toThrow();
    expect(() => build(30, 10_000).close()).not.toThrow();
  });

  test('refuses the global endpoint given as clientConfig.endpoint', () => {
    for (const endpoint of [
      'https://sts.amazonaws.com',
      'https://STS.amazonaws.com./',
      { protocol: 'https:', hostname: 'sts.amazonaws.com', path: '/' },
    ]) {
      expect(parameterOf(() => fromAssumeRoot({ params, clientConfig: { region: 'us-east-1', endpoint } }))).toBe(
        'clientConfig.endpoint',
      );
    }
  });

  test('refuses the aws-global region and useGlobalEndpoint, both of which select sts.amazonaws.com', () => {
    expect(parameterOf(() => fromAssumeRoot({ params, clientConfig: { region: 'aws-global' } }))).toBe(
      'clientConfig.region',
    );
    expect(
      parameterOf(() => fromAssumeRoot({ params, clientConfig: { region: 'us-east-1', useGlobalEndpoint: true } })),
    ).toBe('clientConfig.useGlobalEndpoint');
  });

  test('without a region anywhere, refuses the first call, saying AssumeRoot needs a regional endpoint', async () => {
    delete process.env.AWS_REGION;
    const handler = recordingHandler();
    // A calling client may still bring a region (inherited): construction cannot refuse yet.
    const provider = fromAssumeRoot({ params, sourceCredentials: KEYS, clientConfig: { requestHandler: handler } });
    const caught = await provider().catch((error: unknown) => error);
    provider.close();
    expect(caught).toBeInstanceOf(InvalidParameterError);
    expect((caught as InvalidParameterError).parameter).toBe('clientConfig.region');
    expect((caught as InvalidParameterError).final).toBe(true);
    expect((caught as Error).message).toContain(
      'AssumeRoot is served only by regional endpoints, e.g. sts.us-east-1.amazonaws.com',
    );
    expect(handler.requests).toHaveLength(0);
  });

  test('takes the region from AWS_REGION like the SDK', () => {
    process.env.AWS_REGION = 'eu-west-1';
    expect(() => fromAssumeRoot({ params, sourceCredentials: KEYS }).close()).not.toThrow();
  });

  test('accepts a region provider (the SDK takes one) and checks the endpoint it selects at fetch', async () => {
    delete process.env.AWS_REGION;
    expect(await hostsOf({ region: async () => 'eu-west-1' })).toEqual(['sts.eu-west-1.amazonaws.com']);

    const handler = recordingHandler();
    const global = fromAssumeRoot({
      params,
      sourceCredentials: KEYS,
      clientConfig: { region: async () => 'aws-global', requestHandler: handler },
    });
    const error = await global().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).parameter).toBe('clientConfig.endpoint');
    expect(handler.requests).toHaveLength(0);
    global.close();
  });
});

/** The hosts one fetch sent AssumeRoot to (recorded, not sent). */
async function hostsOf(clientConfig: STSClientConfig): Promise<string[]> {
  const handler = recordingHandler();
  const provider = fromAssumeRoot({
    params,
    sourceCredentials: KEYS,
    clientConfig: { ...clientConfig, requestHandler: handler, maxAttempts: 1 },
  });
  try {
    await expect(provider().catch(causeOf)).resolves.toBeInstanceOf(NotSentError);
    return handler.requests.map((r) => r.hostname);
  } finally {
    provider.close();
  }
}

describe('fromAssumeRoot at fetch, before anything leaves the process', () => {
  test('with a region and no endpoint, the SDK targets the regional endpoint', async () => {
    expect(await hostsOf({ region: 'us-east-1' })).toEqual(['sts.us-east-1.amazonaws.com']);
  });

  test('refuses an endpoint provider that resolves to the global endpoint, without sending', async () => {
    const handler = recordingHandler();
    const provider = fromAssumeRoot({
      params,
      sourceCredentials: KEYS,
      clientConfig: {
        region: 'us-east-1',
        requestHandler: handler,
        endpoint: async () => ({ protocol: 'https:', hostname: 'sts.amazonaws.com', path: '/' }),
      },
    });
    const error = await provider().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as Error).message).toContain('sts.us-east-1.amazonaws.com');
    expect(handler.requests).toHaveLength(0);
    provider.close();
  });

  /** Runs `body` with one environment variable set, restoring it after. */
  async function withEnv(name: string, value: string, body: () => Promise<void>): Promise<void> {
    const saved = process.env[name];
    process.env[name] = value;
    try {
      await body();
    } finally {
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
  }

  test('refuses the global endpoint that AWS_ENDPOINT_URL_STS selects, without sending', () =>
    withEnv('AWS_ENDPOINT_URL_STS', 'https://sts.amazonaws.com', async () => {
      const handler = recordingHandler();
      const provider = fromAssumeRoot({
        params,
        sourceCredentials: KEYS,
        clientConfig: { region: 'us-east-1', requestHandler: handler },
      });
      const error = await provider().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect((error as InvalidParameterError).parameter).toBe('clientConfig.endpoint');
      expect(handler.requests).toHaveLength(0);
      provider.close();
    }));

  test('AWS_STS_REGIONAL_ENDPOINTS=legacy does not move AssumeRoot off the Regional endpoint', () =>
    withEnv('AWS_STS_REGIONAL_ENDPOINTS', 'legacy', async () => {
      expect(await hostsOf({ region: 'us-east-1' })).toEqual(['sts.us-east-1.amazonaws.com']);
    }));

  test('refuses a reused client configured for the global endpoint, without sending', async () => {
    const handler = recordingHandler();
    const client = new STSClient({ region: 'aws-global', credentials: KEYS, requestHandler: handler });
    const provider = fromAssumeRoot({ params, client });
    await expect(provider()).rejects.toBeInstanceOf(InvalidParameterError);
    expect(handler.requests).toHaveLength(0);
    provider.close();
  });

  test('a refused fetch shows no source secret', async () => {
    const handler = recordingHandler();
    const client = new STSClient({ region: 'aws-global', credentials: KEYS, requestHandler: handler });
    const provider = fromAssumeRoot({ params, client });
    const error = await provider().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expectNoSecret(error, [KEYS.secretAccessKey]);
    provider.close();
  });
});
