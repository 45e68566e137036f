import {
  AssumeRoleCommand,
  AssumeRootCommand,
  GetCallerIdentityCommand,
  type AssumeRootCommandInput,
} from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, DEMO_DELEGATED_ADMIN_ACCOUNT, DEMO_MEMBER_ACCOUNT } from '../src';
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
  type Keys,
} from './helpers/ops';

const server = useStsLocal();
const AUDIT = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';
const assumeRoot = (
  input: Partial<AssumeRootCommandInput>,
  keys: Keys = demoUserKeys('alice'),
  endpoint = server().endpoint,
) =>
  stsClient(endpoint, keys).send(
    new AssumeRootCommand({ TargetPrincipal: DEMO_MEMBER_ACCOUNT, TaskPolicyArn: { arn: AUDIT }, ...input }),
  );
const denied = (who: string, account: string) =>
  `User: ${who} is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::${account}:root`;

describe('AssumeRoot success path', () => {
  test('the management account gets a 15-minute root session of a member account', async () => {
    const expectLifetime = timeRequest(server());
    const out = await assumeRoot({});
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expectLifetime(out.Credentials, 900);
    expect(out.SourceIdentity).toBeUndefined();
    const me = await stsClient(server().endpoint, asIdentity(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect({ Arn: me.Arn, UserId: me.UserId, Account: me.Account }).toEqual({
      Arn: `arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`,
      UserId: DEMO_MEMBER_ACCOUNT,
      Account: DEMO_MEMBER_ACCOUNT,
    });
  });

  test(
    'a delegated administrator may too; ' + 'TargetPrincipal may be the root ARN; every root task policy works',
    async () => {
      const policies = [
        'IAMAuditRootUserCredentials',
        'IAMCreateRootUserPassword',
        'IAMDeleteRootUserCredentials',
        'S3UnlockBucketPolicy',
        'SQSUnlockQueuePolicy',
      ];
      for (const name of policies) {
        const out = await assumeRoot(
          {
            TargetPrincipal: `arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`,
            TaskPolicyArn: { arn: `arn:aws:iam::aws:policy/root-task/${name}` },
          },
          demoUserKeys('security-admin'),
        );
        expect(out.Credentials?.SessionToken).toEqual(expect.any(String));
      }
    },
  );

  test('a role session of the management account may call it, and its SourceIdentity is carried', async () => {
    const role = await stsClient(server().endpoint, demoUserKeys('alice')).send(
      new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'admin', SourceIdentity: 'alice-admin' }),
    );
    const out = await assumeRoot({}, asIdentity(role.Credentials));
    expect(out.SourceIdentity).toBe('alice-admin');
  });

  test('root sessions may call only GetCallerIdentity', async () => {
    const root = asIdentity((await assumeRoot({})).Credentials);
    await expectStsError(
      stsClient(server().endpoint, root).send(
        new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'x1' }),
      ),
      'AccessDenied',
      403,
      /sts:AssumeRole/,
    );
  });
});

describe('AssumeRoot rules', () => {
  test('DurationSeconds 0–900', async () => {
    await expectStsError(
      assumeRoot({ DurationSeconds: 901 }),
      'ValidationError',
      400,
      constraintMessage('901', 'durationSeconds', 'Member must have value less than or equal to 900'),
    );
    await expectStsError(
      assumeRoot({ DurationSeconds: -1 }),
      'ValidationError',
      400,
      constraintMessage('-1', 'durationSeconds', 'Member must have value greater than or equal to 0'),
    );
    const expectLifetime = timeRequest(server());
    const short = await assumeRoot({ DurationSeconds: 60 });
    expectLifetime(short.Credentials, 60);
  });

  test('only one of the AWS root task policies', async () => {
    await expectStsError(
      assumeRoot({ TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
      'ValidationError',
      400,
      /AdministratorAccess is not a root task policy/,
    );
    await expectStsError(
      assumeRoot({ TaskPolicyArn: undefined }),
      'ValidationError',
      400,
      constraintMessage(null, 'taskPolicyArn', 'Member must not be null'),
    );
  });

  test('TargetPrincipal is required and names an account', async () => {
    await expectStsError(
      assumeRoot({ TargetPrincipal: undefined }),
      'ValidationError',
      400,
      constraintMessage(null, 'targetPrincipal', 'Member must not be null'),
    );
    await expectStsError(
      assumeRoot({ TargetPrincipal: 'arn:aws:iam::444455556666:user/x' }),
      'ValidationError',
      400,
      /TargetPrincipal/,
    );
  });

  test('only the management account or a delegated administrator, and only for member accounts', async () => {
    const member = demoUserKeys('member-dev');
    const memberArn = `arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:user/member-dev`;
    await expectStsError(
      assumeRoot({ TargetPrincipal: DEMO_DELEGATED_ADMIN_ACCOUNT }, member),
      'AccessDenied',
      403,
      denied(memberArn, DEMO_DELEGATED_ADMIN_ACCOUNT),
    );
    const alice = `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`;
    await expectStsError(
      assumeRoot({ TargetPrincipal: DEMO_ACCOUNT }),
      'AccessDenied',
      403,
      denied(alice, DEMO_ACCOUNT),
    );
    await expectStsError(
      assumeRoot({ TargetPrincipal: '999999999999' }),
      'AccessDenied',
      403,
      denied(alice, '999999999999'),
    );
  });

  test('not with root user credentials', async () => {
    await expectStsError(
      assumeRoot({}, demoRootKeys()),
      'AccessDenied',
      403,
      'AssumeRoot cannot be called with root user credentials.',
    );
  });

  test('not on the global endpoint', async () => {
    await expectStsError(
      assumeRoot({}, demoUserKeys('alice'), server().globalEndpoint),
      'InvalidAction',
      400,
      'Unknown Operation',
    );
  });
});
