import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, demoConfig, startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { until, useFakeTimers } from '@credchain/testkit';
import {
  ALICE,
  ALICE_SERIAL,
  ALICE_TOTP_SECRET,
  callerArn,
  callsOf,
  globalDateClock,
  localConfig,
  roleArn,
  sessionArn,
} from '@credchain/testkit/sts-local';
import { generateSync } from 'otplib';

import { createRefreshingProvider } from '../src';
import { sendSts, stsClientGetter, toTemporaryCredentials, tokenCodeSource } from '../src/provider-kit';
import type { CredentialProvider, MfaCodeProvider } from '../src';

// A user's own TOTP generator against sts-local, which checks each code (RFC 6238, ±1 step) and
// refuses a step already accepted for the device, as STS does. Fake timers move core's MFA
// coordinator, the generator (otplib reads Date.now()) and sts-local (globalDateClock) together.
const STEP = 30_000;
const START = Date.UTC(2026, 10, 24, 9, 0, 0) + 5_000; // 5 s into a step

// The demo identities plus a second role that demands MFA, so that two roles share alice's device.
const config = {
  ...demoConfig,
  roles: [
    ...(demoConfig.roles ?? []),
    {
      account: DEMO_ACCOUNT,
      name: 'mfa-role-2',
      maxSessionDuration: 43_200,
      trust: { principals: [`arn:aws:iam::${DEMO_ACCOUNT}:user/alice`], requireMfa: true },
    },
  ],
};

let sts: StsLocal;
beforeEach(async () => {
  useFakeTimers(START);
  sts = await startStsLocal({ config, clock: globalDateClock });
});
afterEach(async () => {
  jest.useRealTimers();
  await sts.stop();
});

/**
 * An AssumeRole provider with MFA, built from core's plumbing as fromAssumeRole is (core's tests
 * cannot import the provider packages, which depend on core): the TokenCode of every fetch comes
 * through the process-wide coordinator.
 */
function mfaRole(role: string, session: string, mfaCodeProvider: MfaCodeProvider): CredentialProvider {
  const client = stsClientGetter({ sourceCredentials: ALICE, clientConfig: localConfig(sts) });
  const tokenCode = tokenCodeSource({
    provider: 'assume-role',
    serialNumber: ALICE_SERIAL,
    tokenCode: undefined,
    mfaCodeProvider,
    roleArn: roleArn(role),
    emit: () => undefined,
  });
  if (tokenCode === undefined) throw new Error('no token code source for a serial');
  return createRefreshingProvider(
    async () => {
      const command = new AssumeRoleCommand({
        RoleArn: roleArn(role),
        RoleSessionName: session,
        SerialNumber: ALICE_SERIAL,
        TokenCode: await tokenCode(),
      });
      const out = await sendSts('AssumeRole', () => client().send(command));
      return toTemporaryCredentials('AssumeRole', out.Credentials, 'role-session', out.AssumedRoleUser?.Arn);
    },
    { name: 'assume-role' },
  );
}

test("the user's own TOTP generator, two roles on one device started in one step: sts-local accepts both", async () => {
  const codes: string[] = []; // held by the test, never printed
  const userTotp: MfaCodeProvider = async () => {
    const code = generateSync({ secret: ALICE_TOTP_SECRET });
    codes.push(code);
    return code;
  };
  using first = mfaRole('mfa-role', 'first', userTotp);
  using second = mfaRole('mfa-role-2', 'second', userTotp);
  const settled: Array<PromiseSettledResult<unknown>> = [];
  for (const provider of [first, second]) {
    provider().then(
      (value) => settled.push({ status: 'fulfilled', value }),
      (reason: unknown) => settled.push({ status: 'rejected', reason }),
    );
  }

  // The first role's code went to sts-local; the second role's ask answered the same code, and
  // core waits for the next step instead of sending it (or giving up).
  await until(() => codes.length >= 2 && callsOf(sts, 'AssumeRole').length >= 1);
  expect(settled).toEqual([]);
  expect(codes).toHaveLength(2);
  expect(codes[1]).toBe(codes[0]);
  await jest.advanceTimersByTimeAsync(STEP - 5_000 - 1);
  expect(codes).toHaveLength(2);
  await jest.advanceTimersByTimeAsync(1);
  await until(() => settled.length === 2);

  expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
  const calls = callsOf(sts, 'AssumeRole');
  expect(calls.map((c) => c.outcome)).toEqual(['success', 'success']);
  expect(codes).toHaveLength(3);
  const [sent1, , sent2] = codes;
  expect(sent2).not.toBe(sent1);
  // Each AssumeRole carried the code of its own step, as sts-local computes it.
  expect(Math.floor(calls[1]!.time / STEP)).toBe(Math.floor(calls[0]!.time / STEP) + 1);
  expect(sts.totp(ALICE_SERIAL, calls[0]!.time)).toBe(sent1);
  expect(sts.totp(ALICE_SERIAL, calls[1]!.time)).toBe(sent2);
  expect(await callerArn(sts, first)).toBe(sessionArn('mfa-role', 'first'));
  expect(await callerArn(sts, second)).toBe(sessionArn('mfa-role-2', 'second'));
});
