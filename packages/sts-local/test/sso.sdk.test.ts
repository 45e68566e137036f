import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetRoleCredentialsCommand } from '@aws-sdk/nested-clients/sso';
import { DEMO_ACCOUNT, DEMO_MEMBER_ACCOUNT } from '../src';
import { CHAINING_LIMIT_MESSAGE } from '../src/operations/roleSession';
import {
  ADMIN_SET,
  READ_ONLY_ROLE,
  READ_ONLY_SET,
  aliceAdminArn,
  portalClient,
  readCache,
  sdkFromSso,
  ssoOf,
  useSsoSuite,
  writeLegacyProfile,
  writeSessionProfile,
} from './support/ssoKit';
import { client, demoRole, refusal } from './support/stsKit';

const suite = useSsoSuite();

describe('the SDK fromSSO against sts-local', () => {
  test('an sso_session profile and the `aws sso login` cache file give credentials that sign STS calls', async () => {
    const sso = ssoOf(suite.sts);
    sso.writeTokenCache({ home: suite.temp.home, sessionName: 'my-sso' });
    writeSessionProfile(suite.temp.configFile, { profile: 'dev', session: 'my-sso' });

    const credentials = await sdkFromSso(sso, suite.temp.configFile, 'dev')();
    const identity = await client(suite.sts, credentials).send(new GetCallerIdentityCommand({}));

    expect(identity.Arn).toBe(aliceAdminArn);
    expect(identity.Account).toBe(DEMO_ACCOUNT);
    expect(identity.UserId).toMatch(/^AROA[A-Z0-9]+:alice$/);
    expect(suite.operations()).toEqual(['sso:GetRoleCredentials 200', 'GetCallerIdentity 200']);
  });

  test('a legacy sso_start_url profile reads the token cached under the start URL', async () => {
    const sso = ssoOf(suite.sts);
    const path = sso.writeTokenCache({ home: suite.temp.home, user: 'bob' });
    expect(readCache(path).refreshToken).toBeUndefined();
    writeLegacyProfile(suite.temp.configFile, { profile: 'legacy', account: DEMO_MEMBER_ACCOUNT, role: READ_ONLY_SET });

    const credentials = await sdkFromSso(sso, suite.temp.configFile, 'legacy')();
    const identity = await client(suite.sts, credentials).send(new GetCallerIdentityCommand({}));

    expect(identity.Arn).toBe(`arn:aws:sts::${DEMO_MEMBER_ACCOUNT}:assumed-role/${READ_ONLY_ROLE}/bob`);
  });

  test("the credentials last the permission set's session duration, on sts-local's clock", async () => {
    const sso = ssoOf(suite.sts);
    sso.writeTokenCache({ home: suite.temp.home, sessionName: 'durations' });
    writeSessionProfile(suite.temp.configFile, {
      profile: 'ro',
      session: 'durations',
      account: DEMO_MEMBER_ACCOUNT,
      role: READ_ONLY_SET,
    });
    const before = suite.sts.now();

    const credentials = await sdkFromSso(sso, suite.temp.configFile, 'ro')();
    const after = suite.sts.now();

    // ReadOnlyAccess sets 8 hours in the demo config, from when sts-local answered (between `before` and
    // `after`); the expiration is in whole seconds, so up to a second less.
    const expiration = (credentials as { expiration?: Date }).expiration!.getTime();
    expect(expiration).toBeGreaterThan(before + 8 * 3600_000 - 1000);
    expect(expiration).toBeLessThanOrEqual(after + 8 * 3600_000);
  });

  test('AssumeRole from the SSO credentials is role chaining: one hour at most', async () => {
    const sso = ssoOf(suite.sts);
    sso.writeTokenCache({ home: suite.temp.home, sessionName: 'chain' });
    writeSessionProfile(suite.temp.configFile, { profile: 'dev', session: 'chain' });
    const asAlice = client(suite.sts, await sdkFromSso(sso, suite.temp.configFile, 'dev')());

    const chained = await asAlice.send(
      new AssumeRoleCommand({ RoleArn: demoRole('demo-role'), RoleSessionName: 'from-sso' }),
    );
    const tooLong = await refusal(
      asAlice.send(
        new AssumeRoleCommand({ RoleArn: demoRole('demo-role'), RoleSessionName: 'too-long', DurationSeconds: 7200 }),
      ),
    );

    expect(chained.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/from-sso`);
    expect(tooLong).toMatchObject({ code: 'ValidationError', message: CHAINING_LIMIT_MESSAGE });
  });

  test('a token sts-local considers expired is refused with 401 UnauthorizedException', async () => {
    const sso = ssoOf(suite.sts);
    const tokens = sso.login({ sessionName: 'expired' });
    sso.writeTokenCache({ home: suite.temp.home, tokens });
    writeSessionProfile(suite.temp.configFile, { profile: 'dev', session: 'expired' });
    // Only the server's clock moves: the SDK still believes the cached token good and sends it.
    suite.sts.advanceTime(61 * 60_000);

    const viaProvider = await sdkFromSso(sso, suite.temp.configFile, 'dev')().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    const direct = await refusal(
      portalClient(sso).send(
        new GetRoleCredentialsCommand({
          accessToken: tokens.accessToken,
          accountId: DEMO_ACCOUNT,
          roleName: ADMIN_SET,
        }),
      ),
    );

    expect(viaProvider?.name).toBe('CredentialsProviderError');
    expect(viaProvider?.message).toContain('UnauthorizedException: Session token not found or invalid');
    expect(direct).toMatchObject({ code: 'UnauthorizedException', status: 401 });
    expect(suite.operations()).toEqual([
      'sso:GetRoleCredentials UnauthorizedException',
      'sso:GetRoleCredentials UnauthorizedException',
    ]);
    suite.sts.advanceTime(-61 * 60_000);
  });

  test('a revoked sign-in is refused with 401, a user without the assignment with 403 "No access"', async () => {
    const sso = ssoOf(suite.sts);
    const alice = sso.login({ sessionName: 'revoked' });
    const bob = sso.login({ user: 'bob', sessionName: 'bob' });
    sso.revoke(alice.refreshToken!);
    const ask = (accessToken: string, accountId: string, roleName: string) =>
      refusal(portalClient(sso).send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName })));

    expect(await ask(alice.accessToken, DEMO_ACCOUNT, ADMIN_SET)).toMatchObject({
      code: 'UnauthorizedException',
      status: 401,
    });
    for (const [account, set] of [
      [DEMO_ACCOUNT, ADMIN_SET], // exists, not assigned to bob
      [DEMO_ACCOUNT, 'NoSuchSet'],
      ['999999999999', READ_ONLY_SET],
    ] as const) {
      expect(await ask(bob.accessToken, account, set)).toMatchObject({
        code: 'ForbiddenException',
        status: 403,
        message: 'No access',
      });
    }
  });
});
