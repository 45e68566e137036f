// Property-based: fromSamlAssertion's params and assertion. Valid AssumeRoleWithSAML inputs
// (RoleArn, PrincipalArn, DurationSeconds 900–43200, Policy, up to 10 PolicyArns,
// MinimumSessionTokenSize 0–4096, an assertion of 4–100000 characters) are accepted with no
// request sent; each field broken alone is an InvalidParameterError naming it, with no request sent;
// a sample of valid inputs with an assertion sts-local's demo IdP signed is accepted by it.
// Cases run: 100 valid + 200 invalid + 100 unknown keys + 15 through sts-local = 415 per run.
import { DEMO_ACCOUNT, demoSamlSigningMaterial, mintSamlResponse } from '@credchain/sts-local';
import { localConfig, useStsLocal } from '@credchain/testkit/sts-local';
import fc from 'fast-check';

import {
  BREAKERS,
  anyArn,
  badInteger,
  describeFactoryFuzz,
  duration,
  expectStsLocalAccepts,
  optional,
  policy,
  policyArns,
  roleArn,
  samlAssertion,
  tokenSize,
  withoutAbsent,
} from '../../core/test/fuzzArbitraries';
import { fromSamlAssertion } from '../src';

const validParams = (role: fc.Arbitrary<string>, principal: fc.Arbitrary<string>) =>
  fc
    .record({
      RoleArn: role,
      PrincipalArn: principal,
      DurationSeconds: optional(duration(900, 43_200)),
      Policy: optional(policy),
      PolicyArns: optional(policyArns),
      MinimumSessionTokenSize: optional(tokenSize),
      SAMLAssertion: samlAssertion,
    })
    .map(withoutAbsent);

const { RoleArn, Policy, PolicyArns, MinimumSessionTokenSize } = BREAKERS;
describeFactoryFuzz(
  'fromSamlAssertion',
  validParams(roleArn, anyArn),
  {
    RoleArn,
    PrincipalArn: RoleArn,
    DurationSeconds: badInteger(900, 43_200),
    Policy,
    PolicyArns,
    MinimumSessionTokenSize,
    SAMLAssertion: fc.oneof(fc.string({ maxLength: 3 }), fc.constant('A'.repeat(100_001))),
  },
  // The assertion travels beside params, as `samlAssertion`; rule errors name STS's parameter.
  ({ SAMLAssertion, ...params }, clientConfig) =>
    fromSamlAssertion({ params: params as never, samlAssertion: SAMLAssertion as string, clientConfig }),
);

describe('fromSamlAssertion params sts-local accepts too', () => {
  const sts = useStsLocal();
  const ROLE = `arn:aws:iam::${DEMO_ACCOUNT}:role/saml-role`;
  const IDP = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`;

  test('valid params with an assertion the demo IdP signed get credentials', async () => {
    const mint = async () =>
      mintSamlResponse({
        issuer: 'https://idp.credchain.example/saml',
        ...demoSamlSigningMaterial,
        subject: 'fuzz',
        roles: [{ roleArn: ROLE, principalArn: IDP }],
        roleSessionName: 'fuzz',
        now: Date.now(),
      });
    await expectStsLocalAccepts(validParams(fc.constant(ROLE), fc.constant(IDP)), ({ SAMLAssertion: _, ...params }) =>
      fromSamlAssertion({
        params: params as never,
        samlAssertion: mint,
        clientConfig: { ...localConfig(sts()), maxAttempts: 1 },
        retry: { retries: 0 },
      }),
    );
  });
});
