/**
 * Two `credchain` processes with one TOTP seed, started within one 30 s step and sharing a cache
 * directory: the second does not send the code the first used (STS would reject it without saying
 * why), it says it waits and sends the next step's code. Real child processes against sts-local;
 * their time is the test's: Date in each child reads a file the test rewrites (support/fileClock.js),
 * and sts-local reads the same value, so the 30 s step passes when the test says so, not by sleeping.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ALICE_MFA, MFA_SEED, startHarness } from './support/harness';
import type { Harness } from './support/harness';
import { stringMatching } from './support/matchers';

const BIN = join(__dirname, 'support', 'credchainFromSource.js');
const FILE_CLOCK = join(__dirname, 'support', 'fileClock.js');
const STEP_MS = 30_000;
const WAITING =
  /^credchain: the MFA code for (\S+) was already used \(by another credchain process\?\); waiting (\d+) s/m;

jest.setTimeout(120_000);

interface Child {
  stdout: string;
  stderr: string;
  exited: boolean;
  readonly exit: Promise<number | null>;
}

let h: Harness;
let clockFile: string;
// 5 s into a step: both processes read this time until the test moves it.
let now = Math.ceil(Date.now() / STEP_MS) * STEP_MS + 5_000;

function setTime(ms: number): void {
  now = ms;
  writeFileSync(clockFile, String(ms));
}

beforeAll(async () => {
  h = await startHarness({ clock: { now: () => now } });
  clockFile = join(h.dir, 'clock');
  setTime(now);
});
afterAll(() => h.stop());

function start(args: readonly string[]): Child {
  const child = spawn(process.execPath, ['-r', FILE_CLOCK, BIN, ...args], {
    env: { ...h.env, CREDCHAIN_TEST_CLOCK_FILE: clockFile, ALICE_TOTP: MFA_SEED },
  });
  const out: Child = {
    stdout: '',
    stderr: '',
    exited: false,
    exit: new Promise((resolve) =>
      child.once('close', (code) => {
        out.exited = true;
        resolve(code);
      }),
    ),
  };
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  return out;
}

/** Resolves when `predicate` holds, checking as the children write (no fixed sleep decides anything). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 20));
}

test('the second process waits for the next step instead of sending the used code', async () => {
  const first = h.server.totp(ALICE_MFA);
  const args = [
    'get-session-token',
    '--profile',
    'alice',
    '--serial-number',
    ALICE_MFA,
    '--totp-secret-env',
    'ALICE_TOTP',
  ];
  const children = [start(args), start(args)];

  // Both read the same time, so both generate the same code; the one that records it second waits.
  await until(() => children.some((c) => WAITING.test(c.stderr)) || children.every((c) => c.exited));
  const waiter = children.find((c) => WAITING.test(c.stderr));
  const other = children.find((c) => c !== waiter);
  if (waiter === undefined || other === undefined) {
    throw new Error(`no process waited; stderr: ${children.map((c) => JSON.stringify(c.stderr)).join(', ')}`);
  }
  expect(waiter.stderr.match(WAITING)?.slice(1)).toEqual([ALICE_MFA, '25']);
  setTime(now + STEP_MS);
  const second = h.server.totp(ALICE_MFA);
  expect(second).not.toBe(first);

  expect(await Promise.all(children.map((c) => c.exit))).toEqual([0, 0]);
  expect(other.stderr).toBe('');
  expect(waiter.stderr.trim().split('\n')).toHaveLength(1);
  for (const child of children) {
    expect(JSON.parse(child.stdout)).toMatchObject({ Credentials: { AccessKeyId: stringMatching(/^ASIA/) } });
    expect(child.stderr).not.toContain(first);
    expect(child.stderr).not.toContain(second);
  }
  const sent = h.server.calls.filter((c) => c.operation === 'GetSessionToken');
  expect(sent.map((c) => c.outcome)).toEqual(['success', 'success']);
  // sts-local refuses a step already used for a device (its log redacts the codes): two successes
  // for one device are two codes; the waiter's went out in the next step.
  expect(sent.map((c) => c.params.SerialNumber)).toEqual([ALICE_MFA, ALICE_MFA]);
  expect(Math.max(...sent.map((c) => c.time))).toBe(now);

  // The shared record: hashes and times, never a code; private; no lock file left behind.
  const dir = h.env.CREDCHAIN_CACHE_DIR!;
  expect(readdirSync(dir)).toEqual(['credchain-mfa-used-codes.json']);
  const path = join(dir, 'credchain-mfa-used-codes.json');
  expect(statSync(path).mode & 0o777).toBe(0o600);
  const text = readFileSync(path, 'utf8');
  expect(text).not.toContain(first);
  expect(text).not.toContain(second);
  expect(JSON.parse(text)).toEqual({
    version: 1,
    used: [
      { hash: stringMatching(/^[0-9a-f]{64}$/), at: now - STEP_MS },
      { hash: stringMatching(/^[0-9a-f]{64}$/), at: now },
    ],
  });
});
