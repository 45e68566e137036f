/**
 * What a user reads: `--version`, every error in the documented `credchain: <ErrorName>: <message>`
 * form (commander's and exec's included), and advice that names the CLI's own flags.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXIT } from '../src';
import { ALICE_MFA, startHarness } from './support/harness';
import type { Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const ERROR_LINE = /^credchain: [A-Z]\w*: \S/;
const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

test('--version and -V print the version of @credchain/cli, from its package.json', async () => {
  for (const flag of ['--version', '-V']) {
    const out = await h.run([flag]);
    expect(out.code).toBe(EXIT.OK);
    expect(out.stdout).toBe(`${manifest.version}\n`);
    expect(out.stderr).toBe('');
  }
});

describe("commander's errors read like every other error (exit 2)", () => {
  test.each([
    ['an unknown option', ['whoami', '--frobnicate'], "UsageError: unknown option '--frobnicate'"],
    ['an unknown command', ['frobnicate'], "UsageError: unknown command 'frobnicate'"],
    [
      'a missing required option',
      ['assume-role', '--profile', 'alice'],
      "UsageError: required option '--role-arn <arn>' not specified",
    ],
    ['a missing argument', ['exec', '--profile', 'alice'], "UsageError: missing required argument 'command'"],
  ])('%s', async (_what, argv, error) => {
    const out = await h.run(argv);
    expect(out.code).toBe(EXIT.USAGE);
    const [first, ...rest] = out.stderr.split('\n');
    expect(first).toBe(`credchain: ${error}`);
    expect(rest).toEqual(['(add --help for usage)', '']);
  });
});

test('a command exec cannot start: credchain: ExecError, exit 6', async () => {
  const out = await h.run(['exec', '--profile', 'alice', '--', 'credchain-no-such-command']);
  expect(out.code).toBe(EXIT.EXEC);
  expect(out.stderr).toBe('credchain: ExecError: cannot run credchain-no-such-command (ENOENT)\n');
});

describe('MFA without a terminal names the flags to use instead (exit 5)', () => {
  test.each([
    ['a command with --serial-number', ['get-session-token', '--profile', 'alice', '--serial-number', ALICE_MFA]],
    ['a profile with mfa_serial', ['whoami', '--profile', 'mfa']],
  ])('%s', async (_what, argv) => {
    const out = await h.run(argv);
    expect(out.code).toBe(EXIT.MFA);
    expect(out.stderr).toMatch(ERROR_LINE);
    expect(out.stderr).toMatch(/^credchain: MfaPromptUnavailableError: no terminal to ask for an MFA code for /);
    expect(out.stderr).toMatch(/--token-code CODE, or --totp-secret-env NAME/);
    expect(out.stderr).not.toMatch(/mfaCodeProvider|TokenCode/);
  });
});

test('a code STS rejects: the error says a code can be used once', async () => {
  h.advance(30_000);
  const wrong = String((Number(h.server.totp(ALICE_MFA)) + 1) % 1_000_000).padStart(6, '0');
  const rejected = await h.run(
    ['get-session-token', '--profile', 'alice', '--serial-number', ALICE_MFA, '--token-code', wrong],
    { secrets: [wrong] },
  );
  expect(rejected.code).toBe(EXIT.MFA);
  expect(rejected.stderr).toMatch(/^credchain: MfaCodeRejectedError: STS rejected the MFA code/);
  expect(rejected.stderr).toMatch(/each code can be used once: if another program used this one, enter the next/);
});

test('a --token-code already used by another credchain process is refused at once, before STS (exit 5)', async () => {
  h.advance(30_000);
  const code = h.server.totp(ALICE_MFA);
  const argv = ['get-session-token', '--profile', 'alice', '--serial-number', ALICE_MFA, '--token-code', code];
  const first = await h.run(argv, { secrets: [code] });
  expect(first.code).toBe(EXIT.OK);
  const calls = h.server.calls.length;
  const again = await h.run(argv, { secrets: [code] });
  expect(again.code).toBe(EXIT.MFA);
  expect(again.stderr).toBe(
    `credchain: MfaCodeReusedError: the MFA code for ${ALICE_MFA} was already used, by this or another process ` +
      `sharing ${h.env.CREDCHAIN_CACHE_DIR}; a code can be used once: give the next one\n`,
  );
  expect(h.server.calls.length).toBe(calls);
});
