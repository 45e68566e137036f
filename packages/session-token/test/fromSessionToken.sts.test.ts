import { MfaCodeRejectedError, totpCodeProvider } from '@credchain/core';
import type { CredentialEvent } from '@credchain/core';
import { expectNoSecret, rejectionOf, until } from '@credchain/testkit';
import {
  ALICE,
  ALICE_ARN,
  ALICE_SERIAL,
  ALICE_TOTP_SECRET,
  callerArn,
  callsOf,
  localConfig,
  recording,
  rootKeys,
  stsFailure,
  useStsLocal,
  userKeys,
} from '@credchain/testkit/sts-local';

import { fromSessionToken } from '../src';
import type { FromSessionTokenInit } from '../src';

const HOUR = 3_600_000;
const MINUTE = 60_000;
let events: CredentialEvent[];

// Fake timers (installed before each test's sts-local starts; its clock follows them) let tests
// move time; the other tests simply never move it. Each test starts an hour after the last, so no
// MFA code used by one (core remembers them process-wide) is due again in the next.
let hour = 0;
const sts = useStsLocal({ per: 'test', fakeNow: () => Date.UTC(2026, 10, 25, 0, 0, 5) + hour++ * HOUR });
beforeEach(() => {
  events = [];
});

function sessionToken(init: Partial<FromSessionTokenInit> = {}) {
  return fromSessionToken({
    sourceCredentials: ALICE,
    clientConfig: localConfig(sts()),
    onEvent: (event) => events.push(event),
    ...init,
  });
}

describe('fromSessionToken against sts-local', () => {
  test('gets a user session through a real STSClient: 12 h by default, tagged user-session', async () => {
    using provider = sessionToken();
    const credentials = await provider();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.origin).toBe('user-session');
    expect(credentials.expiration.getTime() - Date.now()).toBe(12 * HOUR);
    expect(callsOf(sts(), 'GetSessionToken')).toEqual([
      expect.objectContaining({ outcome: 'success', callerArn: ALICE_ARN, accessKeyId: ALICE.accessKeyId, params: {} }),
    ]);
  });

  test("its credentials sign another SDK client's requests: GetCallerIdentity reports alice, the user", async () => {
    using provider = sessionToken({ params: { DurationSeconds: 900 } });
    expect(await callerArn(sts(), provider)).toBe(ALICE_ARN);
    expect(callsOf(sts(), 'GetCallerIdentity')[0]?.accessKeyId).toBe((await provider()).accessKeyId);
  });

  test.each([900, 129_600])(
    'DurationSeconds %p, the ends of the range, is what sts-local grants',
    async (DurationSeconds) => {
      using provider = sessionToken({ params: { DurationSeconds } });
      expect((await provider()).expiration.getTime() - Date.now()).toBe(DurationSeconds * 1000);
    },
  );
});

// The STS errors every provider maps alike (RegionDisabled, InvalidClientTokenId, throttling, a
// refused MFA code) are in the contract suite, packages/credchain/test/contract; these are its own.
describe('STS errors of GetSessionToken surface as typed errors without secrets', () => {
  test('ValidationError for a root user session over one hour', async () => {
    const root = rootKeys();
    const error = await stsFailure(sessionToken({ sourceCredentials: root, params: { DurationSeconds: 7200 } }), [
      root.secretAccessKey,
    ]);
    expect(error).toMatchObject({ code: 'ValidationError', final: true });
  });

  test("an MFA device that is not the caller's is a rejected code", async () => {
    const bob = userKeys('bob');
    const provider = sessionToken({
      sourceCredentials: bob,
      params: { SerialNumber: ALICE_SERIAL },
      mfaCodeProvider: totpCodeProvider({ secret: ALICE_TOTP_SECRET }),
    });
    const error = await rejectionOf(provider());
    provider.close();
    expect(error).toBeInstanceOf(MfaCodeRejectedError);
    expect((error as Error).cause).toMatchObject({ code: 'AccessDenied' });
    expectNoSecret(error, [bob.secretAccessKey]);
  });
});

describe('MFA', () => {
  test("totpCodeProvider with alice's demo secret: an MFA session, one prompt for 1,000 cold callers", async () => {
    const ask = recording(totpCodeProvider({ secret: ALICE_TOTP_SECRET }));
    using provider = sessionToken({ params: { SerialNumber: ALICE_SERIAL }, mfaCodeProvider: ask });
    const results = await Promise.all(Array.from({ length: 1_000 }, () => provider()));
    expect(new Set(results).size).toBe(1);
    expect(ask.codes).toHaveLength(1);
    expect(callsOf(sts(), 'GetSessionToken')).toEqual([
      expect.objectContaining({ outcome: 'success', params: { SerialNumber: ALICE_SERIAL, TokenCode: '[redacted]' } }),
    ]);
    expect(events.filter((e) => e.type === 'mfa-prompt')).toHaveLength(1);
  });

  test('each refresh of an MFA session uses a fresh code, and sts-local accepts every one', async () => {
    const ask = recording(totpCodeProvider({ secret: ALICE_TOTP_SECRET }));
    using provider = sessionToken({
      params: { SerialNumber: ALICE_SERIAL, DurationSeconds: 900 },
      mfaCodeProvider: ask,
    });
    await provider();
    for (let minute = 1; minute <= 60; minute++) {
      await jest.advanceTimersByTimeAsync(MINUTE);
      await provider();
    }
    await until(
      () =>
        events.filter((e) => e.type === 'refresh-start').length ===
        events.filter((e) => e.type === 'refresh-success').length,
    );
    const calls = callsOf(sts(), 'GetSessionToken');
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(calls.every((c) => c.outcome === 'success')).toBe(true);
    expect(ask.codes).toHaveLength(calls.length);
    expect(new Set(ask.codes).size).toBe(ask.codes.length);
  });
});
