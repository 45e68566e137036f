import { randomBytes } from 'node:crypto';

import { MfaCodeRejectedError, StsError } from '@credchain/core';
import { DEMO_ACCOUNT } from '@credchain/sts-local';
import type { FaultKind, StsLocal } from '@credchain/sts-local';
import { expectNoSecret, observe, rejectionOf, useFakeTimers } from '@credchain/testkit';
import { ALICE, ALICE_SERIAL, callsOf, useStsLocal } from '@credchain/testkit/sts-local';

import { CASES } from './cases';
import type { Init, ProviderCase } from './cases';

// What every provider promises when STS says no: the same answer is the same typed error, an
// StsError naming the operation with STS's code, HTTP status and request id, the SDK's error as its
// cause, and `final` set by the one rule the engine reads (a final error is not retried in the
// background). An MFA code STS refuses is a MfaCodeRejectedError, asked for once.

const sts = useStsLocal();
// Every request this one answers is scoped to ap-east-1, where the demo account has deactivated STS:
// signed ones through the client's region, unsigned ones (SAML, web identity) through its own.
const disabled = useStsLocal({ region: 'ap-east-1' });
afterEach(() => sts().clearFaults());

const UNKNOWN_SECRET = 'unknownSecretKey/credchain/CONTRACT0000';

interface Answer {
  readonly code: string;
  readonly statusCode: number;
  readonly final: boolean;
  /** The server that answers, and the init that makes it answer so; undefined where no init can. */
  readonly provoke: (c: ProviderCase) => undefined | (() => Promise<{ server: StsLocal; init: Init }>);
}

const fault = (kind: FaultKind) => (c: ProviderCase) => async () => {
  sts().injectFault({ kind, operation: c.operation });
  return { server: sts(), init: await c.validInit({ sts: sts() }) };
};

/** The valid init with `params` changed, against the suite's sts-local. */
const changed = (c: ProviderCase, params: Record<string, unknown>) => async () => {
  const init = await c.validInit({ sts: sts() });
  return { server: sts(), init: { ...init, params: { ...init.params, ...params } } };
};

const ANSWERS: readonly Answer[] = [
  {
    code: 'RegionDisabled',
    statusCode: 403,
    final: true,
    provoke: (c) => async () => ({
      server: disabled(),
      init: await c.validInit({ sts: disabled(), region: 'ap-east-1' }),
    }),
  },
  {
    // Not final: IAM makes new access keys known to STS within seconds.
    code: 'InvalidClientTokenId',
    statusCode: 403,
    final: false,
    provoke: (c) =>
      c.signed
        ? async () => ({
            server: sts(),
            init: {
              ...(await c.validInit({ sts: sts() })),
              sourceCredentials: { accessKeyId: 'AKIAUNKNOWNEXAMPLE09', secretAccessKey: UNKNOWN_SECRET },
            },
          })
        : undefined,
  },
  {
    code: 'AccessDenied',
    statusCode: 403,
    final: true,
    provoke: (c) => {
      const refused = c.refused;
      return refused && (async () => ({ server: sts(), init: refused(await c.validInit({ sts: sts() })) }));
    },
  },
  {
    code: 'MalformedPolicyDocument',
    statusCode: 400,
    final: true,
    provoke: (c) => (c.sessionPolicies ? changed(c, { Policy: '{"Version":"2012-10-17"}' }) : undefined),
  },
  {
    // Incompressible policy names: STS measures the packed (compressed) size.
    code: 'PackedPolicyTooLarge',
    statusCode: 400,
    final: true,
    provoke: (c) =>
      c.sessionPolicies
        ? changed(c, {
            PolicyArns: Array.from({ length: 10 }, () => ({
              arn: `arn:aws:iam::${DEMO_ACCOUNT}:policy/${randomBytes(300).toString('hex')}`,
            })),
          })
        : undefined,
  },
  { code: 'Throttling', statusCode: 400, final: false, provoke: fault('throttle') },
  { code: 'ServiceUnavailable', statusCode: 503, final: false, provoke: fault('unavailable') },
];

describe.each(CASES)('$factory', (c) => {
  const rows = ANSWERS.flatMap((answer) => {
    const provoke = answer.provoke(c);
    return provoke === undefined ? [] : [{ ...answer, provoke }];
  });

  test.each(rows)('STS answering $code is an StsError, final: $final', async ({ code, statusCode, final, provoke }) => {
    const { server, init } = await provoke();
    const seen = observe();
    const provider = c.build({ ...init, logger: seen.logger, onEvent: seen.onEvent });
    // Concurrent callers share one call, and its error.
    const errors = await Promise.all(Array.from({ length: 5 }, () => rejectionOf(provider())));
    provider.close();
    const error = errors[0];
    expect(new Set(errors).size).toBe(1);
    expect(callsOf(server, c.operation)).toHaveLength(1);
    const [call] = callsOf(server, c.operation);
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ operation: c.operation, code, statusCode, final, requestId: call?.requestId });
    expect((error as Error).cause).toMatchObject({ name: expect.stringMatching(new RegExp(`^${code}`)) as unknown });
    expect(seen.events.filter((e) => e.type === 'refresh-failure')).toMatchObject([{ final, error }]);
    expectNoSecret(error, [ALICE.secretAccessKey, UNKNOWN_SECRET]);
  });
});

// Core remembers the MFA codes sent for a device, process-wide, until they can no longer be valid:
// each provider's test starts an hour after the last, so none meets a code the one before sent.
let hour = 0;
describe.each(CASES.filter((c) => c.withMfa !== undefined))('$factory with MFA', (c) => {
  beforeEach(() => useFakeTimers(Date.UTC(2026, 10, 26, hour++, 0, 5)));
  afterEach(() => jest.useRealTimers());

  test('an MFA code STS refuses is a MfaCodeRejectedError, final, asked for once and never shown', async () => {
    // A 6-digit code that is none of the three sts-local would accept now.
    const valid = [-30_000, 0, 30_000].map((d) => sts().totp(ALICE_SERIAL, Date.now() + d));
    let wrong = '123456';
    while (valid.includes(wrong)) wrong = String((Number(wrong) + 1) % 1_000_000).padStart(6, '0');
    const ask = jest.fn(async () => wrong);
    const provider = c.build(c.withMfa!(await c.validInit({ sts: sts() }), ask));
    const error = await rejectionOf(provider());
    expect(error).toBeInstanceOf(MfaCodeRejectedError);
    expect(error).toMatchObject({ serialNumber: ALICE_SERIAL, final: true });
    expect((error as Error).cause).toMatchObject({ code: 'AccessDenied', operation: c.operation });
    expectNoSecret(error, [wrong, ALICE.secretAccessKey]);
    // Not retried in the background: a retry would ask for another code, or lock the device.
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    provider.close();
    expect(ask).toHaveBeenCalledTimes(1);
    expect(callsOf(sts(), c.operation).map((call) => [call.errorCode, call.params.TokenCode])).toEqual([
      ['AccessDenied', '[redacted]'],
    ]);
  });
});
