import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { startStsLocal, type StsLocal } from '../src';
import { client, demoRole, keysFrom, refusal, withServer } from './support/stsKit';

const EXPIRED = {
  code: 'ExpiredToken',
  status: 403,
  type: 'Sender',
  message: 'The security token included in the request is expired',
};

/** AssumeRole as alice; the SDK may retry once to correct its clock against the server's Date header. */
const assumeDemoRole = (server: StsLocal, durationSeconds: number) =>
  client(server, undefined, { maxAttempts: 2 }).send(
    new AssumeRoleCommand({
      RoleArn: demoRole('demo-role'),
      RoleSessionName: 'clock',
      DurationSeconds: durationSeconds,
    }),
  );

describe('issued credentials expire on the server clock', () => {
  test('advanceTime past the expiration turns the session into ExpiredToken; just before, it still works', async () => {
    await withServer({}, async (server) => {
      const issued = await assumeDemoRole(server, 900);
      const session = keysFrom(issued.Credentials);
      const expiration = issued.Credentials?.Expiration?.getTime() ?? Number.NaN;
      server.advanceTime(expiration - server.now() - 1_000);
      // The SDK signs with its own clock; maxAttempts 2 lets it adopt the server's after one skew refusal.
      const before = await client(server, session, { maxAttempts: 2 }).send(new GetCallerIdentityCommand({}));
      expect(before.Arn).toMatch(/:assumed-role\/demo-role\/clock$/);
      server.advanceTime(2_000);
      const after = await refusal(client(server, session, { maxAttempts: 2 }).send(new GetCallerIdentityCommand({})));
      expect(after).toMatchObject(EXPIRED);
      expect(server.calls.at(-1)).toMatchObject({ operation: 'GetCallerIdentity', errorCode: 'ExpiredToken' });
    });
  });

  test('an injected clock dates every issued credential, and moving it expires them', async () => {
    let now = Date.UTC(2031, 5, 1, 12, 0, 0);
    await withServer({ clock: { now: () => now } }, async (server) => {
      const issued = await assumeDemoRole(server, 3600);
      expect(issued.Credentials?.Expiration?.toISOString()).toBe('2031-06-01T13:00:00.000Z');
      const session = keysFrom(issued.Credentials);
      now += 3600_000;
      expect(
        await refusal(client(server, session, { maxAttempts: 2 }).send(new GetCallerIdentityCommand({}))),
      ).toMatchObject(EXPIRED);
    });
  });

  test('with jest fake timers the SDK and the default server clock move together: no skew, one attempt', async () => {
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'queueMicrotask',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
      ],
    });
    try {
      await withServer({}, async (server) => {
        const issued = await client(server).send(
          new AssumeRoleCommand({
            RoleArn: demoRole('demo-role'),
            RoleSessionName: 'fake-timers',
            DurationSeconds: 900,
          }),
        );
        const session = keysFrom(issued.Credentials);
        jest.setSystemTime(Date.now() + 901_000);
        expect(await refusal(client(server, session).send(new GetCallerIdentityCommand({})))).toEqual({
          ...EXPIRED,
          attempts: 1,
        });
      });
    } finally {
      jest.useRealTimers();
    }
  });

  test('fake timers installed after the server started still move its clock', async () => {
    await withServer({}, async (server) => {
      const issued = await client(server).send(
        new AssumeRoleCommand({ RoleArn: demoRole('demo-role'), RoleSessionName: 'late-fake', DurationSeconds: 900 }),
      );
      const session = keysFrom(issued.Credentials);
      jest.useFakeTimers({
        doNotFake: [
          'nextTick',
          'setImmediate',
          'queueMicrotask',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
        ],
      });
      try {
        jest.setSystemTime(Date.now() + 901_000);
        expect(Math.abs(server.now() - Date.now())).toBeLessThan(1_000);
        expect(await refusal(client(server, session).send(new GetCallerIdentityCommand({})))).toEqual({
          ...EXPIRED,
          attempts: 1,
        });
      } finally {
        jest.useRealTimers();
      }
    });
  });

  test('advanceTime refuses a non-finite amount', async () => {
    await withServer({}, async (server) => {
      expect(() => server.advanceTime(Number.NaN)).toThrow(TypeError);
      expect(() => server.advanceTime(Number.POSITIVE_INFINITY)).toThrow(/finite/);
    });
  });
});

describe('timeScale shortens issued lifetimes for demos', () => {
  const start = Date.UTC(2031, 0, 1, 0, 0, 0);

  test('0.01 makes a one-hour AssumeRole session last 36 s and a 12-hour GetSessionToken 432 s', async () => {
    let now = start;
    await withServer({ clock: { now: () => now }, timeScale: 0.01 }, async (server) => {
      const role = await assumeDemoRole(server, 3600);
      expect(role.Credentials?.Expiration?.getTime()).toBe(start + 36_000);
      const user = await client(server, undefined, { maxAttempts: 2 }).send(new GetSessionTokenCommand({}));
      expect(user.Credentials?.Expiration?.getTime()).toBe(start + 432_000);
      now += 36_000;
      expect(
        await refusal(
          client(server, keysFrom(role.Credentials), { maxAttempts: 2 }).send(new GetCallerIdentityCommand({})),
        ),
      ).toMatchObject(EXPIRED);
    });
  });

  test('the default timeScale of 1 issues the lifetime asked for', async () => {
    await withServer({ clock: { now: () => start } }, async (server) => {
      const role = await assumeDemoRole(server, 3600);
      expect(role.Credentials?.Expiration?.getTime()).toBe(start + 3600_000);
    });
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'timeScale %p is refused before anything listens',
    async (timeScale) => {
      await expect(startStsLocal({ timeScale })).rejects.toThrow('timeScale must be a positive number');
    },
  );
});
