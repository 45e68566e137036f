import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startStsLocal, type FaultRule, type StsLocal } from '../src';
import { client, demoRole, refusal, withServer } from './support/stsKit';

const assume = (session = 'faulty') =>
  new AssumeRoleCommand({ RoleArn: demoRole('demo-role'), RoleSessionName: session });

const withFaults = <T>(faults: FaultRule[], body: (server: StsLocal) => Promise<T>, faultSeed?: number): Promise<T> =>
  withServer({ faults, ...(faultSeed === undefined ? {} : { faultSeed }) }, body);

const outcomes = (server: StsLocal) => server.calls.map((c) => `${c.operation}:${c.errorCode ?? c.outcome}`);

describe('injected faults look to the SDK like the real thing', () => {
  test.each<[FaultRule['kind'], string, number, string, RegExp]>([
    ['throttle', 'Throttling', 400, 'Sender', /^Rate exceeded$/],
    ['server-error', 'InternalFailure', 500, 'Receiver', /unknown error/],
    ['unavailable', 'ServiceUnavailable', 503, 'Receiver', /Service is unavailable/],
  ])('%s answers %s (%d, %s)', async (kind, code, status, type, message) => {
    await withFaults([{ kind, operation: 'AssumeRole' }], async (server) => {
      const got = await refusal(client(server).send(assume()));
      expect(got).toEqual({ code, status, type, message: expect.stringMatching(message) as unknown, attempts: 1 });
      expect(server.calls[0]).toMatchObject({
        operation: 'AssumeRole',
        outcome: 'error',
        status,
        errorCode: code,
        faults: [kind],
      });
    });
  });

  test.each<FaultRule['kind']>(['throttle', 'server-error', 'unavailable', 'drop'])(
    'the SDK retries %s on its own: two faults, then success on attempt 3',
    async (kind) => {
      await withFaults([{ kind, operation: 'AssumeRole', count: 2 }], async (server) => {
        const out = await client(server, undefined, { maxAttempts: 3 }).send(assume());
        expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
        expect(out.$metadata.attempts).toBe(3);
        const failed = {
          throttle: 'Throttling',
          'server-error': 'InternalFailure',
          unavailable: 'ServiceUnavailable',
          drop: 'dropped',
        }[kind as string];
        expect(outcomes(server)).toEqual([`AssumeRole:${failed}`, `AssumeRole:${failed}`, 'AssumeRole:success']);
      });
    },
  );

  test('a dropped connection reaches a client without retries as a network error, logged as dropped', async () => {
    await withFaults([{ kind: 'drop' }], async (server) => {
      const error = await client(server)
        .send(new GetCallerIdentityCommand({}))
        .then(
          () => undefined,
          (e: unknown) => e as NodeJS.ErrnoException,
        );
      expect(error).toBeInstanceOf(Error);
      expect(`${error?.code} ${error?.message}`).toMatch(/ECONNRESET|socket hang up/);
      expect(server.calls).toEqual([
        expect.objectContaining({ operation: 'GetCallerIdentity', outcome: 'dropped', status: 0, faults: ['drop'] }),
      ]);
    });
  });

  test('a rule for one operation leaves the others alone', async () => {
    await withFaults([{ kind: 'throttle', operation: 'AssumeRole', count: 5 }], async (server) => {
      const identity = await client(server).send(new GetCallerIdentityCommand({}));
      expect(identity.$metadata.attempts).toBe(1);
      expect(server.calls[0]?.faults).toEqual([]);
    });
  });

  test('`after` lets that many requests through first, then `count` fire, then the rule retires', async () => {
    await withFaults([{ kind: 'server-error', after: 2, count: 2 }], async (server) => {
      const sts = client(server);
      for (let i = 0; i < 6; i++) await sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
      expect(outcomes(server)).toEqual([
        'GetCallerIdentity:success',
        'GetCallerIdentity:success',
        'GetCallerIdentity:InternalFailure',
        'GetCallerIdentity:InternalFailure',
        'GetCallerIdentity:success',
        'GetCallerIdentity:success',
      ]);
    });
  });

  test('without count or rate a rule fires once', async () => {
    await withFaults([{ kind: 'unavailable' }], async (server) => {
      const sts = client(server);
      await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ServiceUnavailable' });
      await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
        Account: expect.any(String) as unknown,
      });
    });
  });

  test('a seeded rate replays exactly: same seed, same faulty requests; another seed, another pattern', async () => {
    const run = (seed: number) =>
      withFaults(
        [{ kind: 'throttle', rate: 0.5 }],
        async (server) => {
          const sts = client(server);
          for (let i = 0; i < 32; i++) await sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
          return server.calls.map((c) => (c.faults.length > 0 ? 'T' : '.')).join('');
        },
        seed,
      );
    const first = await run(42);
    expect(await run(42)).toBe(first);
    expect(first).toMatch(/T/);
    expect(first).toMatch(/\./);
    expect(await run(7)).not.toBe(first);
  });

  test('faults added and cleared at run time take effect on the next request', async () => {
    await withFaults([], async (server) => {
      const sts = client(server);
      server.injectFault({ kind: 'throttle', count: 10 });
      await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
      server.clearFaults();
      await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ $metadata: { attempts: 1 } });
    });
  });

  test.each<[Partial<FaultRule>, RegExp]>([
    [{ kind: 'explode' as FaultRule['kind'] }, /kind must be one of/],
    [{ kind: 'throttle', rate: 1.5 }, /rate must be between 0 and 1/],
    [{ kind: 'throttle', count: -1 }, /count must be >= 0/],
    [{ kind: 'throttle', after: Number.NaN }, /after must be >= 0/],
    [{ kind: 'latency', latencyMs: -5 }, /latencyMs must be >= 0/],
  ])('a bad rule %o is refused up front, naming the option', async (rule, message) => {
    await expect(startStsLocal({ faults: [rule as FaultRule] })).rejects.toThrow(message);
    await withFaults([], async (server) => {
      expect(() => server.injectFault(rule as FaultRule)).toThrow(message);
    });
  });
});

describe('latency', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('holds the answer for latencyMs of (fake) time, then serves the request normally', async () => {
    await withFaults([{ kind: 'latency', latencyMs: 5_000, operation: 'GetCallerIdentity' }], async (server) => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      const startedAt = Date.now();
      let answeredAt: number | undefined;
      const pending = client(server)
        .send(new GetCallerIdentityCommand({}))
        .then((out) => {
          answeredAt = Date.now();
          return out;
        });
      // Fake time moves in steps; between steps real I/O carries the request and the answer.
      while (answeredAt === undefined) {
        await jest.advanceTimersByTimeAsync(250);
        await new Promise((r) => setImmediate(r));
      }
      const out = await pending;
      expect(out.Arn).toMatch(/:user\/alice$/);
      expect(answeredAt - startedAt).toBeGreaterThanOrEqual(5_000);
      expect(server.calls[0]).toMatchObject({ outcome: 'success', faults: ['latency'] });
    });
  });

  test('latency stacks with a terminal fault: the delayed answer is the fault', async () => {
    await withFaults([{ kind: 'latency', latencyMs: 0 }, { kind: 'throttle' }], async (server) => {
      const got = await refusal(client(server).send(new GetCallerIdentityCommand({})));
      expect(got.code).toBe('Throttling');
      expect(server.calls[0]?.faults).toEqual(['latency', 'throttle']);
    });
  });
});
