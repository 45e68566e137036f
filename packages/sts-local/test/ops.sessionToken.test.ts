import {
  AssumeRoleCommand,
  DecodeAuthorizationMessageCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
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
const getSessionToken = (durationSeconds?: number, keys = demoUserKeys('alice')) =>
  stsClient(server().endpoint, keys).send(
    new GetSessionTokenCommand(durationSeconds === undefined ? {} : { DurationSeconds: durationSeconds }),
  );
const SESSION_REFUSED = 'Cannot call GetSessionToken with session credentials';

describe('GetSessionToken success path', () => {
  test('returns Credentials only, 12 hours by default, acting as the same IAM user', async () => {
    const expectLifetime = timeRequest(server());
    const out = await getSessionToken();
    expect(Object.keys(out).filter((k) => k !== '$metadata')).toEqual(['Credentials']);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expectLifetime(out.Credentials, 43200);
    const me = await stsClient(server().endpoint, asIdentity(out.Credentials)).send(new GetCallerIdentityCommand({}));
    const user = await stsClient(server().endpoint, demoUserKeys('alice')).send(new GetCallerIdentityCommand({}));
    expect({ Arn: me.Arn, UserId: me.UserId, Account: me.Account }).toEqual({
      Arn: user.Arn,
      UserId: user.UserId,
      Account: DEMO_ACCOUNT,
    });
  });

  test('DurationSeconds 900–129600 for IAM users', async () => {
    const expectLifetime = timeRequest(server());
    const [low, high] = await Promise.all([getSessionToken(900), getSessionToken(129600)]);
    expectLifetime(low.Credentials, 900);
    expectLifetime(high.Credentials, 129600);
    await expectStsError(
      getSessionToken(899),
      'ValidationError',
      400,
      constraintMessage('899', 'durationSeconds', 'Member must have value greater than or equal to 900'),
    );
    await expectStsError(
      getSessionToken(129601),
      'ValidationError',
      400,
      constraintMessage('129601', 'durationSeconds', 'Member must have value less than or equal to 129600'),
    );
  });

  test('root user sessions default to and are capped at one hour', async () => {
    const expectLifetime = timeRequest(server());
    const out = await getSessionToken(undefined, demoRootKeys());
    expectLifetime(out.Credentials, 3600);
    await expectStsError(
      getSessionToken(3601, demoRootKeys()),
      'ValidationError',
      400,
      constraintMessage('3601', 'durationSeconds', 'Member must have value less than or equal to 3600'),
    );
    const me = await stsClient(server().endpoint, asIdentity(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect({ Arn: me.Arn, UserId: me.UserId }).toEqual({
      Arn: `arn:aws:iam::${DEMO_ACCOUNT}:root`,
      UserId: DEMO_ACCOUNT,
    });
  });
});

describe('GetSessionToken refuses temporary credentials', () => {
  test('from its own sessions, role sessions and federated sessions', async () => {
    const alice = stsClient(server().endpoint, demoUserKeys('alice'));
    const userSession = asIdentity((await alice.send(new GetSessionTokenCommand({}))).Credentials);
    const roleSession = asIdentity(
      (await alice.send(new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 's1' }))).Credentials,
    );
    const federated = asIdentity((await alice.send(new GetFederationTokenCommand({ Name: 'fed-user' }))).Credentials);
    for (const creds of [userSession, roleSession, federated]) {
      await expectStsError(
        stsClient(server().endpoint, creds).send(new GetSessionTokenCommand({})),
        'AccessDenied',
        403,
        SESSION_REFUSED,
      );
    }
  });
});

describe('what GetSessionToken credentials may call', () => {
  test('AssumeRole and GetCallerIdentity, as the user; not GetFederationToken or other STS operations', async () => {
    const session = stsClient(server().endpoint, asIdentity((await getSessionToken()).Credentials));
    const role = await session.send(
      new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'from-session' }),
    );
    expect(role.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/from-session`);
    // The user session trusts as its user: a role trusting only alice accepts it (MFA aside).
    await expectStsError(
      session.send(new AssumeRoleCommand({ RoleArn: roleArn('chained-role'), RoleSessionName: 'x1' })),
      'AccessDenied',
      403,
      `User: arn:aws:iam::${DEMO_ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole ` +
        `on resource: ${roleArn('chained-role')}`,
    );
    await expectStsError(
      session.send(new GetFederationTokenCommand({ Name: 'fed-user' })),
      'AccessDenied',
      403,
      'Cannot call GetFederationToken with session credentials',
    );
    await expectStsError(
      session.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'abcd' })),
      'AccessDenied',
      403,
      /sts:DecodeAuthorizationMessage/,
    );
  });
});
