import { exportJWK, generateKeyPair } from 'jose';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  type AssumeRoleWithWebIdentityCommandInput,
} from '@aws-sdk/client-sts';
import {
  DEMO_ACCOUNT,
  DEMO_OIDC_ISSUER,
  demoOidcSigningMaterial,
  mintWebIdentityToken,
  type MintWebIdentityTokenOptions,
  type StsLocal,
  type StsLocalConfig,
} from '../src';
import {
  asIdentity,
  constraintMessage,
  expectStsError,
  timeRequest,
  roleArn,
  stsClient,
  useStsLocal,
  withStsLocal,
} from './helpers/ops';

const server = useStsLocal();
const WEB_ROLE = roleArn('web-identity-role');
const { privateJwk, publicJwks, kid } = demoOidcSigningMaterial;
const DENIED = 'Not authorized to perform sts:AssumeRoleWithWebIdentity';

const mint = (overrides: Partial<MintWebIdentityTokenOptions> = {}, s: StsLocal = server()) =>
  mintWebIdentityToken({
    issuer: DEMO_OIDC_ISSUER,
    subject: 'repo:acme/app:ref:refs/heads/main',
    audience: 'sts.amazonaws.com',
    privateJwk,
    kid,
    now: s.now(),
    ...overrides,
  });
const assumeWithToken = async (input: Partial<AssumeRoleWithWebIdentityCommandInput>, s: StsLocal = server()) =>
  stsClient(s.endpoint).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: WEB_ROLE,
      RoleSessionName: 'ci-run',
      WebIdentityToken: await mint({}, s),
      ...input,
    }),
  );

