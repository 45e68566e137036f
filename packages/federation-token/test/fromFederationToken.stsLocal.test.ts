import { inspect } from 'node:util';

import {
  AssumeRoleCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from '@aws-sdk/client-sts';
import { InvalidParameterError, InvalidSourceCredentialsError, StsError } from '@credchain/core';
import type { CredentialEvent, Logger } from '@credchain/core';
import { fromFederationToken } from '@credchain/federation-token';
import type { FromFederationTokenInit } from '@credchain/federation-token';
import { FAKE_TIMERS, rejectionOf } from '@credchain/testkit';
import { globalDateClock, useStsLocal } from '@credchain/testkit/sts-local';

import { BROKER, DEMO_ACCOUNT, READ_ONLY, ROOT_USER, at, callerArnOf, clientFor, federatedArn } from './demoUsers';

// GetFederationToken against sts-local over HTTP with the real @aws-sdk/client-sts, and the
// federated session used as `credentials` by a real SDK client whose signature sts-local verifies.

// Its clock reads the global Date at each call: the fake timers installed below move it too.
const sts = useStsLocal({ clock: globalDateClock });

const opened: Array<{ close(): void }> = [];
afterEach(() => opened.splice(0).forEach((p) => p.close()));

const S3_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});

/** A provider recording its events and log lines, closed after the test. */
function federation(params: FromFederationTokenInit['params'], init: Partial<FromFederationTokenInit> = {}) {
  const events: CredentialEvent[] = [];
  const lines: Array<{ level: string; args: unknown[] }> = [];
  const log =
    (level: string) =>
    (...args: unknown[]) =>
      void lines.push({ level, args });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const credentials = fromFederationToken({
    params,
    sourceCredentials: BROKER,
    clientConfig: at(sts()),
    logger,
    onEvent: (e) => events.push(e),
    ...init,
  });
  opened.push(credentials);
  return { credentials, events, lines };
}

const callsOf = (operation: string) => sts().calls.filter((c) => c.operation === operation);

