import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InvalidParameterError, MfaCodeReusedError, totpCodeProvider } from '@credchain/core';
import type { MfaCodeProvider, MfaPromptContext } from '@credchain/core';
import { startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';

import { fromProfile, shareUsedMfaCodes } from '../src';
import { ALICE, ALICE_MFA, ini, role } from './helpers';

// Each wrapper below stands for one process: what they share is the directory, as processes do.
// Time is jest's fake clock (Date and the waits' timers); file I/O stays real.
const FAKE_TIMERS: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
};
const STEP = 30_000;
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const RECORD = 'credchain-mfa-used-codes.json';
const CONTEXT: MfaPromptContext = { provider: 'assume-role', reason: 'initial', attempt: 1 };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credchain-used-codes-'));
  jest.useFakeTimers({ ...FAKE_TIMERS, now: 1_800_000_000_000 - (1_800_000_000_000 % STEP) + 5_000 });
});
afterEach(() => {
  jest.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** The device's TOTP codes (by jest's Date), with every context it was asked with. */
function totp(): { readonly provider: MfaCodeProvider; readonly asked: Array<MfaPromptContext | undefined> } {
  const generate = totpCodeProvider({ secret: SEED });
  const asked: Array<MfaPromptContext | undefined> = [];
  return {
    provider: (serial, context) => {
      asked.push(context);
      return generate(serial, context);
    },
    asked,
  };
}

/** Settles `promise`, moving fake time a second at a time and letting the record's file I/O through. */
async function withTimeMoving<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  const done = () => (settled = true);
  // A function: the checks below must read the flag as the callbacks left it.
  const isSettled = () => settled;
  promise.then(done, done);
  while (!isSettled()) {
    await jest.advanceTimersByTimeAsync(1000);
    for (let i = 0; i < 20 && !isSettled(); i++) await new Promise((resolve) => setImmediate(resolve));
  }
  return promise;
}

test('a code another process used is not handed out again: it waits for the next 30 s step', async () => {
  const a = totp();
  const b = totp();
  const waits: Array<[string, number]> = [];
  let announced!: () => void;
  const waiting = new Promise<void>((resolve) => (announced = resolve));
  const first = await shareUsedMfaCodes(a.provider, { dir })(ALICE_MFA, CONTEXT);

  const onWait = (serial: string, ms: number) => {
    waits.push([serial, ms]);
    announced();
  };
  const second = shareUsedMfaCodes(b.provider, { dir, onWait })(ALICE_MFA, CONTEXT);
  await waiting;
  expect(waits).toEqual([[ALICE_MFA, 25_000]]);
  await jest.advanceTimersByTimeAsync(24_999);
  expect(b.asked).toHaveLength(1); // not asked again before the step ends
  await jest.advanceTimersByTimeAsync(1);
  expect(b.asked).toHaveLength(2);
  const next = await second;

  expect(next).not.toBe(first);
  expect(next).toBe(await totpCodeProvider({ secret: SEED })(ALICE_MFA));
  expect(b.asked).toEqual([CONTEXT, { ...CONTEXT, reason: 'reused-code', attempt: 2 }]);
});

test('the record holds keyed hashes and times, never a code; private to its owner', async () => {
  const code = await shareUsedMfaCodes(totp().provider, { dir })(ALICE_MFA, CONTEXT);
  expect(readdirSync(dir)).toEqual([RECORD]);
  const path = join(dir, RECORD);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  const text = readFileSync(path, 'utf8');
  expect(text).not.toContain(code);
  expect(JSON.parse(text)).toEqual({
    version: 1,
    used: [{ hash: createHmac('sha256', ALICE_MFA).update(code).digest('hex'), at: Date.now() }],
  });
});

test('with maxAsks 1 (a code that cannot change) a used code fails at once, naming no code', async () => {
  const fixed = () => Promise.resolve('123456');
  await shareUsedMfaCodes(fixed, { dir })(ALICE_MFA, CONTEXT);
  const error: unknown = await shareUsedMfaCodes(fixed, { dir, maxAsks: 1 })(ALICE_MFA, CONTEXT).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MfaCodeReusedError);
  expect((error as Error).message).toBe(
    `the MFA code for ${ALICE_MFA} was already used, by this or another process sharing ${dir}; ` +
      'a code can be used once: give the next one',
  );
});

test('a provider that keeps answering used codes fails after maxAsks, each ask a step later', async () => {
  const fixed = jest.fn(() => Promise.resolve('123456'));
  await shareUsedMfaCodes(fixed, { dir })(ALICE_MFA, CONTEXT);
  const start = Date.now();
  const error = await withTimeMoving(
    shareUsedMfaCodes(fixed, { dir, maxAsks: 3 })(ALICE_MFA, CONTEXT).catch((e: unknown) => e),
  );
  expect(Date.now() - start).toBeGreaterThanOrEqual(25_000 + STEP); // two waits: to the next step, and one more
  expect(error).toBeInstanceOf(MfaCodeReusedError);
  expect((error as Error).message).toMatch(/already used .* 3 times in a row.*is its clock moving\?$/);
  expect(fixed).toHaveBeenCalledTimes(4);
});

