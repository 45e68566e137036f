import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MfaCodeRejectedError, totpCodeProvider } from '@credchain/core';
import type { CredentialEvent, MfaCodeProvider } from '@credchain/core';
import { fromSessionToken } from '@credchain/session-token';
import { startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { rejectionOf, until, useFakeTimers } from '@credchain/testkit';
import {
  ALICE,
  ALICE_SERIAL,
  ALICE_TOTP_SECRET,
  callerArn,
  callsOf,
  localConfig,
  recording,
  roleArn,
  sessionArn,
} from '@credchain/testkit/sts-local';

import { fromAssumeRole } from '../src';
import type { FromAssumeRoleInit } from '../src';

// MFA against sts-local, which checks TOTP codes (RFC 6238, ±1 step) and refuses a step already
// used for a device. Fake timers move the provider, core's MFA coordinator, the TOTP generator
// and sts-local together; each test starts at its own hour so no code carries over.
const STEP = 30_000;
const MINUTE = 60_000;
let sts: StsLocal;
let events: CredentialEvent[];

async function startAt(hour: number, intoStepMs = 5_000): Promise<void> {
  useFakeTimers(Date.UTC(2026, 10, 24, hour, 0, 0) + intoStepMs);
  sts = await startStsLocal();
  events = [];
}
afterEach(async () => {
  jest.useRealTimers();
  await sts.stop();
});

const totp = () => totpCodeProvider({ secret: ALICE_TOTP_SECRET });

function mfaRole(session: string, mfaCodeProvider: MfaCodeProvider, extra: Partial<FromAssumeRoleInit> = {}) {
  return fromAssumeRole({
    params: { RoleArn: roleArn('mfa-role'), RoleSessionName: session, SerialNumber: ALICE_SERIAL },
    mfaCodeProvider,
    sourceCredentials: ALICE,
    clientConfig: localConfig(sts),
    onEvent: (event) => events.push(event),
    ...extra,
  });
}

test("mfa-role with totpCodeProvider and alice's demo secret: sts-local accepts the code", async () => {
  await startAt(1);
  using provider = mfaRole('with-mfa', totp());
  expect(await callerArn(sts, provider)).toBe(sessionArn('mfa-role', 'with-mfa'));
  const [call] = callsOf(sts, 'AssumeRole');
  expect(call).toMatchObject({ outcome: 'success' });
  expect(call?.params).toMatchObject({ SerialNumber: ALICE_SERIAL, TokenCode: '[redacted]' });
  expect(events.filter((e) => e.type === 'mfa-prompt')).toEqual([
    expect.objectContaining({ serialNumber: ALICE_SERIAL }),
  ]);

  // Control: without a code the role refuses alice.
  using noMfa = fromAssumeRole({
    params: { RoleArn: roleArn('mfa-role') },
    sourceCredentials: ALICE,
    clientConfig: localConfig(sts),
  });
  expect(await rejectionOf(noMfa())).toMatchObject({ code: 'AccessDenied' });
});

test('1,000 concurrent callers on a cold provider: one prompt, one AssumeRole', async () => {
  await startAt(2);
  const inner = totp();
  let prompts = 0;
  const counting: MfaCodeProvider = (serial, context) => {
    prompts++;
    return inner(serial, context);
  };
  using provider = mfaRole('crowd', counting);
  const results = await Promise.all(Array.from({ length: 1_000 }, () => provider()));
  expect(prompts).toBe(1);
  expect(callsOf(sts, 'AssumeRole')).toHaveLength(1);
  expect(new Set(results).size).toBe(1);
});

test('two providers with one serial in the same 30 s step: the second waits for the next code', async () => {
  await startAt(3, 5_000);
  const codes = recording(totp());
  using first = mfaRole('step-one', codes);
  using second = fromAssumeRole({
    params: { RoleArn: roleArn('mfa-role'), RoleSessionName: 'step-two', SerialNumber: ALICE_SERIAL },
    mfaCodeProvider: codes,
    sourceCredentials: ALICE,
    clientConfig: localConfig(sts),
  });
  await first();
  const stepOfFirst = Math.floor(Date.now() / STEP);

  const pending = second();
  // The generator answered the code already used; core waits for the next step instead of sending it.
  await until(() => codes.codes.length === 2);
  expect(codes.codes[1]).toBe(codes.codes[0]);
  expect(callsOf(sts, 'AssumeRole')).toHaveLength(1);
  await jest.advanceTimersByTimeAsync(STEP);
  await pending;

  const calls = callsOf(sts, 'AssumeRole');
  expect(calls.map((c) => c.outcome)).toEqual(['success', 'success']);
  expect(codes.codes).toHaveLength(3);
  const [sent1, , sent2] = codes.codes;
  expect(sent2).not.toBe(sent1);
  expect(Math.floor(calls[1]!.time / STEP)).toBe(stepOfFirst + 1);
  // What each AssumeRole carried, as sts-local computes it for that moment.
  expect(sts.totp(ALICE_SERIAL, calls[0]!.time)).toBe(sent1);
  expect(sts.totp(ALICE_SERIAL, calls[1]!.time)).toBe(sent2);
  expect(await callerArn(sts, second)).toBe(sessionArn('mfa-role', 'step-two'));

  // Control: sts-local refuses the first code if someone does send it again.
  const client = new STSClient({ ...localConfig(sts), credentials: ALICE });
  try {
    const replay = new AssumeRoleCommand({
      RoleArn: roleArn('mfa-role'),
      RoleSessionName: 'replay',
      SerialNumber: ALICE_SERIAL,
      TokenCode: sent2,
    });
    expect(await rejectionOf(client.send(replay))).toMatchObject({ name: 'AccessDenied' });
  } finally {
    client.destroy();
  }
});

test('a background refresh whose code is rejected keeps the cached session and does not prompt again', async () => {
  await startAt(5);
  const inner = totp();
  let answerWrong = false;
  const ask = jest.fn(async (serial: string) => (answerWrong ? '000000' : inner(serial)));
  using provider = mfaRole('refresh-rejected', ask, {
    params: {
      RoleArn: roleArn('mfa-role'),
      RoleSessionName: 'refresh-rejected',
      SerialNumber: ALICE_SERIAL,
      DurationSeconds: 3600,
    },
  });
  const first = await provider();
  answerWrong = true;
  await jest.advanceTimersByTimeAsync(first.expiration.getTime() - 8 * MINUTE - Date.now());
  await until(() => events.some((e) => e.type === 'refresh-failure'));
  expect(events.find((e) => e.type === 'refresh-failure')).toMatchObject({
    final: true,
    error: expect.any(MfaCodeRejectedError) as unknown,
  });
  expect(await provider()).toBe(first);
  await jest.advanceTimersByTimeAsync(6 * MINUTE);
  expect(ask).toHaveBeenCalledTimes(2);
  expect(callsOf(sts, 'AssumeRole')).toHaveLength(2);
});

test('the daemon pattern: one MFA session (fromSessionToken), roles assumed from it for hours', async () => {
  await startAt(6);
  let prompts = 0;
  const inner = totp();
  const counting: MfaCodeProvider = (serial, context) => {
    prompts++;
    return inner(serial, context);
  };
  using session = fromSessionToken({
    params: { SerialNumber: ALICE_SERIAL, DurationSeconds: 43_200 },
    mfaCodeProvider: counting,
    sourceCredentials: ALICE,
    clientConfig: localConfig(sts),
  });
  // mfa-role demands MFA: the session carries it, so the role needs no code of its own.
  using role = fromAssumeRole({
    params: { RoleArn: roleArn('mfa-role'), RoleSessionName: 'daemon', DurationSeconds: 7200 },
    sourceCredentials: session,
    clientConfig: localConfig(sts),
    onEvent: (event) => events.push(event),
  });
  const client = new STSClient({ ...localConfig(sts), credentials: role });
  try {
    for (let minute = 0; minute <= 8 * 60; minute += 5) {
      if (minute > 0) await jest.advanceTimersByTimeAsync(5 * MINUTE);
      expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(sessionArn('mfa-role', 'daemon'));
    }
  } finally {
    client.destroy();
  }
  expect(prompts).toBe(1);
  expect(callsOf(sts, 'GetSessionToken')).toHaveLength(1);
  const assumed = callsOf(sts, 'AssumeRole');
  expect(assumed.length).toBeGreaterThanOrEqual(4);
  expect(assumed.every((c) => c.outcome === 'success' && c.params.DurationSeconds === '7200')).toBe(true);
  expect(events.some((e) => e.type === 'duration-capped')).toBe(false);
});