async function sessionOf(operation: GetSessionTokenCommand | GetFederationTokenCommand) {
  const client = clientFor(sts(), BROKER);
  const out = await client.send(operation as GetSessionTokenCommand);
  client.destroy();
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

describe('fromFederationToken against sts-local', () => {
  test('an IAM user broker gets a federated session through a real STSClient', async () => {
    const { credentials } = federation({ Name: 'carol', PolicyArns: READ_ONLY, DurationSeconds: 3600 });
    const creds = await credentials();
    expect(creds).toMatchObject({ origin: 'federated', accountId: DEMO_ACCOUNT });
    expect(creds.expiration.getTime() - sts().now()).toBeGreaterThan(3_598_000);
    expect(creds.expiration.getTime() - sts().now()).toBeLessThanOrEqual(3_600_000);
    expect(callsOf('GetFederationToken')).toMatchObject([
      {
        outcome: 'success',
        callerArn: `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`,
        params: { Name: 'carol', 'PolicyArns.member.1.arn': READ_ONLY[0]!.arn, DurationSeconds: '3600' },
      },
    ]);
  });

  test('a real SDK client signing with the provider is the federated user to STS', async () => {
    const { credentials } = federation({ Name: 'carol', Policy: S3_READ });
    const client = clientFor(sts(), credentials);
    const identity = await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
    expect(identity).toMatchObject({
      Arn: federatedArn('carol'),
      Account: DEMO_ACCOUNT,
      UserId: `${DEMO_ACCOUNT}:carol`,
    });
    expect(callsOf('GetCallerIdentity').map((c) => c.accessKeyId)).toEqual([(await credentials()).accessKeyId]);
  });

  test("without DurationSeconds, STS's default of 12 hours", async () => {
    const creds = await federation({ Name: 'carol', PolicyArns: READ_ONLY }).credentials();
    expect(Math.round((creds.expiration.getTime() - sts().now()) / 60_000)).toBe(720);
  });

  test('the root user may be the broker, for sessions of up to one hour', async () => {
    const { credentials } = federation(
      { Name: 'root-fed', PolicyArns: READ_ONLY, DurationSeconds: 3600 },
      { sourceCredentials: ROOT_USER },
    );
    expect(await callerArnOf(sts(), credentials)).toBe(federatedArn('root-fed'));
  });
});

describe('fromFederationToken: the limits it checks are the limits STS keeps', () => {
  const padded = (length: number) => {
    const policy = S3_READ.slice(0, -1);
    return `${policy}${' '.repeat(length - policy.length - 1)}}`;
  };

  test.each<[string, FromFederationTokenInit['params']]>([
    ['the shortest Name', { Name: 'ab', Policy: S3_READ }],
    ['the longest Name', { Name: `a.b+c=d,e@f-${'g'.repeat(20)}`, Policy: S3_READ }],
    ['the shortest session', { Name: 'carol', Policy: S3_READ, DurationSeconds: 900 }],
    ['the longest session', { Name: 'carol', Policy: S3_READ, DurationSeconds: 129_600 }],
    ['the longest Policy', { Name: 'carol', Policy: padded(2048) }],
    [
      '10 PolicyArns',
      {
        Name: 'carol',
        PolicyArns: Array.from({ length: 10 }, (_, i) => ({ arn: `arn:aws:iam::${DEMO_ACCOUNT}:policy/p${i}` })),
      },
    ],
  ])('sts-local accepts %s the provider accepts', async (_, params) => {
    expect((params.Name ?? '').length).toBeLessThanOrEqual(32);
    if (params.Policy !== undefined) expect(params.Policy.length).toBeLessThanOrEqual(2048);
    await federation(params).credentials();
    expect(callsOf('GetFederationToken')).toMatchObject([{ outcome: 'success' }]);
  });

  test.each<[string, FromFederationTokenInit['params']]>([
    ['a Name one too long', { Name: 'g'.repeat(33), Policy: S3_READ }],
    ['a session one second too short', { Name: 'carol', Policy: S3_READ, DurationSeconds: 899 }],
    ['a session one second too long', { Name: 'carol', Policy: S3_READ, DurationSeconds: 129_601 }],
    ['a Policy one character too long', { Name: 'carol', Policy: padded(2049) }],
  ])('sts-local refuses %s, which the provider refuses before sending', async (_, params) => {
    const raw = clientFor(sts(), BROKER);
    expect(await rejectionOf(raw.send(new GetFederationTokenCommand(params)))).toMatchObject({
      name: 'ValidationError',
    });
    raw.destroy();
    sts().clearCalls();
    expect(() => federation(params)).toThrow(InvalidParameterError);
    expect(sts().calls).toHaveLength(0);
  });
});

describe('fromFederationToken: temporary credentials and federated sessions', () => {
  test('STS refuses session credentials; the provider refuses them before sending', async () => {
    const session = await sessionOf(new GetSessionTokenCommand({}));
    // What sts-local answers when they are sent anyway…
    const raw = clientFor(sts(), session);
    const answered = await rejectionOf(raw.send(new GetFederationTokenCommand({ Name: 'carol', Policy: S3_READ })));
    raw.destroy();
    expect(answered).toMatchObject({ name: 'AccessDenied' });
    sts().clearCalls();
    // …and what the provider does instead: a typed error, at construction for static credentials…
    expect(() => federation({ Name: 'carol', Policy: S3_READ }, { sourceCredentials: session })).toThrow(
      InvalidSourceCredentialsError,
    );
    // …and at fetch for a source provider, without a request.
    const { credentials } = federation({ Name: 'carol', Policy: S3_READ }, { sourceCredentials: async () => session });
    expect(await rejectionOf(credentials())).toBeInstanceOf(InvalidSourceCredentialsError);
    expect(callsOf('GetFederationToken')).toHaveLength(0);
  });

  test('a federated session may call GetCallerIdentity and no other STS operation', async () => {
    const federated = await sessionOf(new GetFederationTokenCommand({ Name: 'carol', Policy: S3_READ }));
    const client = clientFor(sts(), federated);
    expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(federatedArn('carol'));
    const others = [
      new GetSessionTokenCommand({}),
      new GetFederationTokenCommand({ Name: 'dave', Policy: S3_READ }),
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`, RoleSessionName: 'x1' }),
      new GetAccessKeyInfoCommand({ AccessKeyId: BROKER.accessKeyId }),
    ];
    for (const command of others) {
      expect(await rejectionOf(client.send(command as GetSessionTokenCommand))).toMatchObject({ name: 'AccessDenied' });
    }
    client.destroy();
    expect(sts().calls.map((c) => [c.operation, c.errorCode])).toEqual([
      ['GetFederationToken', undefined],
      ['GetCallerIdentity', undefined],
      ['GetSessionToken', 'AccessDenied'],
      ['GetFederationToken', 'AccessDenied'],
      ['AssumeRole', 'AccessDenied'],
      ['GetAccessKeyInfo', 'AccessDenied'],
    ]);
  });
});

describe('fromFederationToken: STS errors surface typed', () => {
  test('a Policy that is not a policy document: MalformedPolicyDocument, final, and the policy is not echoed', async () => {
    const Policy = 'canary-policy-text: not JSON';
    const { credentials, lines, events } = federation({ Name: 'carol', Policy });
    const error = await rejectionOf(credentials());
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ operation: 'GetFederationToken', code: 'MalformedPolicyDocument', final: true });
    expect(callsOf('GetFederationToken')).toHaveLength(1);
    expect(inspect([error, lines, events], { depth: Infinity })).not.toContain('canary-policy-text');
  });

  test('session policies and tags that pack too large: PackedPolicyTooLarge, final', async () => {
    let seed = 7;
    const noise = (n: number) =>
      Array.from(
        { length: n },
        () =>
          'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[(seed = (seed * 48271) % 2147483647) % 62],
      ).join('');
    const Tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}${noise(100)}`, Value: noise(256) }));
    const error = await rejectionOf(federation({ Name: 'carol', Policy: S3_READ, Tags }).credentials());
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ code: 'PackedPolicyTooLarge', final: true });
  });

  test('a region where STS is deactivated for the account: RegionDisabled, final', async () => {
    const error = await rejectionOf(
      federation({ Name: 'carol', Policy: S3_READ }, { clientConfig: at(sts(), 'ap-east-1') }).credentials(),
    );
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ code: 'RegionDisabled', final: true });
  });

  test('keys STS does not know: InvalidClientTokenId', async () => {
    const sourceCredentials = { ...BROKER, accessKeyId: 'AKIAUNKNOWNEXAMPLE01' };
    const error = await rejectionOf(
      federation({ Name: 'carol', Policy: S3_READ }, { sourceCredentials }).credentials(),
    );
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ code: 'InvalidClientTokenId' });
  });
});

