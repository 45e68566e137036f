import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { InvalidSourceCredentialsError, MfaCodeRejectedError, totpCodeProvider } from '@credchain/core';
import type { CredentialEvent } from '@credchain/core';
import { DEMO_ACCOUNT, demoConfig } from '@credchain/sts-local';
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
  roleArn,
  stsFailure,
  useStsLocal,
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

  test('a provider source that yields session credentials is refused at fetch, before STS hears of it', async () => {
    const client = new STSClient({ ...localConfig(sts()), credentials: ALICE });
    const assumed = await client.send(
      new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'source' }),
    );
    client.destroy();
    const role = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    sts().clearCalls();
    using provider = sessionToken({ sourceCredentials: async () => role });
    const error = await rejectionOf(provider());
    expect(error).toBeInstanceOf(InvalidSourceCredentialsError);
    expect((error as Error).message).toContain(role.accessKeyId);
    expectNoSecret(error, [role.secretAccessKey, role.sessionToken]);
    expect(sts().calls).toHaveLength(0);
  });
});

describe('STS errors surface as typed errors without secrets', () => {
  test('InvalidClientTokenId for keys STS does not know', async () => {
    const secretAccessKey = 'unknownSecretKey/credchain/EXAMPLEKEY000';
    const error = await stsFailure(
      sessionToken({ sourceCredentials: { accessKeyId: 'AKIAUNKNOWNEXAMPLE02', secretAccessKey } }),
      [secretAccessKey],
    );
    expect(error).toMatchObject({ code: 'InvalidClientTokenId', operation: 'GetSessionToken', statusCode: 403 });
  });

  test('RegionDisabled where the account deactivated STS (ap-east-1)', async () => {
    const error = await stsFailure(sessionToken({ clientConfig: localConfig(sts(), 'ap-east-1') }));
    expect(error).toMatchObject({ code: 'RegionDisabled', final: true });
  });

  test('ValidationError for a root user session over one hour', async () => {
    const root = demoConfig.accounts.find((a) => a.id === DEMO_ACCOUNT)?.rootAccessKeys?.[0];
    expect(root).toBeDefined();
    const error = await stsFailure(sessionToken({ sourceCredentials: root!, params: { DurationSeconds: 7200 } }), [
      root!.secretAccessKey,
    ]);
    expect(error).toMatchObject({ code: 'ValidationError', final: true });
  });

  test("an MFA device that is not the caller's is a rejected code", async () => {
    const bob = demoConfig.users?.find((u) => u.name === 'bob')?.accessKeys?.[0];
    const provider = sessionToken({
      sourceCredentials: bob!,
      params: { SerialNumber: ALICE_SERIAL },
      mfaCodeProvider: totpCodeProvider({ secret: ALICE_TOTP_SECRET }),
    });
    const error = await rejectionOf(provider());
    provider.close();
    expect(error).toBeInstanceOf(MfaCodeRejectedError);
    expect((error as Error).cause).toMatchObject({ code: 'AccessDenied' });
    expectNoSecret(error, [bob!.secretAccessKey]);
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

  test('a wrong code is MfaCodeRejectedError and is not retried', async () => {
    const valid = [-30_000, 0, 30_000].map((d) => sts().totp(ALICE_SERIAL, Date.now() + d));
    let wrong = '654321';
    while (valid.includes(wrong)) wrong = String((Number(wrong) + 1) % 1_000_000).padStart(6, '0');
    const ask = jest.fn(async () => wrong);
    using provider = sessionToken({ params: { SerialNumber: ALICE_SERIAL }, mfaCodeProvider: ask });
    const error = await rejectionOf(provider());
    expect(error).toBeInstanceOf(MfaCodeRejectedError);
    expectNoSecret(error, [wrong]);
    await jest.advanceTimersByTimeAsync(10 * MINUTE);
    expect(ask).toHaveBeenCalledTimes(1);
    expect(callsOf(sts(), 'GetSessionToken')).toHaveLength(1);
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

test('refresh across expiry: cached until the advisory window, renewed in the background, the new session accepted after the old expired', async () => {
  using provider = sessionToken({ params: { DurationSeconds: 900 } });
  const client = new STSClient({ ...localConfig(sts()), credentials: provider });
  try {
    const first = await provider();
    // 15-minute sessions: the advisory window is the 5 minutes before the last one.
    await jest.advanceTimersByTimeAsync(8 * MINUTE);
    expect(await provider()).toBe(first);
    expect(callsOf(sts(), 'GetSessionToken')).toHaveLength(1);
    for (let minute = 9; minute <= 45; minute++) {
      await jest.advanceTimersByTimeAsync(MINUTE);
      expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(ALICE_ARN);
    }
  } finally {
    client.destroy();
  }
  const sessions = callsOf(sts(), 'GetSessionToken');
  expect(sessions.length).toBeGreaterThanOrEqual(4);
  expect(sessions.every((c) => c.outcome === 'success')).toBe(true);
  // Every signed call was accepted: none was signed with an expired session.
  expect(callsOf(sts(), 'GetCallerIdentity').every((c) => c.outcome === 'success')).toBe(true);
  expect(new Set(callsOf(sts(), 'GetCallerIdentity').map((c) => c.accessKeyId)).size).toBeGreaterThanOrEqual(3);
  // Background refreshes only (the timer, or a caller in the advisory window): no caller waited.
  const reasons = events.filter((e) => e.type === 'refresh-start').map((e) => e.reason);
  expect(reasons.filter((r) => r !== 'timer' && r !== 'advisory')).toEqual(['initial']);
});
