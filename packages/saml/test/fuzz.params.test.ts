// Property-based: fromSamlAssertion's params and assertion. Valid AssumeRoleWithSAML inputs
// (RoleArn, PrincipalArn, DurationSeconds 900–43200, Policy, up to 10 PolicyArns,
// MinimumSessionTokenSize 0–4096, an assertion of 4–100000 characters) are accepted with no
// request sent; each field broken alone is an InvalidParameterError naming it, with no request sent.
// Cases run: 100 valid + 200 invalid + 100 unknown keys = 400 per run.
import fc from 'fast-check';

import {
  BREAKERS,
  anyArn,
  badInteger,
  describeFactoryFuzz,
  duration,
  optional,
  policy,
  policyArns,
  roleArn,
  samlAssertion,
  tokenSize,
  withoutAbsent,
} from '../../core/test/fuzzArbitraries';
import { fromSamlAssertion } from '../src';

const validParams = fc
  .record({
    RoleArn: roleArn,
    PrincipalArn: anyArn,
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
  validParams,
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
  ({ SAMLAssertion, ...params }, clientConfig) => fromSamlAssertion({ params: params as never, samlAssertion: SAMLAssertion as string, clientConfig }),
);
