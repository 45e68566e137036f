import { inspect } from 'node:util';
import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
} from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, REDACTED, demoConfig, startStsLocal, type StsLocal } from '../src';
import { client, demoRole, keysFrom, unsignedClient, userKeys } from './support/stsKit';

const ALICE = `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`;
const ALICE_MFA = `arn:aws:iam::${DEMO_ACCOUNT}:mfa/alice`;
const DEMO_IDP = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`;

let server: StsLocal;
beforeAll(async () => {
  server = await startStsLocal();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => server.clearCalls());

const anonymous = () => unsignedClient(server);

/** Every way the log could be shown: none may contain `secret`. */
function expectNowhereInLog(secrets: readonly string[]): void {
  const shown = [
    JSON.stringify(server.calls),
    inspect(server.calls, { depth: 10 }),
    String(server.calls.map((c) => Object.values(c).join(' '))),
  ];
  for (const secret of secrets) for (const text of shown) expect(text).not.toContain(secret);
}

describe('the calls log', () => {
  test('records operation, caller ARN, parameters and outcome of each request, oldest first', async () => {
    await client(server).send(new GetCallerIdentityCommand({}));
    await client(server)
      .send(new AssumeRoleCommand({ RoleArn: demoRole('external-id-role'), RoleSessionName: 'no-external-id' }))
      .catch(() => undefined);
    expect(server.calls).toEqual([
      expect.objectContaining({
        operation: 'GetCallerIdentity',
        callerArn: ALICE,
        accessKeyId: userKeys('alice').accessKeyId,
        params: {},
        outcome: 'success',
        status: 200,
        endpoint: 'regional',
        region: 'us-east-1',
        faults: [],
      }),
      expect.objectContaining({
        operation: 'AssumeRole',
        callerArn: ALICE,
        params: { RoleArn: demoRole('external-id-role'), RoleSessionName: 'no-external-id' },
        outcome: 'error',
        status: 403,
        errorCode: 'AccessDenied',
        errorMessage: expect.stringContaining('sts:AssumeRole') as unknown,
      }),
    ]);
    expect(server.calls[1]?.time).toBeGreaterThanOrEqual(server.calls[0]?.time ?? Number.NaN);
  });

  test('TokenCode is redacted, whether the code was right or wrong', async () => {
    const good = server.totp(ALICE_MFA);
    await client(server).send(
      new AssumeRoleCommand({
        RoleArn: demoRole('mfa-role'),
        RoleSessionName: 'mfa',
        SerialNumber: ALICE_MFA,
        TokenCode: good,
      }),
    );
    const wrong = good === '918273' ? '918274' : '918273';
    await client(server)
      .send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: wrong }))
      .catch(() => undefined);
    await client(server)
      .send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: 'CANARY' }))
      .catch(() => undefined);
    expect(server.calls.map((c) => [c.outcome, c.params.TokenCode, c.params.SerialNumber])).toEqual([
      ['success', REDACTED, ALICE_MFA],
      ['error', REDACTED, ALICE_MFA],
      ['error', REDACTED, ALICE_MFA],
    ]);
    expectNowhereInLog([good, wrong, 'CANARY']);
  });

  test('SAMLAssertion and WebIdentityToken are redacted, accepted or refused', async () => {
    const assertion = server.mintSamlAssertion({ roleArn: demoRole('saml-role') });
    await anonymous().send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: demoRole('saml-role'),
        PrincipalArn: DEMO_IDP,
        SAMLAssertion: assertion,
      }),
    );
    const samlCanary = Buffer.from('<CANARY-SAML-ASSERTION/>').toString('base64');
    await anonymous()
      .send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: demoRole('saml-role'),
          PrincipalArn: DEMO_IDP,
          SAMLAssertion: samlCanary,
        }),
      )
      .catch(() => undefined);
    const token = await server.mintWebIdentityToken({ subject: 'canary-subject' });
    await anonymous().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: demoRole('web-identity-role'),
        RoleSessionName: 'wi',
        WebIdentityToken: token,
      }),
    );
    const tokenCanary = 'CANARYHEADER.CANARYPAYLOAD.CANARYSIGNATURE';
    await anonymous()
      .send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: demoRole('web-identity-role'),
          RoleSessionName: 'wi',
          WebIdentityToken: tokenCanary,
        }),
      )
      .catch(() => undefined);
    expect(
      server.calls.map((c) => [
        c.operation,
        c.outcome,
        c.params.SAMLAssertion ?? c.params.WebIdentityToken,
        c.callerArn,
      ]),
    ).toEqual([
      ['AssumeRoleWithSAML', 'success', REDACTED, undefined],
      ['AssumeRoleWithSAML', 'error', REDACTED, undefined],
      ['AssumeRoleWithWebIdentity', 'success', REDACTED, undefined],
      ['AssumeRoleWithWebIdentity', 'error', REDACTED, undefined],
    ]);
    expectNowhereInLog([assertion, assertion.slice(40, 80), samlCanary, token, token.split('.')[2] ?? token, 'CANARY']);
  });

  test('ProvidedContexts assertions are redacted too', async () => {
    await client(server)
      .send(
        new AssumeRoleCommand({
          RoleArn: demoRole('demo-role'),
          RoleSessionName: 'ctx',
          ProvidedContexts: [
            {
              ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter',
              ContextAssertion: 'CANARY-CONTEXT-ASSERTION-0123456789',
            },
          ],
        }),
      )
      .catch(() => undefined);
    expect(server.calls[0]?.params['ProvidedContexts.member.1.ContextAssertion']).toBe(REDACTED);
    expect(server.calls[0]?.params['ProvidedContexts.member.1.ProviderArn']).toBe(
      'arn:aws:iam::aws:contextProvider/IdentityCenter',
    );
    expectNowhereInLog(['CANARY-CONTEXT-ASSERTION']);
  });

  test(
    'no secret access key or session token ever appears: not of the signer, ' + 'not of the credentials issued',
    async () => {
      const issued = await client(server).send(
        new AssumeRoleCommand({ RoleArn: demoRole('demo-role'), RoleSessionName: 'keys' }),
      );
      const session = keysFrom(issued.Credentials);
      await client(server, session).send(new GetCallerIdentityCommand({}));
      await client(server, { ...session, sessionToken: `${session.sessionToken}CANARY` })
        .send(new GetCallerIdentityCommand({}))
        .catch(() => undefined);
      expect(server.calls.map((c) => [c.operation, c.outcome, c.callerArn, c.accessKeyId])).toEqual([
        ['AssumeRole', 'success', ALICE, userKeys('alice').accessKeyId],
        [
          'GetCallerIdentity',
          'success',
          `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/keys`,
          session.accessKeyId,
        ],
        ['GetCallerIdentity', 'error', undefined, session.accessKeyId],
      ]);
      expectNowhereInLog([
        userKeys('alice').secretAccessKey,
        session.secretAccessKey,
        session.sessionToken ?? 'unreachable',
        'CANARY',
      ]);
    },
  );

  test('clearCalls empties the log; the array handed out is the live one', async () => {
    const log = server.calls;
    await client(server).send(new GetCallerIdentityCommand({}));
    expect(log).toHaveLength(1);
    server.clearCalls();
    expect(log).toHaveLength(0);
  });
});

describe('the server object', () => {
  test('util.inspect and JSON.stringify show where it listens, never the config it holds', async () => {
    const server = await startStsLocal();
    try {
      const secrets = (demoConfig.users ?? []).flatMap((u) => [
        ...(u.accessKeys ?? []).map((k) => k.secretAccessKey),
        ...(u.mfaDevices ?? []).map((d) => d.secretBase32),
      ]);
      expect(secrets.length).toBeGreaterThan(2);
      const shown = [inspect(server), inspect({ server }, { depth: 5 }), JSON.stringify(server)].join('\n');
      expect(shown).toContain(server.endpoint);
      for (const secret of secrets) expect(shown).not.toContain(secret);
      // The config itself stays reachable for code that asks for it.
      expect(server.config).toBe(demoConfig);
    } finally {
      await server.stop();
    }
  });
});
