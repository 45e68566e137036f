import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  type GetFederationTokenCommandInput,
} from '@aws-sdk/client-sts';
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
const federate = (input: Partial<GetFederationTokenCommandInput>, keys = demoUserKeys('alice')) =>
  stsClient(server().endpoint, keys).send(new GetFederationTokenCommand({ Name: 'Bob', ...input }));
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
});

describe('GetFederationToken success path', () => {
  test('returns Credentials, FederatedUser and PackedPolicySize; 12 hours by default', async () => {
    const expectLifetime = timeRequest(server());
    const out = await federate({ Policy: POLICY, Tags: [{ Key: 'dept', Value: 'eng' }] });
    expect(out.FederatedUser).toEqual({
      FederatedUserId: `${DEMO_ACCOUNT}:Bob`,
      Arn: `arn:aws:sts::${DEMO_ACCOUNT}:federated-user/Bob`,
    });
    expect(out.PackedPolicySize).toBeGreaterThanOrEqual(1);
    expect(out.PackedPolicySize).toBeLessThanOrEqual(100);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expectLifetime(out.Credentials, 43200);
  });

  test('without policies or tags, PackedPolicySize is left out', async () => {
    expect((await federate({})).PackedPolicySize).toBeUndefined();
  });

  test(
    'DurationSeconds 900–129600; ' + 'the root user gets at most an hour, a longer request defaulting to one hour',
    async () => {
      const expectLifetime = timeRequest(server());
      const high = await federate({ DurationSeconds: 129600 });
      expectLifetime(high.Credentials, 129600);
      await expectStsError(
        federate({ DurationSeconds: 899 }),
        'ValidationError',
        400,
        constraintMessage('899', 'durationSeconds', 'Member must have value greater than or equal to 900'),
      );
      await expectStsError(
        federate({ DurationSeconds: 129601 }),
        'ValidationError',
        400,
        constraintMessage('129601', 'durationSeconds', 'Member must have value less than or equal to 129600'),
      );
      const root = await federate({}, demoRootKeys());
      expectLifetime(root.Credentials, 3600);
      expectLifetime((await federate({ DurationSeconds: 1800 }, demoRootKeys())).Credentials, 1800);
      expectLifetime((await federate({ DurationSeconds: 7200 }, demoRootKeys())).Credentials, 3600);
      await expectStsError(
        federate({ DurationSeconds: 129601 }, demoRootKeys()),
        'ValidationError',
        400,
        constraintMessage('129601', 'durationSeconds', 'Member must have value less than or equal to 129600'),
      );
    },
  );

  test('Name is required, 2–32 characters of [\\w+=,.@-]', async () => {
    await expectStsError(
      federate({ Name: undefined }),
      'ValidationError',
      400,
      constraintMessage(null, 'name', 'Member must not be null'),
    );
    await expectStsError(
      federate({ Name: 'B' }),
      'ValidationError',
      400,
      constraintMessage('B', 'name', 'Member must have length greater than or equal to 2'),
    );
    await expectStsError(
      federate({ Name: 'x'.repeat(33) }),
      'ValidationError',
      400,
      constraintMessage('x'.repeat(33), 'name', 'Member must have length less than or equal to 32'),
    );
    await expectStsError(
      federate({ Name: 'Bob Smith' }),
      'ValidationError',
      400,
      constraintMessage('Bob Smith', 'name', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*'),
    );
  });

  test('session policy, policy ARNs and tags follow the AssumeRole rules', async () => {
    await expectStsError(federate({ Policy: 'not json' }), 'MalformedPolicyDocument', 400, 'Syntax errors in policy.');
    const arns = Array.from({ length: 11 }, (_, i) => ({ arn: `arn:aws:iam::aws:policy/Policy${i}` }));
    await expectStsError(
      federate({ PolicyArns: arns }),
      'ValidationError',
      400,
      constraintMessage('[11 items]', 'policyArns', 'Member must have length less than or equal to 10'),
    );
    await expectStsError(
      federate({
        Tags: [
          { Key: 'A', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
      }),
      'ValidationError',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
  });
});

describe('GetFederationToken refuses temporary credentials', () => {
  test('from GetSessionToken, role and federated sessions', async () => {
    const alice = stsClient(server().endpoint, demoUserKeys('alice'));
    const sessions = [
      (await alice.send(new GetSessionTokenCommand({}))).Credentials,
      (await alice.send(new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'r1' }))).Credentials,
      (await federate({})).Credentials,
    ];
    for (const creds of sessions) {
      await expectStsError(
        federate({}, asIdentity(creds)),
        'AccessDenied',
        403,
        'Cannot call GetFederationToken with session credentials',
      );
    }
  });
});

describe('federated sessions may call only GetCallerIdentity', () => {
  test('GetCallerIdentity answers with the federated-user ARN', async () => {
    const out = await federate({ Name: 'Carol' });
    const me = await stsClient(server().endpoint, asIdentity(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect({ Arn: me.Arn, UserId: me.UserId, Account: me.Account }).toEqual({
      Arn: `arn:aws:sts::${DEMO_ACCOUNT}:federated-user/Carol`,
      UserId: `${DEMO_ACCOUNT}:Carol`,
      Account: DEMO_ACCOUNT,
    });
  });

  test('AssumeRole and GetSessionToken are refused', async () => {
    const fed = stsClient(server().endpoint, asIdentity((await federate({})).Credentials));
    await expectStsError(
      fed.send(new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'no' })),
      'AccessDenied',
      403,
      /sts:AssumeRole/,
    );
    await expectStsError(
      fed.send(new GetSessionTokenCommand({})),
      'AccessDenied',
      403,
      'Cannot call GetSessionToken with session credentials',
    );
  });
});
