import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  DecodeAuthorizationMessageCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { reportPeerMissing } from '@credchain/testkit';
import { exportJWK, generateKeyPair } from 'jose';
import { DEMO_ACCOUNT, DEMO_OIDC_ISSUER, encodeAuthorizationMessage, type StsLocal, type StsLocalConfig } from '../src';
import { client, demoRole, refusal, unsignedClient, userKeys, withServer } from './support/stsKit';

const DEMO_IDP = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`;
const NOW = Date.UTC(2031, 2, 3, 4, 5, 6);

const anonymous = unsignedClient;

/** A client whose clock agrees with a server started on a fixed clock (the SDK signs with its own). */
const signedAt = (server: StsLocal) =>
  new STSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    systemClockOffset: server.now() - Date.now(),
    credentials: userKeys('alice'),
  });

describe('mintSamlAssertion: assertions the server’s own AssumeRoleWithSAML accepts', () => {
  test('for the demo provider, signed with the built-in demo material', async () => {
    await withServer({ clock: { now: () => NOW } }, async (server) => {
      const SAMLAssertion = server.mintSamlAssertion({
        roleArn: demoRole('saml-role'),
        principalArn: DEMO_IDP,
        subject: 'carol@corp.example',
      });
      const out = await anonymous(server).send(
        new AssumeRoleWithSAMLCommand({ RoleArn: demoRole('saml-role'), PrincipalArn: DEMO_IDP, SAMLAssertion }),
      );
      expect(out).toMatchObject({
        Subject: 'carol@corp.example',
        SubjectType: 'persistent',
        Issuer: 'https://idp.credchain.example/demo-idp',
        Audience: 'https://signin.aws.amazon.com/saml',
        AssumedRoleUser: { Arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/saml-role/carol@corp.example` },
      });
      expect(out.Credentials?.Expiration?.getTime()).toBe(NOW + 3600_000);
    });
  });

  test(
    'principalArn defaults to the provider the role trusts; ' +
      'roleSessionName, sourceIdentity and sessionNotOnOrAfter are carried',
    async () => {
      await withServer({ clock: { now: () => NOW } }, async (server) => {
        const SAMLAssertion = server.mintSamlAssertion({
          roleArn: demoRole('saml-role'),
          roleSessionName: 'carol',
          sessionNotOnOrAfter: NOW + 900_000,
          sourceIdentity: 'carol-src',
        });
        const out = await anonymous(server).send(
          new AssumeRoleWithSAMLCommand({ RoleArn: demoRole('saml-role'), PrincipalArn: DEMO_IDP, SAMLAssertion }),
        );
        expect(out.AssumedRoleUser?.Arn).toMatch(/assumed-role\/saml-role\/carol$/);
        expect(out.SourceIdentity).toBe('carol-src');
        expect(out.Credentials?.Expiration?.getTime()).toBe(NOW + 900_000);
      });
    },
  );

  test('the assertion is dated by the server clock: after advanceTime past its lifetime STS refuses it', async () => {
    await withServer({ clock: { now: () => NOW } }, async (server) => {
      const SAMLAssertion = server.mintSamlAssertion({ roleArn: demoRole('saml-role'), lifetimeSeconds: 60 });
      server.advanceTime(61_000);
      const got = await refusal(
        anonymous(server).send(
          new AssumeRoleWithSAMLCommand({ RoleArn: demoRole('saml-role'), PrincipalArn: DEMO_IDP, SAMLAssertion }),
        ),
      );
      expect(got).toMatchObject({ code: 'ExpiredTokenException', status: 400 });
    });
  });

  test('a provider with its own certificate: its key comes from signingKeys or the call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sts-local-idp-'));
    try {
      const made = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '2',
          '-subj',
          '/CN=corp-idp',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { encoding: 'utf8' },
      );
      if (made.error !== undefined || made.status !== 0) {
        reportPeerMissing('openssl');
        return;
      }
      const material = {
        privateKeyPem: readFileSync(join(dir, 'key.pem'), 'utf8'),
        certificatePem: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      };
      const corpIdp = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/corp-idp`;
      const config: StsLocalConfig = {
        accounts: [{ id: DEMO_ACCOUNT }],
        roles: [{ account: DEMO_ACCOUNT, name: 'corp-role', trust: { samlProviders: [corpIdp] } }],
        samlProviders: [{ arn: corpIdp, certificatePem: material.certificatePem }],
      };
      const assume = (server: StsLocal, SAMLAssertion: string) =>
        anonymous(server).send(
          new AssumeRoleWithSAMLCommand({ RoleArn: demoRole('corp-role'), PrincipalArn: corpIdp, SAMLAssertion }),
        );
      await withServer({ config }, async (server) => {
        expect(() => server.mintSamlAssertion({ roleArn: demoRole('corp-role') })).toThrow(
          /signingMaterial: no private key for SAML provider .*corp-idp/,
        );
        await expect(
          assume(server, server.mintSamlAssertion({ roleArn: demoRole('corp-role'), signingMaterial: material })),
        ).resolves.toMatchObject({ Subject: 'demo-user@credchain.example' });
      });
      await withServer({ config, signingKeys: { saml: { [corpIdp]: material } } }, async (server) => {
        await expect(
          assume(server, server.mintSamlAssertion({ roleArn: demoRole('corp-role') })),
        ).resolves.toMatchObject({ Subject: 'demo-user@credchain.example' });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a provider that is not in the config is named in the error', async () => {
    await withServer({}, async (server) => {
      expect(() =>
        server.mintSamlAssertion({
          roleArn: demoRole('saml-role'),
          principalArn: `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/nope`,
        }),
      ).toThrow('principalArn: no SAML provider arn:aws:iam::111122223333:saml-provider/nope in the config');
    });
  });
});

describe('mintWebIdentityToken: tokens the server’s own AssumeRoleWithWebIdentity accepts', () => {
  const send = (server: StsLocal, WebIdentityToken: string) =>
    anonymous(server).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: demoRole('web-identity-role'),
        RoleSessionName: 'ci',
        WebIdentityToken,
      }),
    );

  test('for the demo OIDC provider, with its first client ID as the audience', async () => {
    await withServer({}, async (server) => {
      const out = await send(
        server,
        await server.mintWebIdentityToken({ subject: 'repo:acme/app:ref:refs/heads/main' }),
      );
      expect(out).toMatchObject({
        SubjectFromWebIdentityToken: 'repo:acme/app:ref:refs/heads/main',
        Audience: 'sts.amazonaws.com',
        Provider: DEMO_OIDC_ISSUER,
      });
    });
  });

  test(
    'audience, issuer, roleArn and claims are honoured; ' +
      'an audience the provider does not list is refused by the server',
    async () => {
      await withServer({}, async (server) => {
        const chosen = await server.mintWebIdentityToken({
          subject: 'svc',
          audience: 'credchain-demo',
          issuer: 'oidc.credchain.example',
          claims: { 'https://aws.amazon.com/source_identity': 'svc-src' },
        });
        await expect(send(server, chosen)).resolves.toMatchObject({
          Audience: 'credchain-demo',
          SourceIdentity: 'svc-src',
        });
        const byRole = await server.mintWebIdentityToken({ subject: 'svc', roleArn: demoRole('web-identity-role') });
        await expect(send(server, byRole)).resolves.toMatchObject({ SubjectFromWebIdentityToken: 'svc' });
        const foreign = await server.mintWebIdentityToken({ subject: 'svc', audience: 'someone-else' });
        // The SDK names the wire code InvalidIdentityToken by its modeled exception class.
        expect(await refusal(send(server, foreign))).toMatchObject({
          code: 'InvalidIdentityTokenException',
          status: 400,
        });
      });
    },
  );

  test('the token is dated by the server clock and expires on it', async () => {
    await withServer({ clock: { now: () => NOW } }, async (server) => {
      const token = await server.mintWebIdentityToken({ subject: 'svc', lifetimeSeconds: 300 });
      server.advanceTime(301_000);
      expect(await refusal(send(server, token))).toMatchObject({ code: 'ExpiredTokenException', status: 400 });
      await expect(send(server, await server.mintWebIdentityToken({ subject: 'svc' }))).resolves.toMatchObject({
        SubjectFromWebIdentityToken: 'svc',
      });
    });
  });

  test('a provider with its own JWKS: its key comes from signingKeys or the call', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'corp-1' };
    const publicJwk = { ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'corp-1' };
    const providerArn = `arn:aws:iam::${DEMO_ACCOUNT}:oidc-provider/tokens.corp.example`;
    const config: StsLocalConfig = {
      accounts: [{ id: DEMO_ACCOUNT }],
      roles: [{ account: DEMO_ACCOUNT, name: 'web-identity-role', trust: { oidcProviders: [providerArn] } }],
      oidcProviders: [
        {
          account: DEMO_ACCOUNT,
          url: 'https://tokens.corp.example',
          clientIds: ['corp-app'],
          jwks: { keys: [publicJwk] },
        },
      ],
    };
    await withServer({ config }, async (server) => {
      await expect(server.mintWebIdentityToken({ subject: 'svc' })).rejects.toThrow(
        /signingMaterial: no private key for OIDC provider .*tokens\.corp\.example/,
      );
      const token = await server.mintWebIdentityToken({
        subject: 'svc',
        signingMaterial: { privateJwk, kid: 'corp-1' },
      });
      await expect(send(server, token)).resolves.toMatchObject({
        Audience: 'corp-app',
        Provider: 'https://tokens.corp.example',
      });
    });
    await withServer(
      { config, signingKeys: { oidc: { [providerArn]: { privateJwk, kid: 'corp-1' } } } },
      async (server) => {
        await expect(send(server, await server.mintWebIdentityToken({ subject: 'svc' }))).resolves.toMatchObject({
          Audience: 'corp-app',
        });
      },
    );
  });

  test('bad options are refused, naming them', async () => {
    await withServer({}, async (server) => {
      await expect(server.mintWebIdentityToken({ subject: '' })).rejects.toThrow('subject must be a non-empty string');
      await expect(server.mintWebIdentityToken({ subject: 'x', issuer: 'https://nowhere.example' })).rejects.toThrow(
        'issuer: no OIDC provider https://nowhere.example in the config',
      );
    });
  });
});

describe('totp and encodeAuthorizationMessage', () => {
  const ALICE_MFA = `arn:aws:iam::${DEMO_ACCOUNT}:mfa/alice`;

  test('totp(serial) is the code the server accepts now for an MFA-required role', async () => {
    await withServer({}, async (server) => {
      const out = await client(server).send(
        new AssumeRoleCommand({
          RoleArn: demoRole('mfa-role'),
          RoleSessionName: 'mfa',
          SerialNumber: ALICE_MFA,
          TokenCode: server.totp(ALICE_MFA),
        }),
      );
      expect(out.AssumedRoleUser?.Arn).toMatch(/assumed-role\/mfa-role\/mfa$/);
    });
  });

  test('totp follows the server clock, and a code from the past is refused', async () => {
    await withServer({ clock: { now: () => NOW } }, async (server) => {
      const old = server.totp(ALICE_MFA);
      server.advanceTime(5 * 60_000);
      expect(server.totp(ALICE_MFA)).not.toBe(old);
      expect(server.totp(ALICE_MFA, NOW)).toBe(old);
      const got = await refusal(
        signedAt(server).send(
          new AssumeRoleCommand({
            RoleArn: demoRole('mfa-role'),
            RoleSessionName: 'mfa',
            SerialNumber: ALICE_MFA,
            TokenCode: old,
          }),
        ),
      );
      expect(got).toMatchObject({ code: 'AccessDenied', status: 403 });
      expect(() => server.totp('arn:aws:iam::111122223333:mfa/nobody')).toThrow(
        'No MFA device arn:aws:iam::111122223333:mfa/nobody in the config',
      );
    });
  });

  test('encodeAuthorizationMessage (method and export) round-trips through DecodeAuthorizationMessage', async () => {
    await withServer({}, async (server) => {
      const decision = { allowed: false, explicitDeny: true, context: { action: 'ec2:RunInstances' } };
      const viaServer = await client(server).send(
        new DecodeAuthorizationMessageCommand({ EncodedMessage: server.encodeAuthorizationMessage(decision) }),
      );
      expect(JSON.parse(viaServer.DecodedMessage ?? '')).toEqual(decision);
      const viaExport = await client(server).send(
        new DecodeAuthorizationMessageCommand({ EncodedMessage: encodeAuthorizationMessage('plain text') }),
      );
      expect(viaExport.DecodedMessage).toBe('plain text');
    });
  });
});
