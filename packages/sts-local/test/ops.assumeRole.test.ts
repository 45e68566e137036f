import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT } from '../src';
import {
  asIdentity,
  constraintMessage,
  demoRootKeys,
  demoUserKeys,
  expectStsError,
  timeRequest,
  roleArn,
  stsClient,
  useStsLocal,
} from './helpers/ops';

const server = useStsLocal();
const alice = () => stsClient(server().endpoint, demoUserKeys('alice'));
const assume = (input: Partial<AssumeRoleCommandInput>, client = alice()) =>
  client.send(new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'ops-test', ...input }));

const CHAINING = 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.';
const MAX_SESSION = 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';
const notAuthorized = (who: string, role: string) =>
  `User: ${who} is not authorized to perform: sts:AssumeRole on resource: ${roleArn(role)}`;

describe('AssumeRole success path', () => {
  test('returns every response element, and the issued keys act as the role session', async () => {
    const expectLifetime = timeRequest(server());
    const out = await assume({
      RoleSessionName: 'alice@ops',
      DurationSeconds: 7200,
      SourceIdentity: 'alice-src',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      }),
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/alice@ops`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{16}:alice@ops$/) as unknown,
    });
    expect(out.SourceIdentity).toBe('alice-src');
    expect(out.PackedPolicySize).toBeGreaterThanOrEqual(1);
    expect(out.PackedPolicySize).toBeLessThanOrEqual(100);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toEqual(expect.any(String));
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    // Whole seconds, 2 h after the request.
    expectLifetime(out.Credentials, 7200);

    const me = await stsClient(server().endpoint, asIdentity(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect({ Arn: me.Arn, UserId: me.UserId, Account: me.Account }).toEqual({
      Arn: out.AssumedRoleUser?.Arn,
      UserId: out.AssumedRoleUser?.AssumedRoleId,
      Account: DEMO_ACCOUNT,
    });
  });

  test('defaults to one hour and leaves PackedPolicySize and SourceIdentity out when nothing was passed', async () => {
    const expectLifetime = timeRequest(server());
    const out = await assume({});
    expectLifetime(out.Credentials, 3600);
    expect(out.PackedPolicySize).toBeUndefined();
    expect(out.SourceIdentity).toBeUndefined();
  });

  test('the same role ID is reported for every session of one role', async () => {
    const [a, b] = await Promise.all([assume({ RoleSessionName: 'one' }), assume({ RoleSessionName: 'two' })]);
    expect(a.AssumedRoleUser?.AssumedRoleId?.split(':')[0]).toBe(b.AssumedRoleUser?.AssumedRoleId?.split(':')[0]);
  });
});

describe('AssumeRole DurationSeconds', () => {
  test.each([
    [899, 'Member must have value greater than or equal to 900'],
    [43201, 'Member must have value less than or equal to 43200'],
  ])('%i is outside 900–43200', async (seconds, rule) => {
    await expectStsError(
      assume({ DurationSeconds: seconds }),
      'ValidationError',
      400,
      constraintMessage(String(seconds), 'durationSeconds', rule),
    );
  });

  test('the bounds themselves are accepted', async () => {
    const expectLifetime = timeRequest(server());
    const [low, high] = await Promise.all([assume({ DurationSeconds: 900 }), assume({ DurationSeconds: 43200 })]);
    expectLifetime(low.Credentials, 900);
    expectLifetime(high.Credentials, 43200);
  });

  test("past the role's MaxSessionDuration (3600 by default) is refused; at it, accepted", async () => {
    const ext = { RoleArn: roleArn('external-id-role'), ExternalId: 'credchain-external-id' };
    await expectStsError(assume({ ...ext, DurationSeconds: 3601 }), 'ValidationError', 400, MAX_SESSION);
    await expect(assume({ ...ext, DurationSeconds: 3600 })).resolves.toHaveProperty('Credentials');
  });
});

describe('AssumeRole role chaining', () => {
  const demoSession = async () =>
    stsClient(server().endpoint, asIdentity((await assume({ RoleSessionName: 'first-hop' })).Credentials));

  test('a role session may assume a role that trusts it, for at most one hour', async () => {
    const client = await demoSession();
    const expectLifetime = timeRequest(server());
    const out = await assume(
      { RoleArn: roleArn('chained-role'), RoleSessionName: 'second-hop', DurationSeconds: 3600 },
      client,
    );
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/chained-role/second-hop`);
    expectLifetime(out.Credentials, 3600);
    // chained-role allows 12 h, but the chain caps it at the AWS message.
    await expectStsError(
      assume({ RoleArn: roleArn('chained-role'), DurationSeconds: 3601 }, client),
      'ValidationError',
      400,
      CHAINING,
    );
  });

  test('an IAM user is not trusted by a role that trusts only another role', async () => {
    await expectStsError(
      assume({ RoleArn: roleArn('chained-role') }),
      'AccessDenied',
      403,
      notAuthorized(`arn:aws:iam::${DEMO_ACCOUNT}:user/alice`, 'chained-role'),
    );
  });

  test('SourceIdentity, once set, passes down the chain and cannot be changed', async () => {
    const first = await assume({ SourceIdentity: 'alice-src' });
    const client = stsClient(server().endpoint, asIdentity(first.Credentials));
    const kept = await assume({ RoleArn: roleArn('chained-role') }, client);
    expect(kept.SourceIdentity).toBe('alice-src');
    await expectStsError(
      assume({ RoleArn: roleArn('chained-role'), SourceIdentity: 'someone-else' }, client),
      'AccessDenied',
      403,
      /SourceIdentity/,
    );
  });

  test('transitive session tags pass down the chain; a chained call may not redefine one', async () => {
    const first = await assume({
      Tags: [
        { Key: 'Team', Value: 'a' },
        { Key: 'Other', Value: 'b' },
      ],
      TransitiveTagKeys: ['team'],
    });
    const client = stsClient(server().endpoint, asIdentity(first.Credentials));
    const next = await assume({ RoleArn: roleArn('chained-role') }, client);
    // The inherited tag counts toward the packed size though the call passed none.
    expect(next.PackedPolicySize).toBeGreaterThanOrEqual(1);
    await expectStsError(
      assume({ RoleArn: roleArn('chained-role'), Tags: [{ Key: 'TEAM', Value: 'b' }] }, client),
      'ValidationError',
      400,
      /TEAM/,
    );
    // A non-transitive tag is not inherited, so it may be set again.
    await expect(
      assume({ RoleArn: roleArn('chained-role'), Tags: [{ Key: 'Other', Value: 'c' }] }, client),
    ).resolves.toHaveProperty('Credentials');
  });
});

