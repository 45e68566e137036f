// Property-based: fromFederationToken's params. Valid GetFederationToken inputs (Name
// [\w+=,.@-]{2,32}, DurationSeconds 900–129600, Policy, up to 10 PolicyArns, up to 50 Tags) are
// accepted with no request sent; each field broken alone is an InvalidParameterError naming it,
// with no request sent; a sample of valid inputs is accepted by sts-local too.
// Cases run: 100 valid + 200 invalid + 100 unknown keys + 15 through sts-local + 1 regression = 416 per run.
import { InvalidParameterError } from '@credchain/core';
import { ALICE, localConfig, useStsLocal } from '@credchain/testkit/sts-local';
import fc from 'fast-check';

import {
  BREAKERS,
  badInteger,
  badString,
  describeFactoryFuzz,
  duration,
  expectStsLocalAccepts,
  federatedName,
  optional,
  policy,
  policyArns,
  tagsAndTransitive,
  tokenSize,
  withoutAbsent,
} from '../../core/test/fuzzArbitraries';
import { fromFederationToken } from '../src';

const validParams = fc
  .record({
    Name: federatedName,
    DurationSeconds: optional(duration(900, 129_600)),
    Policy: optional(policy),
    PolicyArns: optional(policyArns),
    tags: optional(tagsAndTransitive(50)),
    MinimumSessionTokenSize: optional(tokenSize),
  })
  .map(({ tags, ...rest }) => withoutAbsent({ ...rest, Tags: tags?.Tags }));

const { Policy, PolicyArns, Tags, MinimumSessionTokenSize } = BREAKERS;
describeFactoryFuzz(
  'fromFederationToken',
  validParams,
  {
    Name: badString({ min: 2, max: 32, char: /^[\w+=,.@-]$/u, base: federatedName }),
    DurationSeconds: badInteger(900, 129_600),
    Policy,
    PolicyArns,
    Tags,
    MinimumSessionTokenSize,
  },
  (params, clientConfig) => fromFederationToken({ params: params as never, clientConfig }),
);

// A counterexample fast-check found, kept as a plain regression test.
test.each([
  ['PolicyArns', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
  ['PolicyArns', {}],
  ['Tags', 'k=v'],
  ['Tags', 1],
])('%s that is not an array (%p) is an InvalidParameterError naming it, not a TypeError', (field, value) => {
  expect(() => fromFederationToken({ params: { Name: 'fuzz', [field]: value } })).toThrow(
    expect.objectContaining({ constructor: InvalidParameterError, parameter: field }) as Error,
  );
});

describe('fromFederationToken params sts-local accepts too', () => {
  const sts = useStsLocal();

  test('valid params sent through a real STSClient are no ValidationError or MalformedPolicyDocument', async () => {
    await expectStsLocalAccepts(validParams, (params) =>
      fromFederationToken({
        params: params as never,
        clientConfig: { ...localConfig(sts()), maxAttempts: 1, credentials: ALICE },
        retry: { retries: 0 },
      }),
    );
  });
});
