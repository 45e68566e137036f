// Property-based: fromAssumeRole's params. Valid AssumeRole inputs (the reference's patterns,
// lengths, counts and ranges) are accepted with no request sent; each field broken alone is an
// InvalidParameterError naming it, with no request sent; a sample of valid inputs is accepted by
// sts-local too, through a real STSClient (client and server rules agree).
// Cases run: 100 valid + 200 invalid + 100 unknown keys + 15 through sts-local = 415 per run.
import { ALICE, localConfig, roleArn as roleArnOf, useStsLocal } from '@credchain/testkit/sts-local';
import fc from 'fast-check';

import {
  BREAKERS,
  badInteger,
  badSessionName,
  badString,
  describeFactoryFuzz,
  duration,
  expectStsLocalAccepts,
  externalId,
  optional,
  policy,
  policyArns,
  providedContexts,
  roleArn,
  serialNumber,
  sessionName,
  sourceIdentity,
  tagsAndTransitive,
  tokenCode,
  tokenSize,
  withoutAbsent,
} from '../../core/test/fuzzArbitraries';
import { fromAssumeRole } from '../src';

const mfaCodeProvider = async () => '123456';
const CONTEXT_PROVIDER = 'arn:aws:iam::aws:contextProvider/IdentityCenter';

const validParams = (role: fc.Arbitrary<string>, mfa: boolean) =>
  fc
    .record({
      RoleArn: role,
      RoleSessionName: optional(sessionName),
      DurationSeconds: optional(duration(900, 43_200)),
      ExternalId: optional(externalId),
      mfa: mfa ? optional(fc.tuple(serialNumber, optional(tokenCode))) : fc.constant(undefined),
      Policy: optional(policy),
      PolicyArns: optional(policyArns),
      tags: optional(tagsAndTransitive(50)),
      SourceIdentity: optional(sourceIdentity),
      ProvidedContexts: optional(providedContexts),
      MinimumSessionTokenSize: optional(tokenSize),
    })
    .map(({ mfa: pair, tags, ...rest }) =>
      withoutAbsent({
        ...rest,
        SerialNumber: pair?.[0],
        TokenCode: pair?.[1],
        Tags: tags?.Tags,
        TransitiveTagKeys: tags?.TransitiveTagKeys,
      }),
    );

describeFactoryFuzz(
  'fromAssumeRole',
  validParams(roleArn, true),
  {
    ...BREAKERS,
    DurationSeconds: badInteger(900, 43_200),
    TransitiveTagKeys: fc.oneof(
      fc.constantFrom<unknown>('k', [''], [7]),
      fc.constant(Array.from({ length: 51 }, (_, i) => `k${i}`)),
    ),
    SourceIdentity: fc.oneof(
      badSessionName,
      sourceIdentity.map((s) => `aws:${s}`),
      sourceIdentity.map((s) => `AWS:${s}`),
    ),
    ProvidedContexts: fc.oneof(
      fc.constantFrom<unknown>('x', [{ ProviderArn: CONTEXT_PROVIDER }], [{ ContextAssertion: 'abcd' }]),
      fc.constant(Array.from({ length: 6 }, () => ({ ProviderArn: CONTEXT_PROVIDER, ContextAssertion: 'abcd' }))),
      badString({ min: 4, max: 2048 }).map((ContextAssertion) => [{ ProviderArn: CONTEXT_PROVIDER, ContextAssertion }]),
    ),
  },
  (params, clientConfig) => fromAssumeRole({ params: params as never, clientConfig, mfaCodeProvider }),
);

describe('fromAssumeRole params sts-local accepts too', () => {
  const sts = useStsLocal();

  test('valid params sent through a real STSClient are no ValidationError or MalformedPolicyDocument', async () => {
    await expectStsLocalAccepts(validParams(fc.constant(roleArnOf('demo-role')), false), (params) =>
      fromAssumeRole({
        params: params as never,
        clientConfig: { ...localConfig(sts()), maxAttempts: 1, credentials: ALICE },
        retry: { retries: 0 },
      }),
    );
  });
});
