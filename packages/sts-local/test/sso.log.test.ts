import { inspect } from 'node:util';
import { GetRoleCredentialsCommand } from '@aws-sdk/nested-clients/sso';
import { CreateTokenCommand } from '@aws-sdk/nested-clients/sso-oidc';
import { DEMO_ACCOUNT, REDACTED, startStsLocal, type StsLocal } from '../src';
import { ADMIN_SET, aliceAdminArn, oidcClient, portalClient, readCache, ssoOf, useTempHome } from './support/ssoKit';
import { client, raw, refusal } from './support/stsKit';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

let sts: StsLocal;
beforeAll(async () => {
  sts = await startStsLocal({ sso: true });
});
afterAll(() => sts.stop());
beforeEach(() => {
  sts.clearCalls();
  sts.clearFaults();
});

const getRoleCredentials = (accessToken: string) =>
  portalClient(ssoOf(sts)).send(
    new GetRoleCredentialsCommand({ accessToken, accountId: DEMO_ACCOUNT, roleName: ADMIN_SET }),
  );

describe('the calls log of the SSO endpoint', () => {
  test('records each request with its operation and parameters, tokens and client secrets redacted', async () => {
    const sso = ssoOf(sts);
    const tokens = sso.login({ sessionName: 'logged' });
    const { roleCredentials } = await getRoleCredentials(tokens.accessToken);
    const refreshed = await oidcClient(sso).send(
      new CreateTokenCommand({
        clientId: tokens.clientId,
        clientSecret: tokens.clientSecret,
        grantType: 'refresh_token',
        refreshToken: tokens.refreshToken,
      }),
    );

    expect(sts.calls).toEqual([
      expect.objectContaining({
        operation: 'sso:GetRoleCredentials',
        endpoint: 'sso',
        region: 'us-east-1',
        params: { role_name: ADMIN_SET, account_id: DEMO_ACCOUNT, 'x-amz-sso_bearer_token': REDACTED },
        status: 200,
        outcome: 'success',
        callerArn: aliceAdminArn,
        accessKeyId: roleCredentials?.accessKeyId,
      }),
      expect.objectContaining({
        operation: 'sso-oidc:CreateToken',
        params: {
          clientId: tokens.clientId,
          clientSecret: REDACTED,
          grantType: 'refresh_token',
          refreshToken: REDACTED,
        },
        status: 200,
      }),
    ]);
    const secrets = [
      tokens.accessToken,
      tokens.refreshToken ?? '',
      tokens.clientSecret,
      refreshed.accessToken ?? '',
      refreshed.refreshToken ?? '',
      roleCredentials?.secretAccessKey ?? '',
      roleCredentials?.sessionToken ?? '',
    ];
    const shown = [
      JSON.stringify(sts.calls),
      inspect(sts.calls, { depth: 10 }),
      JSON.stringify(sts),
      inspect(sts, { depth: 10 }),
      JSON.stringify(tokens),
      inspect(tokens),
    ];
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(20);
      for (const text of shown) expect(text).not.toContain(secret);
    }
    expect(JSON.stringify(sts)).toContain(`"ssoEndpoint":"${sso.endpoint}"`);
    expect(inspect(tokens)).toMatch(/^SsoTokenSet \{"user":"alice",.*"refreshable":true\}$/);
  });

  test('refusals are logged with the error type; their messages quote no token', async () => {
    const tokens = ssoOf(sts).login();
    ssoOf(sts).revoke(tokens.accessToken);
    await refusal(getRoleCredentials(tokens.accessToken));
    await raw(ssoOf(sts).endpoint, { path: '/token', body: '{not json' });
    await raw(ssoOf(sts).endpoint, { method: 'GET', path: '/nowhere' });

    expect(sts.calls.map((c) => [c.operation, c.status, c.errorCode])).toEqual([
      ['sso:GetRoleCredentials', 401, 'UnauthorizedException'],
      ['sso-oidc:CreateToken', 400, 'InvalidRequestException'],
      [undefined, 404, 'UnknownOperationException'],
    ]);
    expect(JSON.stringify(sts.calls)).not.toContain(tokens.accessToken);
  });
});

describe('fault injection on the SSO endpoint', () => {
  test('a throttle on sso:GetRoleCredentials reaches the SDK as 429 TooManyRequestsException', async () => {
    const tokens = ssoOf(sts).login();
    sts.injectFault({ kind: 'throttle', operation: 'sso:GetRoleCredentials' });

    expect(await refusal(getRoleCredentials(tokens.accessToken))).toMatchObject({
      code: 'TooManyRequestsException',
      status: 429,
    });
    expect((await getRoleCredentials(tokens.accessToken)).roleCredentials?.accessKeyId).toMatch(/^ASIA/);
    expect(sts.calls.map((c) => c.faults)).toEqual([['throttle'], []]);
  });

  test('sso-oidc:* faults hit CreateToken; a server error there is InternalServerException (500)', async () => {
    const tokens = ssoOf(sts).login({ sessionName: 'faulty' });
    sts.injectFault({ kind: 'server-error', operation: 'sso-oidc:*' });

    const error = await refusal(
      oidcClient(ssoOf(sts)).send(
        new CreateTokenCommand({
          clientId: tokens.clientId,
          clientSecret: tokens.clientSecret,
          grantType: 'refresh_token',
          refreshToken: tokens.refreshToken,
        }),
      ),
    );

    expect(error).toMatchObject({ code: 'InternalServerException', status: 500 });
  });

  test('a dropped connection is logged as dropped; STS rules (`*`) leave the SSO endpoint alone', async () => {
    const temp = useTempHome();
    try {
      const path = ssoOf(sts).writeTokenCache({ home: temp.home });
      const { accessToken = '' } = readCache(path);
      sts.injectFault({ kind: 'throttle', operation: '*', count: 5 });
      sts.injectFault({ kind: 'drop', operation: 'sso:GetRoleCredentials' });

      await expect(getRoleCredentials(accessToken)).rejects.toThrow();
      const { roleCredentials } = await getRoleCredentials(accessToken);

      expect(sts.calls.map((c) => [c.outcome, c.faults])).toEqual([
        ['dropped', ['drop']],
        ['success', []],
      ]);
      const keys = {
        accessKeyId: roleCredentials?.accessKeyId ?? '',
        secretAccessKey: roleCredentials?.secretAccessKey ?? '',
        sessionToken: roleCredentials?.sessionToken ?? '',
      };
      // The `*` rule still fires on STS.
      expect(await refusal(client(sts, keys).send(new GetCallerIdentityCommand({})))).toMatchObject({
        code: 'Throttling',
      });
    } finally {
      temp.restore();
    }
  });
});
