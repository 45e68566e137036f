import {
  AssumeRoleCommand,
  AssumeRootCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  type Credentials,
} from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, DEMO_MEMBER_ACCOUNT, type StsLocalConfig } from '../src';
import {
  asIdentity,
  demoRootKeys,
  demoUserKeys,
  roleArn,
  stsClient,
  useStsLocal,
  withStsLocal,
  type Keys,
} from './helpers/ops';

const server = useStsLocal();
const identityOf = async (keys: Keys, endpoint = server().endpoint) => {
  const { Arn, UserId, Account } = await stsClient(endpoint, keys).send(new GetCallerIdentityCommand({}));
  return { Arn, UserId, Account };
};
const alice = () => stsClient(server().endpoint, demoUserKeys('alice'));
const issued = (c: Credentials | undefined) => asIdentity(c);

describe('GetCallerIdentity answers for every kind of caller', () => {
  test('IAM user: its user ARN and AIDA unique ID', async () => {
    expect(await identityOf(demoUserKeys('alice'))).toEqual({
      Arn: `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`,
      UserId: expect.stringMatching(/^AIDA[A-Z2-7]{16}$/) as unknown,
      Account: DEMO_ACCOUNT,
    });
  });

  test('account root user: …:root, and the account ID as UserId', async () => {
    expect(await identityOf(demoRootKeys())).toEqual({
      Arn: `arn:aws:iam::${DEMO_ACCOUNT}:root`,
      UserId: DEMO_ACCOUNT,
      Account: DEMO_ACCOUNT,
    });
  });

  test('role session: …:assumed-role/ROLE/SESSION and ROLEID:SESSION', async () => {
    const out = await alice().send(
      new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'who-am-i' }),
    );
    const me = await identityOf(issued(out.Credentials));
    expect(me).toEqual({
      Arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/who-am-i`,
      UserId: expect.stringMatching(/^AROA[A-Z2-7]{16}:who-am-i$/) as unknown,
      Account: DEMO_ACCOUNT,
    });
  });

  test('role with a path: the assumed-role ARN leaves the path out', async () => {
    const config: StsLocalConfig = {
      accounts: [{ id: '123456789012' }],
      users: [
        {
          account: '123456789012',
          name: 'u',
          accessKeys: [{ accessKeyId: 'AKIAPATHUSER00000001', secretAccessKey: 'path-user-secret-000000' }],
        },
      ],
      roles: [{ account: '123456789012', name: 'deep', path: '/team/app/', trust: { principals: ['123456789012'] } }],
    };
    await withStsLocal({ config }, async (s) => {
      const keys = { accessKeyId: 'AKIAPATHUSER00000001', secretAccessKey: 'path-user-secret-000000' };
      const out = await stsClient(s.endpoint, keys).send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/team/app/deep', RoleSessionName: 'p1' }),
      );
      expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/deep/p1');
      expect((await identityOf(issued(out.Credentials), s.endpoint)).Arn).toBe(
        'arn:aws:sts::123456789012:assumed-role/deep/p1',
      );
    });
  });

  test('federated user: …:federated-user/NAME and ACCOUNT:NAME', async () => {
    const out = await alice().send(new GetFederationTokenCommand({ Name: 'Dave' }));
    expect(await identityOf(issued(out.Credentials))).toEqual({
      Arn: `arn:aws:sts::${DEMO_ACCOUNT}:federated-user/Dave`,
      UserId: `${DEMO_ACCOUNT}:Dave`,
      Account: DEMO_ACCOUNT,
    });
  });

  test('GetSessionToken session: the same user as its long-term keys', async () => {
    const out = await alice().send(new GetSessionTokenCommand({}));
    expect(await identityOf(issued(out.Credentials))).toEqual(await identityOf(demoUserKeys('alice')));
  });

  test('AssumeRoot session: the member account root', async () => {
    const out = await alice().send(
      new AssumeRootCommand({
        TargetPrincipal: DEMO_MEMBER_ACCOUNT,
        TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
      }),
    );
    expect(await identityOf(issued(out.Credentials))).toEqual({
      Arn: `arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`,
      UserId: DEMO_MEMBER_ACCOUNT,
      Account: DEMO_MEMBER_ACCOUNT,
    });
  });

  test('unique IDs are stable across restarts', async () => {
    const a = await withStsLocal({}, (s) => identityOf(demoUserKeys('alice'), s.endpoint));
    const b = await withStsLocal({}, (s) => identityOf(demoUserKeys('alice'), s.endpoint));
    expect(a.UserId).toBe(b.UserId);
  });
});