describe('fromFederationToken without a session policy', () => {
  test('warns once, by a warning event and logger.warn, however often it refreshes', async () => {
    const { credentials, events, lines } = federation({ Name: 'carol' });
    await credentials();
    await credentials.refresh();
    await credentials.refresh();
    expect(callsOf('GetFederationToken')).toHaveLength(3);
    const warnings = events.filter((e) => e.type === 'warning');
    expect(warnings).toMatchObject([
      { provider: 'federation-token', message: expect.stringContaining('no permissions') },
    ]);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(String(lines.find((l) => l.level === 'warn')?.args[0])).toContain('Policy or PolicyArns');
    // The session exists (STS issued it); it can only say who it is.
    expect(await callerArnOf(sts(), credentials)).toBe(federatedArn('carol'));
  });

  test.each<[string, FromFederationTokenInit['params']]>([
    ['a Policy', { Name: 'carol', Policy: S3_READ }],
    ['PolicyArns', { Name: 'carol', PolicyArns: READ_ONLY }],
  ])('does not warn with %s', async (_, params) => {
    const { credentials, events, lines } = federation(params);
    await credentials();
    expect(events.map((e) => e.type)).not.toContain('warning');
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(0);
  });
});

describe('fromFederationToken refreshes across expiry (fake timers move Date, so sts-local too)', () => {
  beforeEach(() => jest.useFakeTimers(FAKE_TIMERS));
  afterEach(() => jest.useRealTimers());

  test('15-minute federated sessions renewed in the background for two hours of signed calls, none expired', async () => {
    let running = 0;
    const { credentials, events } = federation(
      { Name: 'carol', Policy: S3_READ, DurationSeconds: 900 },
      {
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'refresh-start') running++;
          if (e.type === 'refresh-success' || e.type === 'refresh-failure') running--;
        },
      },
    );
    const client = clientFor(sts(), credentials);
    const start = Date.now();
    while (Date.now() - start < 7_200_000) {
      expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(federatedArn('carol'));
      jest.advanceTimersByTime(20_000);
      for (let turn = 0; running > 0; turn++) {
        if (turn > 50_000) throw new Error('a refresh never settled');
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    client.destroy();
    // sts-local refuses an expired session (ExpiredToken): every call it saw was accepted.
    expect(sts().calls.filter((c) => c.outcome !== 'success')).toEqual([]);
    const issued = callsOf('GetFederationToken').map((c) => c.time);
    expect(issued.length).toBeGreaterThanOrEqual(9);
    for (let i = 1; i < issued.length; i++) {
      // Renewed after five minutes of use at the earliest, before the last minute at the latest.
      expect(issued[i]! - issued[i - 1]!).toBeGreaterThanOrEqual(540_000);
      expect(issued[i]! - issued[i - 1]!).toBeLessThan(840_000);
    }
    const reasons = events.filter((e) => e.type === 'refresh-start').map((e) => (e as { reason: string }).reason);
    expect(reasons).not.toContain('mandatory');
    expect(reasons).not.toContain('expired');
  });
});

