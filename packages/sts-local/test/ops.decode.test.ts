import { AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetFederationTokenCommand } from '@aws-sdk/client-sts';
import {
  asIdentity,
  constraintMessage,
  demoUserKeys,
  expectStsError,
  roleArn,
  stsClient,
  useStsLocal,
  withStsLocal,
} from './helpers/ops';

const server = useStsLocal();
const decode = (EncodedMessage: string | undefined, keys = demoUserKeys('alice'), endpoint = server().endpoint) =>
  stsClient(endpoint, keys).send(new DecodeAuthorizationMessageCommand({ EncodedMessage }));
const INVALID = 'The encoded message is not valid or was not created by this service.';

const message = {
  allowed: false,
  explicitDeny: false,
  matchedStatements: { items: [] },
  failures: { items: [] },
  context: {
    principal: { id: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/alice' },
    action: 'ec2:RunInstances',
    resource: '*',
  },
};

describe('DecodeAuthorizationMessage', () => {
  test('decodes a message the server encoded, returning the JSON text', async () => {
    const out = await decode(server().encodeAuthorizationMessage(message));
    expect(JSON.parse(out.DecodedMessage ?? '')).toEqual(message);
  });

  test('a plain string round-trips as is', async () => {
    expect((await decode(server().encodeAuthorizationMessage('just text'))).DecodedMessage).toBe('just text');
  });

  test('role sessions may call it', async () => {
    const role = await stsClient(server().endpoint, demoUserKeys('alice')).send(
      new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'd1' }),
    );
    await expect(
      decode(server().encodeAuthorizationMessage('x1'), asIdentity(role.Credentials)),
    ).resolves.toHaveProperty('DecodedMessage', 'x1');
  });

  test(
    'garbage, a tampered message and one made with another seed ' + '→ InvalidAuthorizationMessageException',
    async () => {
      await expectStsError(decode('not-an-encoded-message'), 'InvalidAuthorizationMessageException', 400, INVALID);
      const good = server().encodeAuthorizationMessage(message);
      const flipped = `${good.slice(0, 40)}${good[40] === 'A' ? 'B' : 'A'}${good.slice(41)}`;
      await expectStsError(decode(flipped), 'InvalidAuthorizationMessageException', 400, INVALID);
      const foreign = await withStsLocal({ authorizationMessageSeed: 'another-seed' }, async (s) =>
        s.encodeAuthorizationMessage(message),
      );
      await expectStsError(decode(foreign), 'InvalidAuthorizationMessageException', 400, INVALID);
    },
  );

  test('EncodedMessage is required, 1–10240 characters', async () => {
    await expectStsError(
      decode(undefined),
      'ValidationError',
      400,
      constraintMessage(null, 'encodedMessage', 'Member must not be null'),
    );
    const long = 'A'.repeat(10241);
    await expectStsError(
      decode(long),
      'ValidationError',
      400,
      constraintMessage(
        `${long.slice(0, 128)}…`,
        'encodedMessage',
        'Member must have length less than or equal to 10240',
      ),
    );
  });

  test('federated sessions may not call it', async () => {
    const fed = await stsClient(server().endpoint, demoUserKeys('alice')).send(
      new GetFederationTokenCommand({ Name: 'fed-d' }),
    );
    await expectStsError(
      decode(server().encodeAuthorizationMessage('x'), asIdentity(fed.Credentials)),
      'AccessDenied',
      403,
      /sts:DecodeAuthorizationMessage/,
    );
  });
});
