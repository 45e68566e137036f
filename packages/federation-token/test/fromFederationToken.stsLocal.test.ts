import {
  AssumeRoleCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { InvalidParameterError, StsError } from '@credchain/core';
import { fromFederationToken } from '@credchain/federation-token';
import type { FromFederationTokenInit } from '@credchain/federation-token';
import { DEMO_ACCOUNT } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { expectNoSecret, observe, rejectionOf } from '@credchain/testkit';
import { ALICE as BROKER, callerArn, callsOf, localConfig, rootKeys, useStsLocal } from '@credchain/testkit/sts-local';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

// GetFederationToken against sts-local over HTTP with the real @aws-sdk/client-sts, and the
// federated session used as `credentials` by a real SDK client whose signature sts-local verifies.
// The broker is alice, an IAM user with long-term keys, or the account's root user (whose sessions STS
// caps at one hour). What every provider promises (RegionDisabled, InvalidClientTokenId, policy errors,
// session credentials refused, no secret shown, refresh, …) is in the contract suite,
// packages/credchain/test/contract.
const sts = useStsLocal();
const ROOT_USER = rootKeys();
const READ_ONLY = [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }];
const federatedArn = (name: string): string => `arn:aws:sts::${DEMO_ACCOUNT}:federated-user/${name}`;

/** A real STSClient aimed at sts-local, one attempt per call, signing with `credentials`; the caller destroys it. */
const clientFor = (credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, server: StsLocal = sts()) =>
  new STSClient({ ...localConfig(server), credentials, maxAttempts: 1 });

const opened: Array<{ close(): void }> = [];
afterEach(() => opened.splice(0).forEach((p) => p.close()));

const S3_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});

/** A provider recording its events and log lines, closed after the test. */
function federation(params: FromFederationTokenInit['params'], init: Partial<FromFederationTokenInit> = {}) {
  const seen = observe();
  const credentials = fromFederationToken({
    params,
    sourceCredentials: BROKER,
    clientConfig: { ...localConfig(sts()), maxAttempts: 1 },
    logger: seen.logger,
    onEvent: seen.onEvent,
    ...init,
  });
  opened.push(credentials);
  return { credentials, events: seen.events, lines: seen.lines };
}

describe('fromFederationToken against sts-local', () => {
  test('an IAM user broker gets a federated session through a real STSClient', async () => {
    const { credentials } = federation({ Name: 'carol', PolicyArns: READ_ONLY, DurationSeconds: 3600 });
    const creds = await credentials();
    expect(creds).toMatchObject({ origin: 'federated', accountId: DEMO_ACCOUNT });
    expect(creds.expiration.getTime() - sts().now()).toBeGreaterThan(3_598_000);
    expect(creds.expiration.getTime() - sts().now()).toBeLessThanOrEqual(3_600_000);
    expect(callsOf(sts(), 'GetFederationToken')).toMatchObject([
      {
        outcome: 'success',
        callerArn: `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`,
        params: { Name: 'carol', 'PolicyArns.member.1.arn': READ_ONLY[0]!.arn, DurationSeconds: '3600' },
      },
    ]);
  });

  test('a real SDK client signing with the provider is the federated user to STS', async () => {
    const { credentials } = federation({ Name: 'carol', Policy: S3_READ });
    const client = clientFor(credentials);
    const identity = await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
    expect(identity).toMatchObject({
      Arn: federatedArn('carol'),
      Account: DEMO_ACCOUNT,
      UserId: `${DEMO_ACCOUNT}:carol`,
    });
    expect(callsOf(sts(), 'GetCallerIdentity').map((c) => c.accessKeyId)).toEqual([(await credentials()).accessKeyId]);
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
    expect(await callerArn(sts(), credentials)).toBe(federatedArn('root-fed'));
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
    expect(callsOf(sts(), 'GetFederationToken')).toMatchObject([{ outcome: 'success' }]);
  });

  test.each<[string, FromFederationTokenInit['params']]>([
    ['a Name one too long', { Name: 'g'.repeat(33), Policy: S3_READ }],
    ['a session one second too short', { Name: 'carol', Policy: S3_READ, DurationSeconds: 899 }],
    ['a session one second too long', { Name: 'carol', Policy: S3_READ, DurationSeconds: 129_601 }],
    ['a Policy one character too long', { Name: 'carol', Policy: padded(2049) }],
  ])('sts-local refuses %s, which the provider refuses before sending', async (_, params) => {
    const raw = clientFor(BROKER);
    expect(await rejectionOf(raw.send(new GetFederationTokenCommand(params)))).toMatchObject({
      name: 'ValidationError',
    });
    raw.destroy();
    sts().clearCalls();
    expect(() => federation(params)).toThrow(InvalidParameterError);
    expect(sts().calls).toHaveLength(0);
  });
});

describe('fromFederationToken: federated sessions', () => {
  test('a federated session may call GetCallerIdentity and no other STS operation', async () => {
    const broker = clientFor(BROKER);
    const { Credentials } = await broker.send(new GetFederationTokenCommand({ Name: 'carol', Policy: S3_READ }));
    broker.destroy();
    const client = clientFor({
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    });
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

describe('fromFederationToken: STS errors of its own', () => {
  test('a Policy that is no policy document: MalformedPolicyDocument, final, the policy not echoed', async () => {
    const Policy = 'canary-policy-text: not JSON';
    const { credentials, lines, events } = federation({ Name: 'carol', Policy });
    const error = await rejectionOf(credentials());
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ operation: 'GetFederationToken', code: 'MalformedPolicyDocument', final: true });
    expect(callsOf(sts(), 'GetFederationToken')).toHaveLength(1);
    for (const shown of [error, lines, events]) expectNoSecret(shown, ['canary-policy-text']);
  });
});

describe('fromFederationToken without a session policy', () => {
  test('warns once, by a warning event and logger.warn, however often it refreshes', async () => {
    const { credentials, events, lines } = federation({ Name: 'carol' });
    await credentials();
    await credentials.refresh();
    await credentials.refresh();
    expect(callsOf(sts(), 'GetFederationToken')).toHaveLength(3);
    const warnings = events.filter((e) => e.type === 'warning');
    expect(warnings).toMatchObject([
      { provider: 'federation-token', message: expect.stringContaining('no permissions') as unknown },
    ]);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(String(lines.find((l) => l.level === 'warn')?.args[0])).toContain('Policy or PolicyArns');
    // The session exists (STS issued it); it can only say who it is.
    expect(await callerArn(sts(), credentials)).toBe(federatedArn('carol'));
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
