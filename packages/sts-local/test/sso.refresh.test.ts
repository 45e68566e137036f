import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateTokenCommand } from '@aws-sdk/nested-clients/sso-oidc';
import { useFakeTimers } from '@credchain/testkit';
import {
  aliceAdminArn,
  oidcClient,
  readCache,
  sdkFromSso,
  ssoOf,
  useSsoSuite,
  writeSessionProfile,
} from './support/ssoKit';
import { client, refusal } from './support/stsKit';

const suite = useSsoSuite();

describe('token refresh through SSO OIDC CreateToken', () => {
  test('the SDK refreshes a token within 5 minutes of expiry and rewrites the cache file', async () => {
    const sso = ssoOf(suite.sts);
    const path = sso.writeTokenCache({
      home: suite.temp.home,
      sessionName: 'near-expiry',
      accessTokenTtlMs: 4 * 60_000,
    });
    const before = readCache(path);
    writeSessionProfile(suite.temp.configFile, { profile: 'dev', session: 'near-expiry' });

    const credentials = await sdkFromSso(sso, suite.temp.configFile, 'dev')();

    expect(suite.operations()).toEqual(['sso-oidc:CreateToken 200', 'sso:GetRoleCredentials 200']);
    const after = readCache(path);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken); // rotated, as AWS does
    expect(after).toMatchObject({
      clientId: before.clientId,
      clientSecret: before.clientSecret,
      registrationExpiresAt: before.registrationExpiresAt,
      startUrl: before.startUrl,
    });
    // A fresh hour (the SDK dates it by its own clock: expiresIn after now).
    expect(Date.parse(after.expiresAt ?? '') - suite.sts.now()).toBeGreaterThan(59 * 60_000);
    expect((await client(suite.sts, credentials).send(new GetCallerIdentityCommand({}))).Arn).toBe(aliceAdminArn);

    // The refresh token the SDK exchanged is spent; the one it wrote works.
    const exchange = (refreshToken: string | undefined) =>
      oidcClient(sso).send(
        new CreateTokenCommand({
          clientId: before.clientId,
          clientSecret: before.clientSecret,
          grantType: 'refresh_token',
          refreshToken,
        }),
      );
    expect(await refusal(exchange(before.refreshToken))).toMatchObject({ code: 'InvalidGrantException', status: 400 });
    expect((await exchange(after.refreshToken)).accessToken).toMatch(/^aoa/);
  });

  test('as the clock moves into the refresh window, the SDK refreshes; before it, it does not', async () => {
    useFakeTimers(Date.UTC(2026, 11, 6, 9, 0, 0));
    const sso = ssoOf(suite.sts);
    const path = sso.writeTokenCache({ home: suite.temp.home, sessionName: 'clock-moves' });
    const first = readCache(path);
    writeSessionProfile(suite.temp.configFile, { profile: 'dev', session: 'clock-moves' });
    const provider = sdkFromSso(sso, suite.temp.configFile, 'dev');

    await provider();
    jest.setSystemTime(Date.UTC(2026, 11, 6, 9, 54, 0)); // 6 min left: outside the SDK's 5-minute window
    await provider();
    expect(suite.operations()).toEqual(['sso:GetRoleCredentials 200', 'sso:GetRoleCredentials 200']);

    jest.setSystemTime(Date.UTC(2026, 11, 6, 9, 56, 0)); // 4 min left
    await provider();
    expect(suite.operations().slice(2)).toEqual(['sso-oidc:CreateToken 200', 'sso:GetRoleCredentials 200']);
    expect(readCache(path).accessToken).not.toBe(first.accessToken);
    expect(readCache(path).expiresAt).toBe('2026-12-06T10:56:00.000Z');
  });

  test('past the 8-hour sign-in the refresh token is refused, and the SDK asks for `aws sso login`', async () => {
    useFakeTimers(Date.UTC(2026, 11, 6, 9, 0, 0));
    const sso = ssoOf(suite.sts);
    const path = sso.writeTokenCache({ home: suite.temp.home, sessionName: 'session-over' });
    writeSessionProfile(suite.temp.configFile, { profile: 'dev', session: 'session-over' });
    const { clientId, clientSecret, refreshToken } = readCache(path);

    jest.setSystemTime(Date.UTC(2026, 11, 6, 17, 0, 1));
    const direct = await refusal(
      oidcClient(sso).send(
        new CreateTokenCommand({ clientId, clientSecret, grantType: 'refresh_token', refreshToken }),
      ),
    );
    const viaSdk = await sdkFromSso(sso, suite.temp.configFile, 'dev')().then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(direct).toMatchObject({ code: 'InvalidGrantException', status: 400 });
    expect(viaSdk?.message).toMatch(/Token is expired.*aws sso login/);
    expect(suite.operations()).toEqual([
      'sso-oidc:CreateToken InvalidGrantException',
      'sso-oidc:CreateToken InvalidGrantException',
    ]);
  });
});
