import { execFile, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { awsCliVersion, reportPeerMissing } from '@credchain/testkit';

import { EXIT } from '../src';
import { ALICE_MFA, ALICE_SECRET, MFA_SEED, startHarness } from './support/harness';
import type { Harness } from './support/harness';
import { stringMatching } from './support/matchers';

// The bin as a real process, from source (no build needed): what credential_process runs.
const BIN = join(__dirname, 'support', 'credchainFromSource.js');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a process without blocking the event loop (sts-local answers from this very process). */
function run(file: string, args: readonly string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { env, encoding: 'utf8', timeout: 170_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  appendFileSync(
    join(h.dir, 'config'),
    '\n[profile via-credchain]\n' +
      `credential_process = ${process.execPath} ${BIN} credential-process --profile demo\n` +
      'region = us-east-1\n',
  );
});
afterAll(() => h.stop());

describe('the bin as a process', () => {
  test('exit codes reach the process; stderr holds no secret even when everything secret is in play', async () => {
    const wrong = '000000';
    const out = await run(
      process.execPath,
      [BIN, 'get-session-token', '--profile', 'alice', '--serial-number', ALICE_MFA, '--token-code', wrong],
      h.env,
    );
    expect(out.code).toBe(EXIT.MFA);
    expect(out.stderr).toMatch(/STS rejected the MFA code/);
    const totp = await run(
      process.execPath,
      [BIN, 'assume-role', '--profile', 'alice', '--role-arn', 'bad', '--totp-secret-env', 'SEED'],
      { ...h.env, SEED: MFA_SEED },
    );
    expect(totp.code).toBe(EXIT.USAGE);
    for (const text of [out.stderr, totp.stderr]) {
      for (const secret of [ALICE_SECRET, MFA_SEED, wrong]) expect(text).not.toContain(secret);
    }
  });
});

describe('MFA prompt on the controlling terminal (/dev/tty) when stdio is captured', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  if (!hasScript) {
    test('util-linux script missing: reported loudly', () => {
      reportPeerMissing('script');
    });
    return;
  }

  test('credential-process under a pseudo-terminal, stdin, stdout and stderr redirected, asks on the tty', async () => {
    const out = join(h.dir, 'tty-out.json');
    const err = join(h.dir, 'tty-err.txt');
    const command = `${process.execPath} ${BIN} credential-process --profile mfa --no-cache`;
    const inner = `${command} </dev/null >${out} 2>${err}; echo "rc=$?"`;
    const child = spawn('script', ['-qec', inner, '/dev/null'], { env: h.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const done = new Promise<number | null>((resolve) => child.once('close', resolve));
    let typed = false;
    const answered = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        // Once: output after the prompt (the final "rc=0") arrives as the child exits, and a second write
        // to its closed stdin failed the test with EPIPE now and then.
        if (!typed && screen.includes(`MFA code for ${ALICE_MFA}: `)) {
          typed = true;
          child.stdin.write(`${h.server.totp(ALICE_MFA)}\r`);
          resolve();
        }
      });
    });
    await Promise.race([answered, done]); // a child that never asks fails below instead of hanging
    expect(await done).toBe(0);
    expect(screen).toMatch(/rc=0/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      Version: 1,
      AccessKeyId: stringMatching(/^ASIA/),
    });
    expect(readFileSync(err, 'utf8')).not.toMatch(/MFA code/);
  });
});

describe('the AWS CLI runs `credchain credential-process` from a profile', () => {
  const version = awsCliVersion();
  if (version === undefined) {
    test('AWS CLI missing: reported loudly', () => {
      reportPeerMissing('aws');
    });
    return;
  }

  test(`${version}: sts-local verifies its signed call; a second run is served from credchain's cache`, async () => {
    const assumeRoles = () => h.server.calls.filter((c) => c.operation === 'AssumeRole').length;
    const before = assumeRoles();
    for (let i = 0; i < 2; i += 1) {
      const out = await run(
        'aws',
        ['sts', 'get-caller-identity', '--profile', 'via-credchain', '--output', 'json'],
        h.env,
      );
      expect(out).toMatchObject({ code: 0 });
      expect(JSON.parse(out.stdout)).toMatchObject({ Arn: stringMatching(/assumed-role\/demo-role\//) });
    }
    const calls = h.server.calls.filter((c) => c.operation === 'GetCallerIdentity').slice(-2);
    expect(calls).toHaveLength(2);
    for (const call of calls)
      expect(call).toMatchObject({
        outcome: 'success',
        accessKeyId: stringMatching(/^ASIA/),
        callerArn: stringMatching(/demo-role/),
      });
    expect(assumeRoles()).toBe(before + 1);
  });
});