test('a code is remembered 5 minutes, longer than STS accepts it', async () => {
  const fixed = () => Promise.resolve('123456');
  await shareUsedMfaCodes(fixed, { dir })(ALICE_MFA, CONTEXT);
  jest.setSystemTime(Date.now() + 5 * 60_000 - 1);
  await expect(shareUsedMfaCodes(fixed, { dir, maxAsks: 1 })(ALICE_MFA, CONTEXT)).rejects.toThrow(/already used/);
  jest.setSystemTime(Date.now() + 1);
  await expect(shareUsedMfaCodes(fixed, { dir, maxAsks: 1 })(ALICE_MFA, CONTEXT)).resolves.toBe('123456');
});

test('one code, two devices: both may use it (the hash is keyed by the serial)', async () => {
  const fixed = () => Promise.resolve('123456');
  await shareUsedMfaCodes(fixed, { dir })(ALICE_MFA, CONTEXT);
  await expect(shareUsedMfaCodes(fixed, { dir, maxAsks: 1 })(`${ALICE_MFA}-2`, CONTEXT)).resolves.toBe('123456');
});

test('an unusable directory costs the sharing, never the code; this process still never repeats one', async () => {
  const file = join(dir, 'not-a-directory');
  writeFileSync(file, '');
  const shared = shareUsedMfaCodes(() => Promise.resolve('123456'), { dir: join(file, 'cache'), maxAsks: 1 });
  await expect(shared(ALICE_MFA, CONTEXT)).resolves.toBe('123456');
  await expect(shared(ALICE_MFA, CONTEXT)).rejects.toThrow(MfaCodeReusedError);
});

test('a corrupt record is replaced, not an error', async () => {
  writeFileSync(join(dir, RECORD), '{"used": [{"hash": 1}], "x"');
  await expect(shareUsedMfaCodes(() => Promise.resolve('123456'), { dir })(ALICE_MFA, CONTEXT)).resolves.toBe('123456');
  expect((JSON.parse(readFileSync(join(dir, RECORD), 'utf8')) as { used: unknown[] }).used).toHaveLength(1);
});

test("answers that are no code go to core as they are (core's check names the problem); nothing recorded", async () => {
  await expect(shareUsedMfaCodes(() => Promise.resolve('12ab'), { dir })(ALICE_MFA, CONTEXT)).resolves.toBe('12ab');
  expect(readdirSync(dir)).toEqual([]);
});

test("keeps a totpCodeProvider's marks (core waits by its clock and period)", () => {
  const generate = totpCodeProvider({ secret: SEED, period: 60 });
  const shared = shareUsedMfaCodes(generate, { dir });
  expect(Object.getOwnPropertySymbols(shared)).toEqual(Object.getOwnPropertySymbols(generate));
  expect(Object.getOwnPropertySymbols(shared).length).toBeGreaterThan(0);
});

test('checks its options, naming them', () => {
  const provider = () => Promise.resolve('123456');
  expect(() => shareUsedMfaCodes(provider, { dir: '' })).toThrow(InvalidParameterError);
  expect(() => shareUsedMfaCodes(provider, { dir: '' })).toThrow(/dir/);
  expect(() => shareUsedMfaCodes(provider, { dir, maxAsks: 0 })).toThrow(/maxAsks must be an integer ≥ 1/);
  expect(() => shareUsedMfaCodes('x' as unknown as MfaCodeProvider, { dir })).toThrow(/codeProvider/);
});

describe('fromProfile with cliCache', () => {
  let sts: StsLocal;
  // The test's time for sts-local, the TOTP codes and the profile's clock alike.
  let now = 0;
  beforeEach(async () => {
    jest.useRealTimers();
    now = Math.ceil(Date.now() / STEP) * STEP + 5_000;
    sts = await startStsLocal({ clock: { now: () => now } });
  });
  afterEach(() => sts.stop());

  test("a code another process recorded in the CLI cache directory is not sent: the profile's role waits", async () => {
    const files = join(dir, 'files');
    const cliCache = join(dir, 'cli-cache');
    mkdirSync(files);
    writeFileSync(
      join(files, 'config'),
      ini({ 'profile mfa': { role_arn: role('mfa-role'), source_profile: 'alice', mfa_serial: ALICE_MFA } }),
    );
    writeFileSync(
      join(files, 'credentials'),
      `[alice]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`,
    );
    const clock = { now: () => now };
    const generate = totpCodeProvider({ secret: SEED, clock });
    const asked: number[] = [];
    // Another process used the current code.
    await shareUsedMfaCodes(generate, { dir: cliCache, clock })(ALICE_MFA, CONTEXT);

    const provider = fromProfile({
      profile: 'mfa',
      configFilepath: join(files, 'config'),
      filepath: join(files, 'credentials'),
      cliCache,
      clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
      refresh: { clock },
      mfaCodeProvider: async (serial, context) => {
        asked.push(clock.now());
        // Time moves on once the used code has been seen: the wait ends at the next step.
        if (asked.length === 1) setImmediate(() => (now += STEP));
        return generate(serial, context);
      },
    });
    try {
      await expect(provider()).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) as unknown });
    } finally {
      provider.close();
    }
    expect(asked).toHaveLength(2);
    expect(sts.calls.filter((c) => c.operation === 'AssumeRole').map((c) => c.outcome)).toEqual(['success']);
    const record = JSON.parse(readFileSync(join(cliCache, RECORD), 'utf8')) as { used: unknown[] };
    expect(record.used).toHaveLength(2);
  });
});