describe('fromFederationToken shows no secret (canary)', () => {
  const WRONG_SECRET = 'canaryWrongSecret/credchain/DO-NOT-PRINT';
  const shown = (value: unknown) =>
    [
      value instanceof Error ? `${value.message}\n${value.stack}` : String(value),
      inspect(value, { depth: Infinity, showHidden: true }),
      JSON.stringify(value) ?? '',
    ].join('\n');

  test('in credentials, the provider, its logs and events', async () => {
    const { credentials, events, lines } = federation({ Name: 'carol', Policy: S3_READ });
    const issued = await credentials();
    const secrets = [BROKER.secretAccessKey, issued.secretAccessKey, issued.sessionToken];
    expect(shown({ ...issued })).toContain(issued.sessionToken);
    for (const value of [issued, credentials, String(credentials), events, lines]) {
      for (const secret of secrets) expect(shown(value)).not.toContain(secret);
    }
  });

  test.each<[string, () => Partial<FromFederationTokenInit>]>([
    [
      'a wrong secret (SignatureDoesNotMatch)',
      () => ({ sourceCredentials: { ...BROKER, secretAccessKey: WRONG_SECRET } }),
    ],
    [
      'temporary source credentials',
      () => ({ sourceCredentials: async () => ({ ...BROKER, sessionToken: WRONG_SECRET }) }),
    ],
    ['a disabled region', () => ({ clientConfig: at(sts(), 'ap-east-1') })],
  ])('in errors, for %s', async (_, init) => {
    const { credentials, events, lines } = federation({ Name: 'carol', Policy: S3_READ }, init());
    const error = await rejectionOf(credentials());
    expect(error).toBeInstanceOf(Error);
    for (const value of [error, events, lines]) {
      for (const secret of [BROKER.secretAccessKey, WRONG_SECRET]) expect(shown(value)).not.toContain(secret);
    }
  });
});
