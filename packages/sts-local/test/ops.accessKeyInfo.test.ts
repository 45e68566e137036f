import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetFederationTokenCommand } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, DEMO_DELEGATED_ADMIN_ACCOUNT, DEMO_MEMBER_ACCOUNT, startStsLocal } from '../src';
import {
  asIdentity,
  constraintMessage,
  demoRootKeys,
  demoUserKeys,
  expectStsError,
  roleArn,
  stsClient,
  useStsLocal,
} from './helpers/ops';

const server = useStsLocal();
const keyInfo = (AccessKeyId: string | undefined, keys = demoUserKeys('alice')) =>
  stsClient(server().endpoint, keys).send(new GetAccessKeyInfoCommand({ AccessKeyId }));

describe('GetAccessKeyInfo', () => {
  test("answers the account of any configured long-term key, not only the caller's", async () => {
    expect((await keyInfo(demoUserKeys('alice').accessKeyId)).Account).toBe(DEMO_ACCOUNT);
    expect((await keyInfo(demoRootKeys().accessKeyId)).Account).toBe(DEMO_ACCOUNT);
    expect((await keyInfo(demoUserKeys('member-dev').accessKeyId)).Account).toBe(DEMO_MEMBER_ACCOUNT);
    expect((await keyInfo(demoUserKeys('security-admin').accessKeyId)).Account).toBe(DEMO_DELEGATED_ADMIN_ACCOUNT);
  });

  test('answers for temporary keys it issued', async () => {
    const out = await stsClient(server().endpoint, demoUserKeys('alice')).send(
      new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'k1' }),
    );
    expect((await keyInfo(out.Credentials?.AccessKeyId)).Account).toBe(DEMO_ACCOUNT);
  });

  test('decodes the account from a key ID it never saw, as STS does from the ID itself', async () => {
    // A temporary key issued by another sts-local: this server has no record of it.
    const other = await startStsLocal();
    let foreign: string | undefined;
    try {
      const out = await stsClient(other.endpoint, demoUserKeys('member-dev')).send(
        new GetFederationTokenCommand({ Name: 'far' }),
      );
      foreign = out.Credentials?.AccessKeyId;
    } finally {
      await other.stop();
    }
    expect((await keyInfo(foreign)).Account).toBe(DEMO_MEMBER_ACCOUNT);
  });

  test(
    'decodes a real AWS key ID the way STS does (a published example: ' +
      'ASIAY34FZKBOKMUTVV7A belongs to 609629065308)',
    async () => {
      expect((await keyInfo('ASIAY34FZKBOKMUTVV7A')).Account).toBe('609629065308');
    },
  );

  test('AccessKeyId is required, 16–128 word characters', async () => {
    await expectStsError(
      keyInfo(undefined),
      'ValidationError',
      400,
      constraintMessage(null, 'accessKeyId', 'Member must not be null'),
    );
    await expectStsError(
      keyInfo('AKIASHORT'),
      'ValidationError',
      400,
      constraintMessage('AKIASHORT', 'accessKeyId', 'Member must have length greater than or equal to 16'),
    );
    await expectStsError(
      keyInfo('AKIA-HAS-DASHES-0000'),
      'ValidationError',
      400,
      constraintMessage(
        'AKIA-HAS-DASHES-0000',
        'accessKeyId',
        'Member must satisfy regular expression pattern: [\\w]*',
      ),
    );
  });

  test('may be called with role-session credentials', async () => {
    const out = await stsClient(server().endpoint, demoUserKeys('alice')).send(
      new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'k2' }),
    );
    expect((await keyInfo(demoUserKeys('bob').accessKeyId, asIdentity(out.Credentials))).Account).toBe(DEMO_ACCOUNT);
  });
});
