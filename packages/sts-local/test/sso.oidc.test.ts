import { CreateTokenCommand, type CreateTokenCommandInput } from '@aws-sdk/nested-clients/sso-oidc';
import { GetRoleCredentialsCommand } from '@aws-sdk/nested-clients/sso';
import { DEMO_ACCOUNT, startStsLocal, type SsoTokenSet, type StsLocal } from '../src';
import { ADMIN_SET, oidcClient, portalClient, ssoOf } from './support/ssoKit';
import { raw, refusal, withServer } from './support/stsKit';

let sts: StsLocal;
beforeAll(async () => {
  sts = await startStsLocal({ sso: true });
});
afterAll(() => sts.stop());

const refreshWith = (server: StsLocal, tokens: SsoTokenSet, overrides: Partial<CreateTokenCommandInput> = {}) =>
  oidcClient(ssoOf(server)).send(
    new CreateTokenCommand({
      clientId: tokens.clientId,
      clientSecret: tokens.clientSecret,
      grantType: 'refresh_token',
      refreshToken: tokens.refreshToken,
      ...overrides,
    }),
  );

describe('SSO OIDC CreateToken (refresh_token grant)', () => {
  test('answers a new access token, Bearer, 3600 s, and a new refresh token that works at the portal', async () => {
    const tokens = ssoOf(sts).login({ sessionName: 'oidc' });

    const answer = await refreshWith(sts, tokens);

    expect(answer).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(answer.accessToken).not.toBe(tokens.accessToken);
    expect(answer.refreshToken).toMatch(/^aor/);
    expect(answer.refreshToken).not.toBe(tokens.refreshToken);
    const { roleCredentials } = await portalClient(ssoOf(sts)).send(
      new GetRoleCredentialsCommand({ accessToken: answer.accessToken, accountId: DEMO_ACCOUNT, roleName: ADMIN_SET }),
    );
    expect(roleCredentials?.accessKeyId).toMatch(/^ASIA/);
  });

  test.each([
    ['revoked', (tokens: SsoTokenSet) => Promise.resolve(ssoOf(sts).revoke(tokens.accessToken))],
    ['expired', (tokens: SsoTokenSet) => Promise.resolve(ssoOf(sts).expire(tokens.refreshToken ?? ''))],
    ['already exchanged', async (tokens: SsoTokenSet) => void (await refreshWith(sts, tokens))],
  ])('a %s refresh token is refused with InvalidGrantException (invalid_grant)', async (_, spoil) => {
    const tokens = ssoOf(sts).login({ sessionName: 'spoiled' });
    await spoil(tokens);

    const error = await refreshWith(sts, tokens).then(
      () => undefined,
      (e: unknown) => e as { name: string; error?: string; $metadata?: { httpStatusCode?: number } },
    );

    expect(error).toMatchObject({ name: 'InvalidGrantException', error: 'invalid_grant' });
    expect(error?.$metadata?.httpStatusCode).toBe(400);
  });

  test('a refresh token presented by another registered client is refused', async () => {
    const alice = ssoOf(sts).login({ sessionName: 'one' });
    const other = ssoOf(sts).login({ sessionName: 'two' });

    expect(
      await refusal(refreshWith(sts, alice, { clientId: other.clientId, clientSecret: other.clientSecret })),
    ).toMatchObject({ code: 'InvalidGrantException' });
  });

  test('a wrong client secret is 401 InvalidClientException; an expired registration too', async () => {
    const tokens = ssoOf(sts).login({ sessionName: 'client', registrationTtlMs: 60_000 });

    expect(await refusal(refreshWith(sts, tokens, { clientSecret: `${tokens.clientSecret}x` }))).toMatchObject({
      code: 'InvalidClientException',
      status: 401,
    });
    sts.advanceTime(61_000);
    try {
      expect(await refusal(refreshWith(sts, tokens))).toMatchObject({ code: 'InvalidClientException', status: 401 });
    } finally {
      sts.advanceTime(-61_000);
    }
  });

  test('other grants are UnsupportedGrantTypeException; a legacy sign-in has no refresh token', async () => {
    const tokens = ssoOf(sts).login({ sessionName: 'grants' });
    const legacy = ssoOf(sts).login();

    for (const grantType of ['client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'])
      expect(await refusal(refreshWith(sts, tokens, { grantType }))).toMatchObject({
        code: 'UnsupportedGrantTypeException',
        status: 400,
      });
    expect(legacy.refreshToken).toBeUndefined();
    expect(await refusal(refreshWith(sts, tokens, { refreshToken: undefined }))).toMatchObject({
      code: 'InvalidRequestException',
    });
  });

  test("lifetimes follow timeScale and the server's clock: 1 h × 0.01 is 36 s", async () => {
    await withServer({ sso: true, timeScale: 0.01 }, async (scaled) => {
      const sso = ssoOf(scaled);
      const tokens = sso.login({ sessionName: 'scaled' });
      expect(tokens.expiresAt - scaled.now()).toBeLessThanOrEqual(36_000);
      expect(tokens.expiresAt - scaled.now()).toBeGreaterThan(34_000);

      expect((await refreshWith(scaled, tokens)).expiresIn).toBe(36);
      // No access token outlives the sign-in it comes from.
      const late = await refreshWith(scaled, sso.login({ sessionName: 'late', sessionDurationMs: 10_000 }));
      expect(late.expiresIn).toBeLessThanOrEqual(10);
    });
  });
});

describe('SSO OIDC RegisterClient', () => {
  test('registers a public client whose secret expires in 90 days', async () => {
    const answer = await raw(ssoOf(sts).endpoint, {
      path: '/client/register',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        clientName: 'botocore-client-test',
        clientType: 'public',
        scopes: ['sso:account:access'],
      }),
    });
    const body = JSON.parse(answer.body) as Record<string, unknown>;

    expect(answer.status).toBe(200);
    expect(typeof body.clientId).toBe('string');
    expect(typeof body.clientSecret).toBe('string');
    expect(body.clientSecretExpiresAt).toBe(Number(body.clientIdIssuedAt) + 90 * 86400);
  });

  test('refuses a confidential client type', async () => {
    const answer = await raw(ssoOf(sts).endpoint, {
      path: '/client/register',
      body: JSON.stringify({ clientName: 'x', clientType: 'confidential' }),
    });

    expect(answer.status).toBe(400);
    expect(answer.headers['x-amzn-errortype']).toBe('InvalidClientMetadataException');
  });
});