describe('AssumeRole trust', () => {
  test('account root users may not assume roles', async () => {
    await expectStsError(
      assume({}, stsClient(server().endpoint, demoRootKeys())),
      'AccessDenied',
      403,
      'Roles may not be assumed by root accounts.',
    );
  });

  test('a principal the trust policy does not name is refused', async () => {
    const bob = stsClient(server().endpoint, demoUserKeys('bob'));
    await expectStsError(
      assume({ RoleArn: roleArn('mfa-role') }, bob),
      'AccessDenied',
      403,
      notAuthorized(`arn:aws:iam::${DEMO_ACCOUNT}:user/bob`, 'mfa-role'),
    );
  });

  test('a user of another account is refused by a role trusting only its own account', async () => {
    const member = stsClient(server().endpoint, demoUserKeys('member-dev'));
    const who = (await member.send(new GetCallerIdentityCommand({}))).Arn ?? '';
    await expectStsError(assume({}, member), 'AccessDenied', 403, notAuthorized(who, 'demo-role'));
  });

  test('a role that does not exist answers like one that does not trust the caller', async () => {
    await expectStsError(
      assume({ RoleArn: roleArn('no-such-role') }),
      'AccessDenied',
      403,
      notAuthorized(`arn:aws:iam::${DEMO_ACCOUNT}:user/alice`, 'no-such-role'),
    );
  });

  test('ExternalId: required when the trust names one, and it must match', async () => {
    const denied = notAuthorized(`arn:aws:iam::${DEMO_ACCOUNT}:user/alice`, 'external-id-role');
    await expectStsError(assume({ RoleArn: roleArn('external-id-role') }), 'AccessDenied', 403, denied);
    await expectStsError(
      assume({ RoleArn: roleArn('external-id-role'), ExternalId: 'wrong-id' }),
      'AccessDenied',
      403,
      denied,
    );
    await expect(
      assume({ RoleArn: roleArn('external-id-role'), ExternalId: 'credchain-external-id' }),
    ).resolves.toHaveProperty('Credentials');
  });

  test('a role requiring MFA refuses a caller without it', async () => {
    await expectStsError(
      assume({ RoleArn: roleArn('mfa-role') }),
      'AccessDenied',
      403,
      notAuthorized(`arn:aws:iam::${DEMO_ACCOUNT}:user/alice`, 'mfa-role'),
    );
  });
});

