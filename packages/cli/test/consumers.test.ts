import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { main, EXIT } from '../src';
import { ALICE_KEY, ALICE_MFA, Capture, startHarness } from './support/harness';
import type { Harness } from './support/harness';
import { anyString, stringMatching } from './support/matchers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const assumeRoleCalls = () =>
  h.server.calls.filter((c) => c.operation === 'AssumeRole' && c.outcome === 'success').length;

interface ProcessJson {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken?: string;
  Expiration?: string;
}

// exec first: its child signs with the real clock, before the cache tests move sts-local's time.
describe('exec', () => {
  // The child signs a GetCallerIdentity with the credentials of its environment; sts-local verifies it.
  const CHILD = `
    const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
    new STSClient({ endpoint: process.env.STS_ENDPOINT })
      .send(new GetCallerIdentityCommand({}))
      .then(
        (id) => console.log(JSON.stringify({ arn: id.Arn, profile: process.env.AWS_PROFILE ?? null })),
        (e) => { console.error(e.name); process.exit(7); },
      );`;

  test("runs the command with the profile's credentials in its environment", async () => {
    const out = await h.run(['exec', '--profile', 'demo', '--', process.execPath, '-e', CHILD], {
      env: { STS_ENDPOINT: h.server.endpoint, AWS_PROFILE: 'alice' },
    });
    expect(out.code).toBe(EXIT.OK);
    expect(JSON.parse(out.stdout)).toEqual({ arn: stringMatching(/assumed-role\/demo-role\//), profile: null });
    const call = h.server.calls.filter((c) => c.operation === 'GetCallerIdentity').at(-1);
    expect(call).toMatchObject({ outcome: 'success', accessKeyId: stringMatching(/^ASIA/) });
  });

  test("exits with the child's exit code; a command that cannot start is exit 6", async () => {
    const failed = await h.run(['exec', '--profile', 'alice', '--', process.execPath, '-e', 'process.exit(42)']);
    expect(failed.code).toBe(42);
    const missing = await h.run(['exec', '--profile', 'alice', '--', 'credchain-no-such-command']);
    expect(missing.code).toBe(EXIT.EXEC);
    expect(missing.stderr).toMatch(/cannot run credchain-no-such-command \(ENOENT\)/);
  });

  test('with no command it is a usage error', async () => {
    expect((await h.run(['exec', '--profile', 'alice'])).code).toBe(EXIT.USAGE);
  });
});

describe('credential-process', () => {
  test('prints Version 1 JSON and serves repeated calls from its cache while the credentials live', async () => {
    const before = assumeRoleCalls();
    const first = await h.run(['credential-process', '--profile', 'demo']);
    expect(first.code).toBe(EXIT.OK);
    const creds = first.json<ProcessJson>();
    expect(creds).toEqual({
      Version: 1,
      AccessKeyId: stringMatching(/^ASIA/),
      SecretAccessKey: anyString(),
      SessionToken: anyString(),
      Expiration: stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(assumeRoleCalls()).toBe(before + 1);

    h.advance(30 * 60_000); // half of the hour left: still served from the cache
    const second = await h.run(['credential-process', '--profile', 'demo']);
    expect(second.json()).toEqual(creds);
    expect(assumeRoleCalls()).toBe(before + 1);

    h.advance(20 * 60_000); // 10 minutes left: inside botocore's refresh window, so fetch anew
    const third = await h.run(['credential-process', '--profile', 'demo']);
    expect(third.json<ProcessJson>().AccessKeyId).not.toBe(creds.AccessKeyId);
    expect(assumeRoleCalls()).toBe(before + 2);
  });

  test('the cache file is private (0600) and replaced atomically (no temp file left)', async () => {
    await h.run(['credential-process', '--profile', 'chained']);
    const dir = join(h.dir, 'cache');
    const files = readdirSync(dir);
    expect(files.every((f) => f.endsWith('.json') && !f.startsWith('.'))).toBe(true);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  test('a corrupt cache file costs an STS call, not an error; an edited profile gets no old credentials', async () => {
    const dir = join(h.dir, 'cache');
    await h.run(['credential-process', '--profile', 'demo']);
    for (const f of readdirSync(dir)) writeFileSync(join(dir, f), '{not json');
    const before = assumeRoleCalls();
    const out = await h.run(['credential-process', '--profile', 'demo']);
    expect(out.code).toBe(EXIT.OK);
    expect(assumeRoleCalls()).toBe(before + 1);

    const { readFileSync } = await import('node:fs');
    const config = join(h.dir, 'config');
    const original = readFileSync(config, 'utf8');
    try {
      writeFileSync(config, `${original}\n[profile unrelated]\nregion = eu-west-1\n`);
      await h.run(['credential-process', '--profile', 'demo']);
      expect(assumeRoleCalls()).toBe(before + 2);
    } finally {
      writeFileSync(config, original);
    }
  });

  test('--no-cache always calls STS', async () => {
    const before = assumeRoleCalls();
    await h.run(['credential-process', '--profile', 'demo', '--no-cache']);
    await h.run(['credential-process', '--profile', 'demo', '--no-cache']);
    expect(assumeRoleCalls()).toBe(before + 2);
  });

  test('stdout and stderr captured (as by an SDK): an MFA profile asks on the terminal, uses the answer', async () => {
    h.advance(30_000);
    const code = h.server.totp(ALICE_MFA);
    const question = new Capture();
    const input = Object.assign(new PassThrough(), { isTTY: true });
    let closed = 0;
    const out = await h.run(['credential-process', '--profile', 'mfa'], {
      secrets: [code],
      openTerminal: () => {
        setImmediate(() => input.write(`${code}\n`));
        return { input, output: question, close: () => (closed += 1) };
      },
    });
    expect(out.code).toBe(EXIT.OK);
    expect(question.text).toBe(`MFA code for ${ALICE_MFA}: `);
    expect(out.stderr).toBe('');
    expect(closed).toBe(1);
    expect(out.json()).toMatchObject({ Version: 1, AccessKeyId: stringMatching(/^ASIA/) });
  });

  test('static keys are printed without Expiration', async () => {
    const out = await h.run(['credential-process', '--profile', 'alice']);
    expect(out.json()).toEqual({ Version: 1, AccessKeyId: ALICE_KEY, SecretAccessKey: anyString() });
  });
});

describe('export', () => {
  /** The variables a shell script sets: name → value, one match of `pattern` (name, value) each. */
  const parse = (text: string, pattern: RegExp): Record<string, string | undefined> =>
    Object.fromEntries([...text.matchAll(pattern)].map((m) => [m[1] ?? '', m[2]] as const));

  test('--format env is what a POSIX shell evaluates into the variables', async () => {
    const out = await h.run(['export', '--profile', 'demo']);
    expect(out.code).toBe(EXIT.OK);
    const shell = spawnSync(
      'sh',
      ['-c', `${out.stdout}\nprintf '%s\\n' "$AWS_ACCESS_KEY_ID" "$AWS_SESSION_TOKEN" "$AWS_REGION"`],
      { encoding: 'utf8', env: {} },
    );
    const [key, token, region] = shell.stdout.trim().split('\n');
    expect(key).toMatch(/^ASIA/);
    expect(token).toBe(parse(out.stdout, /^export (\w+)='([^']*)'$/gm).AWS_SESSION_TOKEN);
    expect(region).toBe('us-east-1');
  });

  test('--format fish and --format powershell set the same variables', async () => {
    const fish = await h.run(['export', '--profile', 'demo', '--format', 'fish']);
    const vars = parse(fish.stdout, /^set -gx (\w+) '([^']*)';$/gm);
    expect(Object.keys(vars).sort()).toEqual(
      [
        'AWS_ACCESS_KEY_ID',
        'AWS_CREDENTIAL_EXPIRATION',
        'AWS_DEFAULT_REGION',
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
      ].sort(),
    );
    const ps = await h.run(['export', '--profile', 'demo', '--format', 'powershell']);
    expect(Object.keys(parse(ps.stdout, /^\$Env:(\w+) = '([^']*)'$/gm)).sort()).toEqual(Object.keys(vars).sort());
  });

  test('--format json is the credential_process shape; an unknown format is a usage error', async () => {
    const json = await h.run(['export', '--profile', 'demo', '--format', 'json']);
    expect(json.json()).toMatchObject({
      Version: 1,
      AccessKeyId: stringMatching(/^ASIA/),
      SessionToken: anyString(),
    });
    const bad = await h.run(['export', '--profile', 'demo', '--format', 'cmd']);
    expect(bad.code).toBe(EXIT.USAGE);
  });
});

describe('sts-local', () => {
  test('starts the emulator, prints its endpoints, and stops when aborted', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const controller = new AbortController();
    const running = main(['sts-local', '--port', '0'], {
      env: {},
      stdin: new PassThrough(),
      stdout,
      stderr,
      signal: controller.signal,
    });
    const [, endpoint] = await stdout.waitFor(/Regional endpoint: (http:\/\/127\.0\.0\.1:\d+)/);
    const out = await h.run(['whoami', '--profile', 'alice', '--endpoint-url', endpoint as string]);
    expect(out.json()).toMatchObject({ Arn: stringMatching(/user\/alice$/) });
    controller.abort();
    await expect(running).resolves.toBe(EXIT.OK);
    expect(stdout.text).toMatch(/sts-local stopped/);
  });
});
