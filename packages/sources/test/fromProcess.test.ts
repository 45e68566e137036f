import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { InvalidParameterError } from '@credchain/core';
import { expectNoSecret, observe, rejectionOf, until, useFakeTimers } from '@credchain/testkit';

import { CredentialSourceError, fromProcess, processFetch } from '../src';

// fromProcess runs a real command (node and a tiny script) the way the AWS CLI runs credential_process:
// split like a shell would, without a shell. The script prints what the test wrote to a file and counts
// its runs; with an exit code and a stderr line when asked.

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDx5Rcanary7token';
const MINUTE = 60_000;

let dir: string;
let script: string;
let out: string;
let runs: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credchain-sources-process-'));
  script = join(dir, 'print credentials.js');
  out = join(dir, 'out');
  runs = join(dir, 'runs');
  writeFileSync(
    script,
    "const fs = require('fs');\n" +
      `fs.appendFileSync(${JSON.stringify(runs)}, 'x');\n` +
      `const [text, code, stderr] = JSON.parse(fs.readFileSync(${JSON.stringify(out)}, 'utf8'));\n` +
      'if (stderr) process.stderr.write(stderr);\n' +
      'process.stdout.write(text, () => process.exit(code));\n',
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What the next run prints (stdout), exits with and says on stderr. */
function prints(stdout: unknown, code = 0, stderr = ''): void {
  writeFileSync(out, JSON.stringify([typeof stdout === 'string' ? stdout : JSON.stringify(stdout), code, stderr]));
}
const command = () => `"${process.execPath}" '${script}'`;
const runCount = () => {
  try {
    return readFileSync(runs, 'utf8').length;
  } catch {
    return 0;
  }
};
const output = (key: string, expiration?: Date) => ({
  Version: 1,
  AccessKeyId: key,
  SecretAccessKey: SECRET,
  SessionToken: TOKEN,
  ...(expiration === undefined ? {} : { Expiration: expiration.toISOString() }),
});

describe('static keys (no Expiration)', () => {
  test('run once, kept for the provider life (as the AWS CLI does); nothing run before the first call', async () => {
    prints({ Version: 1, AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', SecretAccessKey: SECRET });
    const provider = fromProcess({ command: command() });
    expect(runCount()).toBe(0);
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
    expect(b).toBe(a);
    expect(await provider.refresh()).toBe(a);
    expect(runCount()).toBe(1);
    expect(inspect(provider)).toBe('SourceCredentialProvider(process: static keys)');
    expectNoSecret(a, [SECRET]);
  });
});

describe('expiring output', () => {
  afterEach(() => jest.useRealTimers());

  test('the engine runs the command again in the background before expiry; callers never wait for it', async () => {
    useFakeTimers(Date.UTC(2026, 0, 1));
    const seen = observe();
    const start = Date.now();
    prints(output('ASIAFIRST0EXAMPLE000', new Date(start + 15 * MINUTE)));
    using provider = fromProcess({ command: command(), onEvent: seen.onEvent });
    expect((await provider()).accessKeyId).toBe('ASIAFIRST0EXAMPLE000');
    prints(output('ASIASECOND0EXAMPLE00', new Date(start + 30 * MINUTE)));
    // 15-minute credentials: a 5-minute advisory window before the 1-minute mandatory one.
    await jest.advanceTimersByTimeAsync(8 * MINUTE);
    await until(seen.settled);
    expect(runCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(4 * MINUTE);
    await until(seen.settled);
    expect(runCount()).toBe(2);
    expect((await provider()).accessKeyId).toBe('ASIASECOND0EXAMPLE00');
    expect(seen.events.flatMap((e) => (e.type === 'refresh-start' ? [e.reason] : []))).toEqual(['initial', 'timer']);
  });

  test('a command that stops printing an Expiration fails the refresh; valid credentials still served', async () => {
    useFakeTimers(Date.UTC(2026, 0, 1));
    const seen = observe();
    prints(output('ASIAFIRST0EXAMPLE000', new Date(Date.now() + 15 * MINUTE)));
    using provider = fromProcess({ command: command(), onEvent: seen.onEvent, logger: seen.logger });
    await provider();
    prints(output('AKIASTATIC0EXAMPLE00'));
    await jest.advanceTimersByTimeAsync(12 * MINUTE);
    await until(seen.settled);
    expect((await provider()).accessKeyId).toBe('ASIAFIRST0EXAMPLE000');
    const failure = seen.events.find((e) => e.type === 'refresh-failure');
    expect(failure).toMatchObject({ error: { message: 'process: credential_process stopped printing an Expiration' } });
    expectNoSecret([seen.events, seen.lines], [SECRET, TOKEN]);
  });

  test('output that has already expired is refused', async () => {
    prints(output('ASIAFIRST0EXAMPLE000', new Date(Date.now() - 1000)));
    await expect(fromProcess({ command: command() })()).rejects.toThrow(/printed credentials that expired at/);
  });
});

describe('failures are CredentialSourceErrors naming the source, quoting no output and no command line', () => {
  test.each<[string, () => void, RegExp]>([
    [
      'a failing command: its exit code and its stderr, redacted',
      () => prints('', 3, `token expired, log in ${SECRET}`),
      /failed \(exit 3\): token expired, log in \[withheld\]$/,
    ],
    ['output that is not JSON', () => prints(`AccessKeyId=ASIA SecretAccessKey=${SECRET}`), /did not print JSON$/],
    ['another Version', () => prints({ Version: 2 }), /printed Version 2; supported: 1$/],
    ['a Version that is not a version', () => prints({ Version: SECRET }), /printed Version null; supported: 1$/],
    ['no SecretAccessKey', () => prints({ Version: 1, AccessKeyId: 'AKIA' }), /printed no SecretAccessKey$/],
    ['an Expiration that is no date', () => prints({ ...output('ASIA'), Expiration: 12 }), /not an ISO 8601 date$/],
  ])('%s', async (_what, arrange, message) => {
    arrange();
    const error = await rejectionOf(fromProcess({ command: `${command()} --token ${TOKEN}`, label: 'my tool' })());
    expect(error).toBeInstanceOf(CredentialSourceError);
    expect(error).toMatchObject({ source: 'process', tryNextLink: false });
    expect((error as Error).message).toMatch(/^process: my tool /);
    expect((error as Error).message).toMatch(message);
    expectNoSecret(error, [SECRET, TOKEN, script]);
  });

  test('a command that hangs is killed after timeoutMs', async () => {
    writeFileSync(script, 'setInterval(() => {}, 1000);\n');
    const error = await rejectionOf(fromProcess({ command: command(), timeoutMs: 200 })());
    expect((error as Error).message).toBe('process: credential_process failed (timed out after 200 ms)');
  });

  test('a program that does not exist', async () => {
    const error = await rejectionOf(fromProcess({ command: join(dir, 'missing-tool') })());
    expect((error as Error).message).toBe('process: credential_process failed (ENOENT)');
  });
});

test('processFetch runs the command at every call, for an engine of its own', async () => {
  prints({ Version: 1, AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', SecretAccessKey: SECRET });
  const fetch = processFetch({ command: command() });
  await fetch();
  await fetch();
  expect(runCount()).toBe(2);
});

test('closed before the first run settles, the engine it then builds arms no timer', async () => {
  useFakeTimers();
  try {
    prints(output('ASIAFIRST0EXAMPLE000', new Date(Date.now() + 15 * MINUTE)));
    const provider = fromProcess({ command: command() });
    const pending = provider();
    provider.close();
    await pending;
    expect(jest.getTimerCount()).toBe(0);
  } finally {
    jest.useRealTimers();
  }
});

test.each<[string, Record<string, unknown>]>([
  ['command', {}],
  ['command', { command: '   ' }],
  ['command', { command: "node 'unclosed" }],
  ['timeoutMs', { command: 'node', timeoutMs: -1 }],
  ['env', { command: 'node', env: 'PATH=/bin' }],
  ['label', { command: 'node', label: 3 }],
  ['refresh.jitter', { command: 'node', refresh: { jitter: 2 } }],
  ['logger', { command: 'node', logger: console.log }],
])('names %s when it is wrong, at creation', (parameter, init) => {
  let error: unknown;
  try {
    fromProcess(init as never);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidParameterError);
  expect((error as InvalidParameterError).parameter).toBe(parameter);
});
