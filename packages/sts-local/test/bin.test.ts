import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, demoConfig, type StsLocalConfig } from '../src';
import { DEFAULT_PORT, main, runFromProcess } from '../src/bin/main';
import { totp } from '../src/mfa/totp';

/** A writable that records text and lets a test wait for a line. */
class Captured {
  text = '';
  #waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];

  write(chunk: string): boolean {
    this.text += chunk;
    this.#waiters = this.#waiters.filter((w) => {
      const m = this.text.match(w.pattern);
      if (m !== null) w.resolve(m);
      return m === null;
    });
    return true;
  }

  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    const m = this.text.match(pattern);
    return m !== null ? Promise.resolve(m) : new Promise((resolve) => this.#waiters.push({ pattern, resolve }));
  }
}

function run(argv: string[]) {
  const stdout = new Captured();
  const stderr = new Captured();
  const controller = new AbortController();
  const exit = main(argv, { stdout, stderr, signal: controller.signal });
  return { stdout, stderr, exit, stop: () => controller.abort() };
}

const ENDPOINT = /Regional endpoint: (http:\/\/127\.0\.0\.1:(\d+))/;
const alice = demoConfig.users?.find((u) => u.name === 'alice');
const aliceKey = alice?.accessKeys?.[0];
const aliceMfa = alice?.mfaDevices?.[0];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sts-local-bin-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sts-local (the bin)', () => {
  test('prints the endpoint and the demo identities, which work as printed, until stopped', async () => {
    const cli = run(['--port', '0']);
    const [, endpoint = ''] = await cli.stdout.waitFor(ENDPOINT);
    const out = cli.stdout.text;
    expect(out).toContain('published DEMO values');
    for (const role of demoConfig.roles ?? [])
      expect(out).toContain(`role arn:aws:iam::${role.account}:role${role.path ?? '/'}${role.name}`);
    expect(out).toContain(`MFA device: ${aliceMfa?.serialNumber}`);
    expect(out).toContain(`sts-local totp ${aliceMfa?.serialNumber}`);
    expect(out).toContain(`SAML provider arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`);
    expect(out).toMatch(/OIDC provider .*oidc\.credchain\.example.*audiences sts\.amazonaws\.com, credchain-demo/);
    // Take the keys from the banner, not from the config: what a user would copy must work.
    const [, keyId = '', secret = ''] = out.match(/user arn:aws:iam::\d+:user\/alice\n\s+keys: (\S+) \/ (\S+)/) ?? [];
    expect(keyId).toBe(aliceKey?.accessKeyId);
    const sts = new STSClient({
      endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: keyId, secretAccessKey: secret },
    });
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Arn: `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`,
    });
    cli.stop();
    await expect(cli.exit).resolves.toBe(0);
    expect(cli.stdout.text).toContain('sts-local stopped.');
    const fresh = new STSClient({
      endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: keyId, secretAccessKey: secret },
    });
    await expect(fresh.send(new GetCallerIdentityCommand({}))).rejects.toThrow(/ECONNREFUSED/);
    expect(cli.stderr.text).toBe('');
  });

  test('--config FILE serves that model and prints key IDs but no secret of it', async () => {
    const config: StsLocalConfig = {
      accounts: [{ id: '210987654321' }],
      users: [
        {
          account: '210987654321',
          name: 'dev',
          accessKeys: [{ accessKeyId: 'AKIACONFIGFILEKEY001', secretAccessKey: 'CANARY-config-file-secret-0000' }],
          mfaDevices: [
            { serialNumber: 'arn:aws:iam::210987654321:mfa/dev', secretBase32: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
          ],
        },
      ],
      roles: [
        {
          account: '210987654321',
          name: 'ci',
          trust: { principals: ['arn:aws:iam::210987654321:user/dev'], requireMfa: true },
        },
      ],
    };
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(config));
    const cli = run(['--port', '0', '--config', file, '--time-scale', '0.01']);
    const [, endpoint = ''] = await cli.stdout.waitFor(ENDPOINT);
    expect(cli.stdout.text).toContain('keys: AKIACONFIGFILEKEY001\n');
    expect(cli.stdout.text).toContain(
      'role arn:aws:iam::210987654321:role/ci — trusts arn:aws:iam::210987654321:user/dev; MFA required',
    );
    expect(cli.stdout.text).toContain('Issued lifetimes are scaled by 0.01.');
    expect(cli.stdout.text).not.toMatch(/CANARY|GEZDGNBV/);
    const sts = new STSClient({
      endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIACONFIGFILEKEY001', secretAccessKey: 'CANARY-config-file-secret-0000' },
    });
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Arn: 'arn:aws:iam::210987654321:user/dev',
    });
    cli.stop();
    await expect(cli.exit).resolves.toBe(0);
  });

  test('totp SERIAL prints the current code of a device', async () => {
    const cli = run(['totp', aliceMfa?.serialNumber ?? '']);
    await expect(cli.exit).resolves.toBe(0);
    const before = totp(aliceMfa?.secretBase32 ?? '', Date.now() - 30_000);
    const after = totp(aliceMfa?.secretBase32 ?? '', Date.now());
    expect([before, after]).toContain(cli.stdout.text.trim());
  });

  test('--help prints the options and exits 0 without starting anything', async () => {
    const cli = run(['--help']);
    await expect(cli.exit).resolves.toBe(0);
    for (const option of ['--port', '--host', '--config', '--time-scale', '--global-port', '--region'])
      expect(cli.stdout.text).toContain(option);
    expect(cli.stdout.text).toContain(`default ${DEFAULT_PORT}`);
  });

  test.each([
    [['--port', 'eighty'], '--port must be an integer from 0 to 65535'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['--time-scale', '0'], '--time-scale must be a positive number'],
    [['--verbose'], "Unknown option '--verbose'"],
    [['serve'], 'unknown command serve'],
    [['totp'], 'totp needs the serial number'],
    [
      ['totp', 'arn:aws:iam::111122223333:mfa/nobody'],
      'no MFA device arn:aws:iam::111122223333:mfa/nobody in the config',
    ],
  ])('%j is a usage error (exit 2) saying: %s', async (argv, message) => {
    const cli = run(argv);
    await expect(cli.exit).resolves.toBe(2);
    expect(cli.stderr.text).toContain(`sts-local: ${message}`);
    expect(cli.stderr.text).toContain('Usage: sts-local');
  });

  test('a config file that is not JSON fails to start (exit 1) without quoting its content', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "accounts": [ CANARY-secret-in-broken-file ');
    const cli = run(['--config', file, '--port', '0']);
    await expect(cli.exit).resolves.toBe(1);
    expect(cli.stderr.text).toBe(`sts-local: config file ${file} is not valid JSON\n`);
  });

  test('a config that fails its check names the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ accounts: [{ id: '12' }] }));
    const cli = run(['--config', file, '--port', '0']);
    await expect(cli.exit).resolves.toBe(1);
    expect(cli.stderr.text).toBe('sts-local: config.accounts[0].id must be 12 digits\n');
  });

  test('a port already taken is reported (exit 1) and nothing is left listening', async () => {
    const first = run(['--port', '0']);
    const [, , port = ''] = await first.stdout.waitFor(ENDPOINT);
    const second = run(['--port', port]);
    await expect(second.exit).resolves.toBe(1);
    expect(second.stderr.text).toMatch(/EADDRINUSE/);
    first.stop();
    await expect(first.exit).resolves.toBe(0);
  });

  test('runFromProcess stops on SIGTERM and sets the exit code', async () => {
    const listeners = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const stdout = new Captured();
    const running = runFromProcess(['--port', '0'], { stdout, stderr: new Captured() });
    await stdout.waitFor(ENDPOINT);
    process.emit('SIGTERM');
    await running;
    expect(process.exitCode).toBe(0);
    expect(stdout.text).toContain('sts-local stopped.');
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(listeners);
    process.exitCode = undefined;
  });

  test('package.json maps the sts-local bin to the compiled entry of src/bin/sts-local.ts', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      bin?: Record<string, string>;
    };
    expect(manifest.bin).toEqual({ 'sts-local': 'dist/esm/bin/sts-local.js' });
    expect(readFileSync(join(__dirname, '..', 'src', 'bin', 'sts-local.ts'), 'utf8')).toMatch(
      /^#!\/usr\/bin\/env node\n/,
    );
  });
});
