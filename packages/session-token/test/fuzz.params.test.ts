// Property-based: fromSessionToken's params. Valid GetSessionToken inputs (DurationSeconds
// 900–129600, SerialNumber [\w+=/:,.@-]{9,256}, TokenCode of 6 digits, MinimumSessionTokenSize
// 0–4096) are accepted with no request sent; each field broken alone is an InvalidParameterError
// naming it, with no request sent; a sample of valid inputs is accepted by sts-local too.
// Cases run: 100 valid + 200 invalid + 100 unknown keys + 15 through sts-local = 415 per run.
import { ALICE, localConfig, useStsLocal } from '@credchain/testkit/sts-local';
import fc from 'fast-check';

import {
  BREAKERS,
  badInteger,
  describeFactoryFuzz,
  duration,
  expectStsLocalAccepts,
  optional,
  serialNumber,
  tokenCode,
  tokenSize,
  withoutAbsent,
} from '../../core/test/fuzzArbitraries';
import { fromSessionToken } from '../src';

const mfaCodeProvider = async () => '123456';

const validParams = (mfa: boolean) =>
  fc
    .record({
      DurationSeconds: optional(duration(900, 129_600)),
      mfa: mfa ? optional(fc.tuple(serialNumber, optional(tokenCode))) : fc.constant(undefined),
      MinimumSessionTokenSize: optional(tokenSize),
    })
    .map(({ mfa: pair, ...rest }) => withoutAbsent({ ...rest, SerialNumber: pair?.[0], TokenCode: pair?.[1] }));

const { SerialNumber, TokenCode, MinimumSessionTokenSize } = BREAKERS;
describeFactoryFuzz(
  'fromSessionToken',
  validParams(true),
  { DurationSeconds: badInteger(900, 129_600), SerialNumber, TokenCode, MinimumSessionTokenSize },
  (params, clientConfig) => fromSessionToken({ params, clientConfig, mfaCodeProvider }),
);

describe('fromSessionToken params sts-local accepts too', () => {
  const sts = useStsLocal();

  test('valid params sent through a real STSClient get credentials', async () => {
    await expectStsLocalAccepts(
      validParams(false),
      (params) =>
        fromSessionToken({
          params,
          clientConfig: { ...localConfig(sts()), maxAttempts: 1, credentials: ALICE },
          retry: { retries: 0 },
        }),
      [],
    );
  });
});
