/**
 * The command as a real process on this machine's Node (20 locally; CI runs 22 and 24 too): stderr
 * holds credchain's own lines and nothing else. On Node < 22 the AWS SDK's first client prints an
 * 8-line NodeVersionSupportWarning, which buried the one line of an error under credential_process.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXIT } from '../src';
import { startHarness } from './support/harness';
import type { Harness } from './support/harness';

const BIN = join(__dirname, 'support', 'credchainFromSource.js');
const WITHOUT_STS_LOCAL = join(__dirname, 'support', 'withoutStsLocal.js');
const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

/** The bin from source as its own process, with no NODE_NO_WARNINGS: warnings show as a user sees them. */
function credchain(args: readonly string[], env: Record<string, string> = {}, preload: string[] = []): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...preload, BIN, ...args],
      { env: { ...h.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

test('a signed call leaves stderr empty', async () => {
  const out = await credchain(['whoami', '--profile', 'alice']);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(EXIT.OK);
  expect(JSON.parse(out.stdout)).toMatchObject({ Arn: expect.stringMatching(/:user\/alice$/) as unknown });
});

test("credential-process's failure after reaching for STS is one line: the cause", async () => {
  const out = await credchain(['credential-process', '--profile', 'demo', '--endpoint-url', 'http://127.0.0.1:1']);
  expect(out.code).toBe(EXIT.FAILURE);
  expect(out.stdout).toBe('');
  expect(out.stderr).toMatch(/^credchain: \w+: [^\n]*ECONNREFUSED[^\n]*\n$/);
});

test(`${SWITCH}=false shows the SDK's warning again (it has one on Node < 22 only)`, async () => {
  const out = await credchain(['whoami', '--profile', 'alice'], { [SWITCH]: 'false' });
  expect(out.code).toBe(EXIT.OK);
  if (NODE_MAJOR < 22) expect(out.stderr).toMatch(/NodeVersionSupportWarning/);
  else expect(out.stderr).toBe('');
});

test("exec's command gets the environment as given: the switch is the CLI's own", async () => {
  const out = await credchain([
    'exec',
    '--profile',
    'alice',
    '--',
    process.execPath,
    '-e',
    `console.log(process.env.${SWITCH} ?? 'unset')`,
  ]);
  expect(out).toEqual({ code: EXIT.OK, stdout: 'unset\n', stderr: '' });
});

test('-V as a process prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  expect(await credchain(['-V'])).toEqual({ code: EXIT.OK, stdout: `${version}\n`, stderr: '' });
});

test('sts-local where the optional peer is not installed: one line saying how to get it, exit 7', async () => {
  const out = await credchain(['sts-local', '--port', '0'], {}, ['-r', WITHOUT_STS_LOCAL]);
  expect(out.code).toBe(EXIT.STS_LOCAL_MISSING);
  expect(out.stdout).toBe('');
  expect(out.stderr).toMatch(
    /^credchain: StsLocalMissingError: @credchain\/sts-local is not installed[^\n]*npm install @credchain\/sts-local[^\n]*\n$/,
  );
});
