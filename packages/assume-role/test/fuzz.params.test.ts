// Property-based: fromAssumeRole's params. Valid AssumeRole inputs (the reference's patterns,
// lengths, counts and ranges) are accepted with no request sent; each field broken alone is an
// InvalidParameterError naming it, with no request sent; a sample of valid inputs is accepted by
// sts-local too, through a real STSClient (client and server rules agree).
// Cases run: 100 valid + 200 invalid + 100 unknown keys + 15 through sts-local = 415 per run.
import { StsError } from '@credchain/core';
import { DEMO_ACCOUNT, startStsLocal, type StsLocal } from '@credchain/sts-local';
import fc from 'fast-check';

import {
  FUZZ_RUNS,
  badArn,
  badInteger,
  badPolicy,
  badPolicyArns,
  badSessionName,
  badString,
  badTags,
  breakOne,
  duration,
  expectRejected,
  externalId,
  optional,
  policy,
  policyArns,
  providedContexts,
  recordingOptions,
  roleArn,
  serialNumber,
  sessionName,
  sourceIdentity,
  tagsAndTransitive,
  tokenCode,
  tokenSize,
  unknownKey,
  withoutAbsent,
} from '../../core/test/fuzzArbitraries';
import { fromAssumeRole } from '../src';

const mfaCodeProvider = async () => '123456';

const validParams = (role: fc.Arbitrary<string>, durations: fc.Arbitrary<number>, mfa: boolean) =>
  fc
    .record({
      RoleArn: role,
      RoleSessionName: optional(sessionName),
      DurationSeconds: optional(durations),
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
      withoutAbsent({ ...rest, SerialNumber: pair?.[0], TokenCode: pair?.[1], Tags: tags?.Tags, TransitiveTagKeys: tags?.TransitiveTagKeys }),
    );

const BREAKERS = {
  RoleArn: badArn,
  RoleSessionName: badSessionName,
  DurationSeconds: badInteger(900, 43_200),
  ExternalId: badString({ min: 2, max: 1224, char: /^[\w+=,.@:/-]$/u, base: externalId }),
  SerialNumber: badString({ min: 9, max: 256, char: /^[\w+=/:,.@-]$/u, base: serialNumber }),
  TokenCode: badString({ min: 6, max: 6, char: /^\d$/u, base: tokenCode }),
  Policy: badPolicy,
  PolicyArns: badPolicyArns,
  Tags: badTags,
  TransitiveTagKeys: fc.oneof(fc.constantFrom<unknown>('k', [''], [7]), fc.constant(Array.from({ length: 51 }, (_, i) => `k${i}`))),
  SourceIdentity: fc.oneof(badSessionName, sourceIdentity.map((s) => `aws:${s}`), sourceIdentity.map((s) => `AWS:${s}`)),
  ProvidedContexts: fc.oneof(
    fc.constantFrom<unknown>('x', [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter' }], [{ ContextAssertion: 'abcd' }]),
    fc.constant(Array.from({ length: 6 }, () => ({ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: 'abcd' }))),
    badString({ min: 4, max: 2048 }).map((ContextAssertion) => [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion }]),
  ),
  MinimumSessionTokenSize: badInteger(0, 4096),
};

describe('fromAssumeRole params, as properties', () => {
  test('valid params are accepted and nothing is sent', () => {
    fc.assert(
      fc.property(validParams(roleArn, duration(900, 43_200), true), (params) => {
        const { handler, clientConfig } = recordingOptions();
        const provider = fromAssumeRole({ params: params as never, clientConfig, mfaCodeProvider });
        provider.close();
        expect(handler.requests).toHaveLength(0);
      }),
      { numRuns: FUZZ_RUNS.valid },
    );
  });

  test('one broken field is an InvalidParameterError naming it, and nothing is sent', () => {
    fc.assert(
      fc.property(breakOne(validParams(roleArn, duration(900, 43_200), true), BREAKERS), ({ params, field }) => {
        const { handler, clientConfig } = recordingOptions();
        // A TokenCode needs its SerialNumber, or the error names the pairing instead.
        const withDevice = field === 'TokenCode' ? { SerialNumber: 'arn:aws:iam::111122223333:mfa/fuzz', ...params } : params;
        expectRejected(() => fromAssumeRole({ params: withDevice as never, clientConfig, mfaCodeProvider }), field);
        expect(handler.requests).toHaveLength(0);
      }),
      { numRuns: FUZZ_RUNS.invalid },
    );
  });

  test('an unknown or misspelt key is refused by name', () => {
    fc.assert(
      fc.property(validParams(roleArn, duration(900, 43_200), true), unknownKey, fc.anything(), (params, key, value) => {
        fc.pre(value !== undefined && value !== null);
        const { handler, clientConfig } = recordingOptions();
        expectRejected(() => fromAssumeRole({ params: { ...params, [key]: value } as never, clientConfig, mfaCodeProvider }), key);
        expect(handler.requests).toHaveLength(0);
      }),
      { numRuns: FUZZ_RUNS.valid },
    );
  });
});

describe('fromAssumeRole params sts-local accepts too', () => {
  let server: StsLocal;
  beforeAll(async () => {
    server = await startStsLocal();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('valid params sent through a real STSClient are never a ValidationError or MalformedPolicyDocument', async () => {
    const demoRole = fc.constant(`arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`);
    await fc.assert(
      fc.asyncProperty(validParams(demoRole, duration(900, 43_200), false), async (params) => {
        const provider = fromAssumeRole({
          params: params as never,
          clientConfig: {
            endpoint: server.endpoint,
            region: 'us-east-1',
            maxAttempts: 1,
            credentials: { accessKeyId: 'AKIABTX3GSDSSLUIMDMY', secretAccessKey: 'aliceDemoSecretKey/credchain/EXAMPLEKEY0' },
          },
          retry: { retries: 0 },
        });
        try {
          const credentials = await provider();
          expect(credentials.accessKeyId).toMatch(/^ASIA/);
        } catch (error) {
          // The one refusal a valid request may meet: session tags and policies too large once packed.
          expect(error).toBeInstanceOf(StsError);
          expect((error as StsError).code).toBe('PackedPolicyTooLarge');
        } finally {
          provider.close();
        }
      }),
      { numRuns: FUZZ_RUNS.stsLocal },
    );
  });
});
