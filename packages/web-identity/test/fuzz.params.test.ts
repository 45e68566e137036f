// Property-based: fromWebIdentity's params and token. Valid AssumeRoleWithWebIdentity inputs
// (RoleArn, RoleSessionName [\w+=,.@-]{2,64}, ProviderId 4–2048, DurationSeconds 900–43200,
// Policy, up to 10 PolicyArns, MinimumSessionTokenSize 0–4096, a token of 4–20000 characters) are
// accepted with no request sent; each field broken alone is an InvalidParameterError naming it,
// with no request sent; a sample of valid inputs with a token sts-local signed is accepted by it.
// Cases run: 100 valid + 200 invalid + 100 unknown keys + 15 through sts-local = 415 per run.
import { DEMO_OIDC_ISSUER, demoOidcSigningMaterial, mintWebIdentityToken } from '@credchain/sts-local';
import { localConfig, roleArn as roleArnOf, useStsLocal } from '@credchain/testkit/sts-local';
import fc from 'fast-check';

import {
  BREAKERS,
  badInteger,
  badString,
  describeFactoryFuzz,
  duration,
  expectStsLocalAccepts,
  optional,
  policy,
  policyArns,
  roleArn,
  sessionName,
  tokenSize,
  webIdentityToken,
  withoutAbsent,
} from '../../core/test/fuzzArbitraries';
import { fromWebIdentity } from '../src';

const validParams = (role: fc.Arbitrary<string>, durations: fc.Arbitrary<number>, token: fc.Arbitrary<string>) =>
  fc
    .record({
      RoleArn: role,
      RoleSessionName: optional(sessionName),
      ProviderId: optional(fc.constantFrom('graph.facebook.com', 'www.amazon.com', 'accounts.google.com.example')),
      DurationSeconds: optional(durations),
      Policy: optional(policy),
      PolicyArns: optional(policyArns),
      MinimumSessionTokenSize: optional(tokenSize),
      WebIdentityToken: token,
    })
    .map(withoutAbsent);

/** The token travels beside params, as `webIdentityToken`; rule errors name STS's parameter. */
function make(params: Record<string, unknown>, clientConfig: object) {
  const { WebIdentityToken, ...rest } = params;
  return fromWebIdentity({ params: rest, webIdentityToken: WebIdentityToken as string, clientConfig });
}

const { RoleArn, RoleSessionName, Policy, PolicyArns, MinimumSessionTokenSize } = BREAKERS;
describeFactoryFuzz(
  'fromWebIdentity',
  validParams(roleArn, duration(900, 43_200), webIdentityToken),
  {
    RoleArn,
    RoleSessionName,
    ProviderId: badString({ min: 4, max: 2048 }),
    DurationSeconds: badInteger(900, 43_200),
    Policy,
    PolicyArns,
    MinimumSessionTokenSize,
    WebIdentityToken: fc.oneof(fc.string({ maxLength: 3 }), fc.constant('t'.repeat(20_001))),
  },
  make,
);

describe('fromWebIdentity params sts-local accepts too', () => {
  const sts = useStsLocal();
  // Replaced by a token minted at each fetch: random ones would only meet InvalidIdentityToken.
  const token = fc.constant('minted-per-fetch');

  test('valid params with a token the demo issuer signed get credentials', async () => {
    // web-identity-role keeps the default one-hour maximum session, so durations stay within it.
    const valid = validParams(fc.constant(roleArnOf('web-identity-role')), duration(900, 3600), token).map(
      ({ ProviderId: _, ...p }) => p,
    );
    await expectStsLocalAccepts(valid, (params) => {
      const { WebIdentityToken: _, ...rest } = params;
      const mint = () =>
        mintWebIdentityToken({
          issuer: DEMO_OIDC_ISSUER,
          subject: 'fuzz',
          audience: 'sts.amazonaws.com',
          privateJwk: demoOidcSigningMaterial.privateJwk,
          kid: demoOidcSigningMaterial.kid,
          now: Date.now(),
        });
      return fromWebIdentity({
        params: rest,
        webIdentityToken: mint,
        clientConfig: { ...localConfig(sts()), maxAttempts: 1 },
        retry: { retries: 0 },
      });
    });
  });
});