describe('AssumeRoleWithWebIdentity success path', () => {
  test('returns every response element; the credentials act as the role session', async () => {
    const expectLifetime = timeRequest(server());
    const out = await assumeWithToken({
      WebIdentityToken: await mint({
        audience: 'credchain-demo',
        claims: { 'https://aws.amazon.com/source_identity': 'ci-bot' },
      }),
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    });
    expect(out.SubjectFromWebIdentityToken).toBe('repo:acme/app:ref:refs/heads/main');
    expect(out.Provider).toBe(DEMO_OIDC_ISSUER);
    expect(out.Audience).toBe('credchain-demo');
    expect(out.SourceIdentity).toBe('ci-bot');
    expect(out.PackedPolicySize).toBeGreaterThanOrEqual(1);
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/web-identity-role/ci-run`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{16}:ci-run$/) as unknown,
    });
    expectLifetime(out.Credentials, 3600);
    const me = await stsClient(server().endpoint, asIdentity(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(out.AssumedRoleUser?.Arn);
  });

  test('an aud array matches when one entry is a client ID; Audience reports the matched one', async () => {
    const out = await assumeWithToken({
      WebIdentityToken: await mint({ claims: { aud: ['someone-else', 'sts.amazonaws.com'] } }),
    });
    expect(out.Audience).toBe('sts.amazonaws.com');
  });

  test('session tags from the tags claim: transitive ones follow a chained AssumeRole', async () => {
    const config: StsLocalConfig = {
      accounts: [{ id: DEMO_ACCOUNT }],
      roles: [
        {
          account: DEMO_ACCOUNT,
          name: 'web-identity-role',
          trust: { oidcProviders: [`arn:aws:iam::${DEMO_ACCOUNT}:oidc-provider/oidc.credchain.example`] },
        },
        { account: DEMO_ACCOUNT, name: 'next', trust: { principals: [WEB_ROLE] } },
      ],
      oidcProviders: [
        { account: DEMO_ACCOUNT, url: DEMO_OIDC_ISSUER, clientIds: ['sts.amazonaws.com'], jwks: publicJwks },
      ],
    };
    await withStsLocal({ config }, async (s) => {
      const tags = { principal_tags: { Team: ['ci'], Env: ['dev'] }, transitive_tag_keys: ['Team'] };
      const out = await assumeWithToken(
        { WebIdentityToken: await mint({ claims: { 'https://aws.amazon.com/tags': tags } }, s) },
        s,
      );
      expect(out.PackedPolicySize).toBeGreaterThanOrEqual(1);
      const chained = stsClient(s.endpoint, asIdentity(out.Credentials));
      await expectStsError(
        chained.send(
          new AssumeRoleCommand({
            RoleArn: roleArn('next'),
            RoleSessionName: 'hop',
            Tags: [{ Key: 'team', Value: 'x' }],
          }),
        ),
        'ValidationError',
        400,
        /team/,
      );
      await expect(
        chained.send(
          new AssumeRoleCommand({
            RoleArn: roleArn('next'),
            RoleSessionName: 'hop',
            Tags: [{ Key: 'Env', Value: 'x' }],
          }),
        ),
      ).resolves.toHaveProperty('Credentials');
    });
  });

  test('ProviderId names an OAuth 2.0 provider, reported as Provider', async () => {
    const config: StsLocalConfig = {
      accounts: [{ id: DEMO_ACCOUNT }],
      roles: [
        {
          account: DEMO_ACCOUNT,
          name: 'web-identity-role',
          trust: { oidcProviders: ['arn:aws:iam::111122223333:oidc-provider/www.amazon.com'] },
        },
      ],
      oidcProviders: [
        {
          account: DEMO_ACCOUNT,
          arn: 'arn:aws:iam::111122223333:oidc-provider/www.amazon.com',
          url: DEMO_OIDC_ISSUER,
          providerId: 'www.amazon.com',
          clientIds: ['amzn-app'],
          jwks: publicJwks,
        },
      ],
    };
    await withStsLocal({ config }, async (s) => {
      const token = await mint({ audience: 'amzn-app' }, s);
      const out = await assumeWithToken({ WebIdentityToken: token, ProviderId: 'www.amazon.com' }, s);
      expect(out.Provider).toBe('www.amazon.com');
      await expectStsError(
        assumeWithToken({ WebIdentityToken: token, ProviderId: 'graph.facebook.com' }, s),
        'InvalidIdentityToken',
        400,
        /graph\.facebook\.com/,
      );
    });
  });
});

describe('AssumeRoleWithWebIdentity refusals', () => {
  test("a token signed by a key not in the provider's JWKS → InvalidIdentityToken", async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const foreign = { ...(await exportJWK(privateKey)), alg: 'RS256' };
    await expectStsError(
      assumeWithToken({ WebIdentityToken: await mint({ privateJwk: foreign }) }),
      'InvalidIdentityToken',
      400,
      /signature/,
    );
  });

  test('an issuer with no provider in the account → InvalidIdentityToken', async () => {
    await expectStsError(
      assumeWithToken({ WebIdentityToken: await mint({ issuer: 'https://other-idp.example' }) }),
      'InvalidIdentityToken',
      400,
      'No OpenIDConnect provider found in your account for https://other-idp.example',
    );
  });

  test('an audience that is no client ID of the provider → InvalidIdentityToken', async () => {
    await expectStsError(
      assumeWithToken({ WebIdentityToken: await mint({ audience: 'not-registered' }) }),
      'InvalidIdentityToken',
      400,
      'Incorrect token audience',
    );
  });

  test('past exp → ExpiredTokenException; before nbf → InvalidIdentityToken', async () => {
    await withStsLocal({}, async (s) => {
      const token = await mint({ lifetimeSeconds: 60 }, s);
      s.advanceTime(61_000);
      await expectStsError(
        assumeWithToken({ WebIdentityToken: token }, s),
        'ExpiredTokenException',
        400,
        /^Token expired: /,
      );
    });
    const nbf = Math.floor(server().now() / 1000) + 300;
    await expectStsError(
      assumeWithToken({ WebIdentityToken: await mint({ claims: { nbf } }) }),
      'InvalidIdentityToken',
      400,
      /nbf/,
    );
  });

  test('not a JWT → InvalidIdentityToken', async () => {
    await expectStsError(
      assumeWithToken({ WebIdentityToken: 'not.a-jwt' }),
      'InvalidIdentityToken',
      400,
      /not a valid JWT/,
    );
  });

  test('a role that does not trust the provider → AccessDenied', async () => {
    await expectStsError(assumeWithToken({ RoleArn: roleArn('demo-role') }), 'AccessDenied', 403, DENIED);
    await expectStsError(assumeWithToken({ RoleArn: roleArn('no-such-role') }), 'AccessDenied', 403, DENIED);
  });

  test("DurationSeconds within 900–43200 and the role's MaxSessionDuration", async () => {
    await expectStsError(
      assumeWithToken({ DurationSeconds: 3601 }),
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    await expectStsError(
      assumeWithToken({ DurationSeconds: 899 }),
      'ValidationError',
      400,
      constraintMessage('899', 'durationSeconds', 'Member must have value greater than or equal to 900'),
    );
  });

  test('RoleSessionName and WebIdentityToken are required; the token is never quoted', async () => {
    await expectStsError(
      assumeWithToken({ RoleSessionName: 'a b' }),
      'ValidationError',
      400,
      constraintMessage('a b', 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*'),
    );
    await expectStsError(
      assumeWithToken({ WebIdentityToken: undefined }),
      'ValidationError',
      400,
      constraintMessage(null, 'webIdentityToken', 'Member must not be null'),
    );
    await expectStsError(
      assumeWithToken({ WebIdentityToken: 'abc' }),
      'ValidationError',
      400,
      "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 4',
    );
  });

  test('the source identity claim follows the SourceIdentity rules, aws: prefix included', async () => {
    for (const bad of ['aws:ci', 'x', 'has space']) {
      await expectStsError(
        assumeWithToken({
          WebIdentityToken: await mint({ claims: { 'https://aws.amazon.com/source_identity': bad } }),
        }),
        'InvalidIdentityToken',
        400,
        /source_identity/,
      );
    }
  });

  test(
    'the tags claim follows the Tags rules: ≤ 50, key/value limits, ' +
      'keys unique ignoring case, transitive keys among them',
    async () => {
      const claim = (t: object) => mint({ claims: { 'https://aws.amazon.com/tags': t } });
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, ['v']]));
      await expectStsError(
        assumeWithToken({ WebIdentityToken: await claim({ principal_tags: many }) }),
        'InvalidIdentityToken',
        400,
        /at most 50/,
      );
      await expectStsError(
        assumeWithToken({ WebIdentityToken: await claim({ principal_tags: { ['k'.repeat(129)]: ['v'] } }) }),
        'InvalidIdentityToken',
        400,
        /key of 1-128/,
      );
      await expectStsError(
        assumeWithToken({ WebIdentityToken: await claim({ principal_tags: { k: ['v'.repeat(257)] } }) }),
        'InvalidIdentityToken',
        400,
        /value of 0-256/,
      );
      await expectStsError(
        assumeWithToken({ WebIdentityToken: await claim({ principal_tags: { Team: ['a'], team: ['b'] } }) }),
        'InvalidIdentityToken',
        400,
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
      await expectStsError(
        assumeWithToken({
          WebIdentityToken: await claim({ principal_tags: { Team: ['a'] }, transitive_tag_keys: ['Env'] }),
        }),
        'InvalidIdentityToken',
        400,
        /Transitive tag key Env/,
      );
    },
  );
});
