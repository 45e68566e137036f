import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  AssumeRoleWithSAMLCommand,
  GetCallerIdentityCommand,
  type AssumeRoleWithSAMLCommandInput,
} from '@aws-sdk/client-sts';
import {
  DEMO_ACCOUNT,
  demoSamlSigningMaterial,
  mintSamlResponse,
  type MintSamlResponseOptions,
  type StsLocal,
} from '../src';
import {
  asIdentity,
  constraintMessage,
  expectStsError,
  expirationMs,
  timeRequest,
  roleArn,
  stsClient,
  useStsLocal,
  withStsLocal,
} from './helpers/ops';

const server = useStsLocal();
const PROVIDER = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`;
const ISSUER = 'https://idp.credchain.example/saml';
const SAML_ROLE = roleArn('saml-role');

const mint = (overrides: Partial<MintSamlResponseOptions> = {}, s: StsLocal = server()) =>
  mintSamlResponse({
    issuer: ISSUER,
    privateKeyPem: demoSamlSigningMaterial.privateKeyPem,
    certificatePem: demoSamlSigningMaterial.certificatePem,
    subject: 'alice@idp.example',
    roles: [{ roleArn: SAML_ROLE, principalArn: PROVIDER }],
    roleSessionName: 'alice.saml',
    now: s.now(),
    ...overrides,
  });
const assumeWithSaml = (input: Partial<AssumeRoleWithSAMLCommandInput>, s: StsLocal = server()) =>
  stsClient(s.endpoint).send(
    new AssumeRoleWithSAMLCommand({ RoleArn: SAML_ROLE, PrincipalArn: PROVIDER, SAMLAssertion: mint({}, s), ...input }),
  );

describe('AssumeRoleWithSAML success path', () => {
  test('returns every response element; the credentials act as the role session', async () => {
    const expectLifetime = timeRequest(server());
    const out = await assumeWithSaml({
      SAMLAssertion: mint({ sourceIdentity: 'alice-idp', tags: [{ Key: 'Dept', Value: 'eng' }] }),
      Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
    });
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/saml-role/alice.saml`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{16}:alice\.saml$/) as unknown,
    });
    expect(out.Subject).toBe('alice@idp.example');
    expect(out.SubjectType).toBe('persistent');
    expect(out.Issuer).toBe(ISSUER);
    expect(out.Audience).toBe('https://signin.aws.amazon.com/saml');
    // NameQualifier = Base64(SHA1(Issuer + AccountID + "/" + provider name)), as the STS reference defines it.
    expect(out.NameQualifier).toBe(createHash('sha1').update(`${ISSUER}${DEMO_ACCOUNT}/demo-idp`).digest('base64'));
    expect(out.SourceIdentity).toBe('alice-idp');
    expect(out.PackedPolicySize).toBeGreaterThanOrEqual(1);
    expectLifetime(out.Credentials, 3600);
    const me = await stsClient(server().endpoint, asIdentity(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(out.AssumedRoleUser?.Arn);
  });

  test('DurationSeconds up to the role maximum; SessionNotOnOrAfter caps the expiration', async () => {
    const expectLifetime = timeRequest(server());
    const before = server().now();
    const long = await assumeWithSaml({ DurationSeconds: 43200 });
    expectLifetime(long.Credentials, 43200);
    const capped = await assumeWithSaml({
      DurationSeconds: 43200,
      SAMLAssertion: mint({ sessionNotOnOrAfter: before + 600_000 }),
    });
    expect(expirationMs(capped.Credentials)).toBeLessThanOrEqual(before + 600_000);
    expect(expirationMs(capped.Credentials)).toBeGreaterThan(before + 600_000 - 2000);
    await expectStsError(
      assumeWithSaml({ DurationSeconds: 43201 }),
      'ValidationError',
      400,
      constraintMessage('43201', 'durationSeconds', 'Member must have value less than or equal to 43200'),
    );
    await expectStsError(
      assumeWithSaml({ DurationSeconds: 899 }),
      'ValidationError',
      400,
      constraintMessage('899', 'durationSeconds', 'Member must have value greater than or equal to 900'),
    );
  });

  test("past the role's MaxSessionDuration → ValidationError", async () => {
    await withStsLocal(
      {
        config: {
          accounts: [{ id: DEMO_ACCOUNT }],
          roles: [{ account: DEMO_ACCOUNT, name: 'saml-role', trust: { samlProviders: [PROVIDER] } }],
          samlProviders: [{ arn: PROVIDER, certificatePem: demoSamlSigningMaterial.certificatePem }],
        },
      },
      async (s) => {
        await expectStsError(
          assumeWithSaml({ DurationSeconds: 3601 }, s),
          'ValidationError',
          400,
          'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        );
      },
    );
  });

  test('the assertion may be signed on the Response instead of the Assertion', async () => {
    await expect(assumeWithSaml({ SAMLAssertion: mint({ sign: 'response' }) })).resolves.toHaveProperty('Credentials');
  });
});

