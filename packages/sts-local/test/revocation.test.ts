import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { asIdentity, demoUserKeys, expectStsError, roleArn, stsClient, useStsLocal } from './helpers/ops';
import type { Keys } from './helpers/ops';

// Sessions revoked after they were issued: one session (InvalidClientTokenId, as for a token STS does not
// accept) and a role's sessions issued before a time (IAM's "revoke active sessions": AccessDenied by an
// explicit deny on aws:TokenIssueTime, GetCallerIdentity excepted).

const server = useStsLocal();
const alice = () => stsClient(server().endpoint, demoUserKeys('alice'));
const INVALID = 'The security token included in the request is invalid.';

async function roleSession(name = 'demo-role', session = 'revoked'): Promise<Keys> {
  const out = await alice().send(new AssumeRoleCommand({ RoleArn: roleArn(name), RoleSessionName: session }));
  return asIdentity(out.Credentials);
}
const whoAmI = (keys: Keys) => stsClient(server().endpoint, keys).send(new GetCallerIdentityCommand({}));
const chain = (keys: Keys) =>
  stsClient(server().endpoint, keys).send(
    new AssumeRoleCommand({ RoleArn: roleArn('chained-role'), RoleSessionName: 'chained' }),
  );

describe('revokeSession(accessKeyId)', () => {
  test('later requests signed with the session answer InvalidClientTokenId; other sessions work', async () => {
    const revoked = await roleSession();
    const other = await roleSession();
    await whoAmI(revoked);
    expect(server().revokeSession(revoked.accessKeyId)).toBe(true);
    await expectStsError(whoAmI(revoked), 'InvalidClientTokenId', 403, INVALID);
    await expectStsError(chain(revoked), 'InvalidClientTokenId', 403, INVALID);
    await expect(whoAmI(other)).resolves.toMatchObject({
      Arn: expect.stringContaining('assumed-role/demo-role') as unknown,
    });
    const logged = server().calls.at(-2)!;
    expect(logged).toMatchObject({ errorCode: 'InvalidClientTokenId', accessKeyId: revoked.accessKeyId });
  });

  test('works for GetSessionToken sessions; unknown keys and long-term keys are not sessions', async () => {
    const out = await alice().send(new GetSessionTokenCommand({}));
    const session = asIdentity(out.Credentials);
    expect(server().revokeSession(session.accessKeyId)).toBe(true);
    await expectStsError(whoAmI(session), 'InvalidClientTokenId', 403, INVALID);
    expect(server().revokeSession('ASIANOTISSUEDBYUS000')).toBe(false);
    expect(server().revokeSession(demoUserKeys('alice').accessKeyId)).toBe(false);
    await whoAmI(demoUserKeys('alice'));
  });
});

describe('revokeRoleSessions(roleArn, issuedBefore)', () => {
  test('sessions issued before are denied every action but GetCallerIdentity; later sessions work', async () => {
    const old = await roleSession();
    server().advanceTime(1_000);
    expect(server().revokeRoleSessions(roleArn('demo-role'))).toBeGreaterThanOrEqual(1);
    await expectStsError(
      chain(old),
      'AccessDenied',
      403,
      /^User: arn:aws:sts::\d{12}:assumed-role\/demo-role\/revoked is not authorized to perform: sts:AssumeRole with an explicit deny in an identity-based policy$/,
    );
    // GetCallerIdentity needs no permission and cannot be denied.
    await expect(whoAmI(old)).resolves.toMatchObject({ Arn: expect.stringContaining('demo-role/revoked') as unknown });
    server().advanceTime(1_000);
    const fresh = await roleSession();
    await expect(chain(fresh)).resolves.toMatchObject({ Credentials: expect.anything() as unknown });
  });

  test('issuedBefore in the past spares the sessions issued since; the later of two revocations stands', async () => {
    const first = await roleSession();
    server().advanceTime(10_000);
    const cut = server().now();
    server().advanceTime(10_000);
    const second = await roleSession();
    expect(server().revokeRoleSessions(roleArn('demo-role'), cut)).toBeGreaterThanOrEqual(1);
    await expectStsError(chain(first), 'AccessDenied', 403, /explicit deny/);
    await expect(chain(second)).resolves.toMatchObject({ Credentials: expect.anything() as unknown });
    // An earlier instant does not undo the later revocation.
    server().revokeRoleSessions(roleArn('demo-role'), cut - 60_000);
    await expectStsError(chain(first), 'AccessDenied', 403, /explicit deny/);
    // Another role's sessions and users are untouched.
    await alice().send(new GetSessionTokenCommand({}));
  });

  test('refuses an issuedBefore that is not a time', () => {
    expect(() => server().revokeRoleSessions(roleArn('demo-role'), Number.NaN)).toThrow(/issuedBefore/);
  });
});
