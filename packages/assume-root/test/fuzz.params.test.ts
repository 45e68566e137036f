// Property-based: fromAssumeRoot's params. Valid AssumeRoot inputs (TargetPrincipal a 12-digit
// account or its root ARN, TaskPolicyArn one of AWS's root-task policies in any partition,
// DurationSeconds up to 900 but past the 60 s mandatory window, MinimumSessionTokenSize 0–4096)
// are accepted with no request sent; each field broken alone is an InvalidParameterError naming
// it, with no request sent; a sample of valid inputs is accepted by sts-local too.
// Cases run: 100 valid + 200 invalid + 100 unknown keys + 15 through sts-local + 2 regressions = 417 per run.
import { InvalidParameterError } from '@credchain/core';
import { DEMO_MEMBER_ACCOUNT } from '@credchain/sts-local';
import { ALICE, localConfig, useStsLocal } from '@credchain/testkit/sts-local';
import fc from 'fast-check';

import {
  BREAKERS,
  badInteger,
  describeFactoryFuzz,
  duration,
  expectStsLocalAccepts,
  optional,
  tokenSize,
  withoutAbsent,
} from '../../core/test/fuzzArbitraries';
import { fromAssumeRoot } from '../src';

const TASKS = [
  'IAMAuditRootUserCredentials',
  'IAMCreateRootUserPassword',
  'IAMDeleteRootUserCredentials',
  'S3UnlockBucketPolicy',
  'SQSUnlockQueuePolicy',
];
const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
const account = fc.stringMatching(/^\d{12}$/);

// sts-local plays the aws partition only, so its sample keeps to it; the factory takes any.
const validParams = (accounts: fc.Arbitrary<string>, partitions: fc.Arbitrary<string>) =>
  fc
    .record({
      TargetPrincipal: fc.oneof(
        accounts,
        fc.tuple(partitions, accounts).map(([p, a]) => `arn:${p}:iam::${a}:root`),
      ),
      TaskPolicyArn: fc
        .tuple(partitions, fc.constantFrom(...TASKS))
        .map(([p, t]) => ({ arn: `arn:${p}:iam::aws:policy/root-task/${t}` })),
      // STS allows 0–900; a duration inside the 60 s mandatory window could never be handed out.
      DurationSeconds: optional(duration(61, 900)),
      MinimumSessionTokenSize: optional(tokenSize),
    })
    .map(withoutAbsent);

describeFactoryFuzz(
  'fromAssumeRoot',
  validParams(account, partition),
  {
    TargetPrincipal: fc.oneof(
      fc.constantFrom<unknown>(
        7,
        {},
        '12345678901',
        '1234567890123',
        'arn:aws:iam::123456789012:user/x',
        'arn:aws:iam::123456789012:rootx',
      ),
      account.map((a) => `arn:aws:sts::${a}:root`),
    ),
    TaskPolicyArn: fc.oneof(
      fc.constantFrom<unknown>(
        'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
        7,
        [],
        {},
        { arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      ),
      fc.constantFrom(...TASKS).map((t) => ({ arn: `arn:aws:iam::123456789012:policy/root-task/${t}` })),
    ),
    DurationSeconds: fc.oneof(badInteger(0, 900), fc.integer({ min: 0, max: 60 })),
    MinimumSessionTokenSize: BREAKERS.MinimumSessionTokenSize,
  },
  (params, clientConfig) => fromAssumeRoot({ params: params as never, clientConfig }),
);

// What fast-check's TaskPolicyArn breakers showed, kept as plain regression tests: a string or
// null is refused as what it is, not as a descriptor with fields `0`, `1`, … or a missing arn.
test.each([
  [
    'a string',
    'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
    'TaskPolicyArn',
    'must be an object { arn } (got a string)',
  ],
  ['null', null, 'TaskPolicyArn', 'is required'],
])(
  'TaskPolicyArn that is %s is an InvalidParameterError naming TaskPolicyArn itself',
  (_name, value, parameter, rule) => {
    expect(() =>
      fromAssumeRoot({
        params: { TargetPrincipal: '123456789012', TaskPolicyArn: value } as never,
        clientConfig: { region: 'eu-west-1' },
      }),
    ).toThrow(expect.objectContaining({ constructor: InvalidParameterError, parameter, rule }) as Error);
  },
);

describe('fromAssumeRoot params sts-local accepts too', () => {
  const sts = useStsLocal();

  test('valid params for the demo member account, signed by the management account, get credentials', async () => {
    // STS writes Expiration in whole seconds and the answer takes time to arrive, so credentials
    // asked for a little over the 60 s mandatory window can arrive with less than it left, which the
    // engine rightly refuses (engine rule 7). The round trip draws durations clear of that edge.
    const clearOfTheWindow = (params: Record<string, unknown>) =>
      typeof params.DurationSeconds !== 'number' || params.DurationSeconds >= 90;
    await expectStsLocalAccepts(
      validParams(fc.constant(DEMO_MEMBER_ACCOUNT), fc.constant('aws')).filter(clearOfTheWindow),
      (params) =>
        fromAssumeRoot({
          params: params as never,
          clientConfig: { ...localConfig(sts()), maxAttempts: 1, credentials: ALICE },
          retry: { retries: 0 },
        }),
      [],
    );
  });
});