describe('AssumeRoleWithSAML refusals', () => {
  test("an assertion signed by another key than the provider's certificate → InvalidIdentityToken", async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await expectStsError(
      assumeWithSaml({ SAMLAssertion: mint({ privateKeyPem: other }) }),
      'InvalidIdentityToken',
      400,
      /./,
    );
  });

  test('an assertion altered after signing → InvalidIdentityToken', async () => {
    const xml = Buffer.from(mint(), 'base64').toString('utf8').replace('alice@idp.example', 'mallory@idp.example');
    await expectStsError(
      assumeWithSaml({ SAMLAssertion: Buffer.from(xml).toString('base64') }),
      'InvalidIdentityToken',
      400,
      /./,
    );
  });

  test('an Audience other than AWS sign-in → InvalidIdentityToken', async () => {
    await expectStsError(
      assumeWithSaml({ SAMLAssertion: mint({ audience: 'https://example.com/not-aws' }) }),
      'InvalidIdentityToken',
      400,
      "The SAML assertion's Audience must be https://signin.aws.amazon.com/saml.",
    );
  });

  test('after NotOnOrAfter → ExpiredTokenException', async () => {
    await withStsLocal({}, async (s) => {
      const assertion = mint({ lifetimeSeconds: 60 }, s);
      s.advanceTime(61_000);
      await expectStsError(assumeWithSaml({ SAMLAssertion: assertion }, s), 'ExpiredTokenException', 400, /expired/i);
    });
  });

  test('a Role attribute without the requested role/provider pair → AccessDenied', async () => {
    await expectStsError(
      assumeWithSaml({ SAMLAssertion: mint({ roles: [{ roleArn: roleArn('demo-role'), principalArn: PROVIDER }] }) }),
      'AccessDenied',
      403,
      'Not authorized to perform sts:AssumeRoleWithSAML',
    );
  });

  test('a role whose trust does not name the provider → AccessDenied', async () => {
    await expectStsError(
      assumeWithSaml({
        RoleArn: roleArn('demo-role'),
        SAMLAssertion: mint({ roles: [{ roleArn: roleArn('demo-role'), principalArn: PROVIDER }] }),
      }),
      'AccessDenied',
      403,
      'Not authorized to perform sts:AssumeRoleWithSAML',
    );
  });

  test('a PrincipalArn that is no configured provider → InvalidIdentityToken', async () => {
    const other = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/unknown-idp`;
    await expectStsError(
      assumeWithSaml({
        PrincipalArn: other,
        SAMLAssertion: mint({ roles: [{ roleArn: SAML_ROLE, principalArn: other }] }),
      }),
      'InvalidIdentityToken',
      400,
      `No SAML provider found for PrincipalArn ${other}.`,
    );
  });

  test('RoleSessionName and SessionDuration attributes are checked', async () => {
    await expectStsError(
      assumeWithSaml({ SAMLAssertion: mint({ roleSessionName: '' }) }),
      'InvalidIdentityToken',
      400,
      /RoleSessionName/,
    );
    await expectStsError(
      assumeWithSaml({ SAMLAssertion: mint({ roleSessionName: 'has space' }) }),
      'InvalidIdentityToken',
      400,
      /RoleSessionName/,
    );
    await expectStsError(
      assumeWithSaml({ SAMLAssertion: mint({ sessionDuration: 100 }) }),
      'InvalidIdentityToken',
      400,
      /SessionDuration/,
    );
  });

  test('parameters: required members and Policy rules', async () => {
    await expectStsError(
      assumeWithSaml({ SAMLAssertion: undefined }),
      'ValidationError',
      400,
      constraintMessage(null, 'sAMLAssertion', 'Member must not be null'),
    );
    await expectStsError(
      assumeWithSaml({ PrincipalArn: undefined }),
      'ValidationError',
      400,
      constraintMessage(null, 'principalArn', 'Member must not be null'),
    );
    await expectStsError(
      assumeWithSaml({ Policy: 'nope' }),
      'MalformedPolicyDocument',
      400,
      'Syntax errors in policy.',
    );
    const arns = Array.from({ length: 11 }, (_, i) => ({ arn: `arn:aws:iam::aws:policy/P${i}` }));
    await expectStsError(
      assumeWithSaml({ PolicyArns: arns }),
      'ValidationError',
      400,
      constraintMessage('[11 items]', 'policyArns', 'Member must have length less than or equal to 10'),
    );
  });
});