describe('AssumeRole parameter rules', () => {
  const invalid = (input: Partial<AssumeRoleCommandInput>, member: string, value: string | null, rule: string) =>
    expectStsError(assume(input), 'ValidationError', 400, constraintMessage(value, member, rule));

  test('RoleArn and RoleSessionName are required', async () => {
    await invalid({ RoleArn: undefined }, 'roleArn', null, 'Member must not be null');
    await invalid({ RoleSessionName: undefined }, 'roleSessionName', null, 'Member must not be null');
  });

  test('RoleArn is 20–2048 characters', async () => {
    await invalid(
      { RoleArn: 'arn:aws:iam::1:role' },
      'roleArn',
      'arn:aws:iam::1:role',
      'Member must have length greater than or equal to 20',
    );
  });

  test('RoleSessionName is 2–64 characters of [\\w+=,.@-]', async () => {
    await invalid(
      { RoleSessionName: 'a' },
      'roleSessionName',
      'a',
      'Member must have length greater than or equal to 2',
    );
    await invalid(
      { RoleSessionName: 'x'.repeat(65) },
      'roleSessionName',
      'x'.repeat(65),
      'Member must have length less than or equal to 64',
    );
    await invalid(
      { RoleSessionName: 'has space' },
      'roleSessionName',
      'has space',
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
    await expect(assume({ RoleSessionName: 'ok_+=,.@-' + 'x'.repeat(55) })).resolves.toHaveProperty('Credentials');
  });

  test('ExternalId is 2–1224 characters of [\\w+=,.@:/-]', async () => {
    await invalid({ ExternalId: 'a' }, 'externalId', 'a', 'Member must have length greater than or equal to 2');
    await invalid(
      { ExternalId: 'x'.repeat(1225) },
      'externalId',
      `${'x'.repeat(128)}…`,
      'Member must have length less than or equal to 1224',
    );
    await invalid(
      { ExternalId: 'no#hash' },
      'externalId',
      'no#hash',
      'Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*',
    );
  });

  test('SerialNumber is 9–256 characters of [\\w+=/:,.@-]; TokenCode six digits', async () => {
    await invalid(
      { SerialNumber: 'short', TokenCode: '123456' },
      'serialNumber',
      'short',
      'Member must have length greater than or equal to 9',
    );
    await invalid(
      { SerialNumber: 'serial number', TokenCode: '123456' },
      'serialNumber',
      'serial number',
      'Member must satisfy regular expression pattern: [\\w+=/:,.@-]*',
    );
    // TokenCode is a secret: the message names the member but never quotes the value.
    await expectStsError(
      assume({ SerialNumber: 'arn:aws:iam::111122223333:mfa/alice', TokenCode: '12345' }),
      'ValidationError',
      400,
      "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 6',
    );
    await expectStsError(
      assume({ SerialNumber: 'arn:aws:iam::111122223333:mfa/alice', TokenCode: '12345a' }),
      'ValidationError',
      400,
      "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\d]*',
    );
  });

  test('SourceIdentity is 2–64 characters of [\\w+=,.@-] and never starts with aws:', async () => {
    await invalid({ SourceIdentity: 'a' }, 'sourceIdentity', 'a', 'Member must have length greater than or equal to 2');
    await invalid(
      { SourceIdentity: 'a b' },
      'sourceIdentity',
      'a b',
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
    // `aws:` fails the pattern already (`:` is not in it), so STS answers with the pattern rule.
    await invalid(
      { SourceIdentity: 'aws:me' },
      'sourceIdentity',
      'aws:me',
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  });

  test('Policy: at most 2048 characters of its character set, and a JSON policy', async () => {
    const statement = { Effect: 'Allow', Action: '*', Resource: '*' };
    const long = JSON.stringify({ Statement: [statement], Sid: 'x'.repeat(2048) });
    await invalid(
      { Policy: long },
      'policy',
      `${long.slice(0, 128)}…`,
      'Member must have length less than or equal to 2048',
    );
    const wide = JSON.stringify({ Statement: [{ ...statement, Sid: 'ā' }] });
    await invalid(
      { Policy: wide },
      'policy',
      wide,
      'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
    );
    await expectStsError(
      assume({ Policy: '{"Statement": [' }),
      'MalformedPolicyDocument',
      400,
      'Syntax errors in policy.',
    );
    await expectStsError(assume({ Policy: '{"Version":"2012-10-17"}' }), 'MalformedPolicyDocument', 400, /Statement/);
    // Latin-1 is inside the set.
    await expect(
      assume({ Policy: JSON.stringify({ Statement: [{ ...statement, Sid: 'é' }] }) }),
    ).resolves.toHaveProperty('PackedPolicySize');
  });

  test('at most 10 PolicyArns', async () => {
    const arns = (n: number) => Array.from({ length: n }, (_, i) => ({ arn: `arn:aws:iam::aws:policy/Policy${i}` }));
    await invalid(
      { PolicyArns: arns(11) },
      'policyArns',
      '[11 items]',
      'Member must have length less than or equal to 10',
    );
    await expect(assume({ PolicyArns: arns(10) })).resolves.toHaveProperty('PackedPolicySize');
  });

  test('at most 50 Tags, keys 1–128 and values 0–256 characters, keys unique ignoring case', async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await invalid({ Tags: tags(51) }, 'tags', '[51 items]', 'Member must have length less than or equal to 50');
    await expect(assume({ Tags: tags(50) })).resolves.toHaveProperty('PackedPolicySize');
    await invalid(
      { Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] },
      'tags.1.member.key',
      'k'.repeat(128) + '…',
      'Member must have length less than or equal to 128',
    );
    await invalid(
      { Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] },
      'tags.1.member.value',
      'v'.repeat(128) + '…',
      'Member must have length less than or equal to 256',
    );
    await expectStsError(
      assume({ Tags: [{ Key: 'bad*key', Value: 'v' }] }),
      'ValidationError',
      400,
      /^1 validation error detected: Value 'bad\*key' at 'tags\.1\.member\.key' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
    await expectStsError(
      assume({
        Tags: [
          { Key: 'Team', Value: 'a' },
          { Key: 'team', Value: 'b' },
        ],
      }),
      'ValidationError',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
  });

  test('TransitiveTagKeys must name session tags passed in the same call', async () => {
    await expectStsError(
      assume({ Tags: [{ Key: 'Team', Value: 'a' }], TransitiveTagKeys: ['Project'] }),
      'ValidationError',
      400,
      /Project/,
    );
    await expect(assume({ Tags: [{ Key: 'Team', Value: 'a' }], TransitiveTagKeys: ['team'] })).resolves.toHaveProperty(
      'Credentials',
    );
  });

  test('at most 5 ProvidedContexts', async () => {
    const contexts = (n: number) =>
      Array.from({ length: n }, () => ({
        ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter',
        ContextAssertion: 'opaque-assertion',
      }));
    await invalid(
      { ProvidedContexts: contexts(6) },
      'providedContexts',
      '[6 items]',
      'Member must have length less than or equal to 5',
    );
    await expect(assume({ ProvidedContexts: contexts(5) })).resolves.toHaveProperty('Credentials');
  });

  test('a ContextAssertion of the wrong length is refused without echoing it', async () => {
    const canary = `ctx-canary-${'q'.repeat(2100)}`;
    const error = await assume({
      ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: canary }],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ValidationError' });
    expect((error as Error).message).toMatch(/contextAssertion/);
    expect((error as Error).message).not.toContain('ctx-canary');
  });

  test('policies and tags too large to pack answer PackedPolicyTooLarge with the percentage', async () => {
    // Random text does not compress: 50 maximal tags overflow the packed budget.
    let seed = 7;
    const random = (n: number) =>
      Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[seed % 62];
      }).join('');
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `${i}-${random(120)}`, Value: random(256) }));
    await expectStsError(
      assume({ Tags: tags }),
      'PackedPolicyTooLarge',
      400,
      /^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/,
    );
  });
});
