import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';

import { EXIT, main } from '@credchain/cli';
import { startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';

import { startCredentialServer } from '../../cli/src/credentialServer';
import {
  ALICE_KEY_ID,
  ALICE_SECRET,
  ALICE_SERIAL,
  Canaries,
  TOTP_SECRET,
  canaryConfig,
  render,
  role,
} from './canaries';

// The CLI in-process with canary secrets: stderr never shows one; stdout only where the user asked
// for credentials (credential-process, export, an STS command's own answer). The credential-process
// cache is 0600; the `exec --server` endpoint is loopback only, wants the random token and the Host.

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    this.emit('text');
    done();
  }

  /** Resolves once the written text matches `pattern` (event-driven: no polling on the wall clock). */
  until(pattern: RegExp): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (!pattern.test(this.text)) return;
        this.off('text', check);
        resolve();
      };
      this.on('text', check);
      check();
    });
  }
}

let sts: StsLocal;
let dir: string;
let env: Record<string, string>;
const canaries = new Canaries();
const stderrs: string[] = [];
/** stdouts of commands that print no credentials: checked like stderr. */
const quietStdouts: string[] = [];

beforeAll(async () => {
  sts = await startStsLocal({ config: canaryConfig });
  dir = mkdtempSync(join(tmpdir(), 'credchain-canary-cli-'));
  writeFileSync(
    join(dir, 'config'),
    `[profile alice]\nregion = us-east-1\n\n` +
      `[profile demo]\nrole_arn = ${role('demo-role')}\nsource_profile = alice\n\n` +
      `[profile mfa]\nrole_arn = ${role('mfa-role')}\nsource_profile = alice\nmfa_serial = ${ALICE_SERIAL}\n\n` +
      `[profile denied]\nrole_arn = ${role('saml-role')}\nsource_profile = alice\n`,
  );
  writeFileSync(
    join(dir, 'credentials'),
    `[alice]\naws_access_key_id = ${ALICE_KEY_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`,
  );
  env = {
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    AWS_REGION: 'us-east-1',
    CREDCHAIN_CACHE_DIR: join(dir, 'cache'),
    CANARY_TOTP: TOTP_SECRET,
    PATH: process.env.PATH ?? '',
  };
});
afterAll(async () => {
  await sts.stop();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  expect(canaries.foundIn([...stderrs, ...quietStdouts, render(sts.calls)].join('\n'))).toEqual([]);
});

async function run(argv: readonly string[], extraEnv: Record<string, string> = {}, stdin = new PassThrough()) {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await main(argv, {
    env: { ...env, ...extraEnv },
    stdin,
    stdout,
    stderr,
    signal: new AbortController().signal,
  });
  stderrs.push(stderr.text);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Secret values printed on stdout (credentials the user asked for): canaries from now on. */
function printedSecrets(stdout: string): string[] {
  const found = [
    ...stdout.matchAll(
      /"?(?:SecretAccessKey|SessionToken|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)"?\s*[:=]\s*['"]?([^'"\s,;]{8,})/g,
    ),
  ].map((m) => m[1] as string);
  canaries.add(...found);
  return found;
}

test(
  'credential-process prints the credentials (asked for), caches them in 0600 files, ' + 'and keeps stderr clean',
  async () => {
    const first = await run(['credential-process', '--profile', 'demo']);
    expect(first.code).toBe(EXIT.OK);
    expect(printedSecrets(first.stdout)).toHaveLength(2);
    const cacheDir = join(dir, 'cache');
    const files = readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect((statSync(join(f.parentPath, f.name)).mode & 0o777).toString(8)).toBe('600');
    // The second run is served from the cache: same answer, no call to STS.
    sts.clearCalls();
    const second = await run(['credential-process', '--profile', 'demo']);
    expect(second.stdout).toBe(first.stdout);
    expect(sts.calls).toHaveLength(0);
  },
);

test('export with MFA from --totp-secret-env and from --token-code', async () => {
  const viaSecret = await run(['export', '--profile', 'mfa', '--totp-secret-env', 'CANARY_TOTP']);
  expect(viaSecret.code).toBe(EXIT.OK);
  expect(printedSecrets(viaSecret.stdout)).toHaveLength(2);
  const code = sts.totp(ALICE_SERIAL, sts.now() + 60_000);
  canaries.add(code);
  // A code of a later step is refused by STS: the failure must not show it.
  const refused = await run([
    'get-session-token',
    '--serial-number',
    ALICE_SERIAL,
    '--token-code',
    code,
    '--profile',
    'alice',
  ]);
  expect(refused.code).not.toBe(EXIT.OK);
  quietStdouts.push(refused.stdout);
});

test('an STS command prints its answer (asked for); failures print no secret', async () => {
  const ok = await run(['get-session-token', '--profile', 'alice', '--duration-seconds', '900']);
  expect(ok.code).toBe(EXIT.OK);
  expect(printedSecrets(ok.stdout)).toHaveLength(2);

  const denied = await run(['credential-process', '--profile', 'denied', '--no-cache']);
  expect(denied.code).toBe(3);
  quietStdouts.push(denied.stdout);

  const badInput = await run([
    'assume-role',
    '--role-arn',
    'not-an-arn',
    '--role-session-name',
    'x',
    '--profile',
    'alice',
  ]);
  expect(badInput.code).toBe(EXIT.USAGE);
  quietStdouts.push(badInput.stdout);

  const badTotp = await run(['export', '--profile', 'mfa', '--token-code', 'abc123']);
  expect(badTotp.code).not.toBe(EXIT.OK);
  quietStdouts.push(badTotp.stdout);

  const down = await run([
    'credential-process',
    '--profile',
    'demo',
    '--no-cache',
    '--endpoint-url',
    'http://127.0.0.1:1',
  ]);
  expect(down.code).not.toBe(EXIT.OK);
  quietStdouts.push(down.stdout);

  // Keys in the environment (the SDK's convention) that STS does not know: a signature error.
  const wrong = `${ALICE_SECRET.slice(0, -4)}ZZZZ`;
  canaries.add(wrong);
  const expiredToken = 'FwoGZXIvYXdzECanaryExpiredSessionToken0000';
  canaries.add(expiredToken);
  const badKeys = await run(['get-caller-identity'], {
    AWS_ACCESS_KEY_ID: ALICE_KEY_ID,
    AWS_SECRET_ACCESS_KEY: wrong,
    AWS_SESSION_TOKEN: expiredToken,
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
  });
  expect(badKeys.code).toBe(3);
  quietStdouts.push(badKeys.stdout);
});

/** GET `url` with `headers` (host overridable): the status, or -1 when the connection failed. */
function get(url: string, headers: Record<string, string>, host?: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const req = request({ host: host ?? u.hostname, port: u.port, path: u.pathname, headers, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(-1));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

test('the exec --server endpoint: loopback only, random bearer token, Host checked', async () => {
  const served = {
    accessKeyId: 'ASIACANARY',
    secretAccessKey: `${ALICE_SECRET}-served`,
    sessionToken: 'CanaryServedSessionToken-0123456789',
  };
  canaries.add(served.secretAccessKey, served.sessionToken);
  const reports: string[] = [];
  const server = await startCredentialServer(
    async () => served,
    (m) => reports.push(m),
  );
  const other = await startCredentialServer(
    async () => served,
    (m) => reports.push(m),
  );
  try {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(server.token).not.toBe(other.token); // random, not fixed
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    expect(await get(server.url, { authorization: server.token })).toBe(200);
    expect(await get(server.url, {})).toBe(403);
    expect(await get(server.url, { authorization: `${server.token.slice(0, -1)}x` })).toBe(403);
    expect(await get(server.url, { authorization: other.token })).toBe(403);
    expect(await get(server.url, { authorization: server.token, host: `evil.example:${url.port}` })).toBe(403);
    expect(await get(server.url, { authorization: server.token, host: `localhost:${url.port}` })).toBe(403);
    // Not reachable on any other interface of this machine.
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4');
    for (const i of external) expect(await get(server.url, { authorization: server.token }, i!.address)).toBe(-1);
    expect(reports).toEqual([]);
  } finally {
    await server.stop();
    await other.stop();
  }
});

test(
  'exec --server in-process: the child gets the endpoint and token, not keys; ' + 'the CLI prints no secret',
  async () => {
    const child = `
    const http = require('node:http');
    const uri = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    const probe = (headers) =>
      new Promise((resolve) =>
        http.get(uri, { headers }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', () => resolve(-1)),
      );
    (async () => {
      const result = {
        uri,
        good: await probe({ authorization: token }),
        none: await probe({}),
        wrongHost: await probe({ authorization: token, host: 'evil.example' }),
        keyInEnv: process.env.AWS_SECRET_ACCESS_KEY !== undefined || process.env.AWS_SESSION_TOKEN !== undefined,
      };
      console.log(JSON.stringify(result));
    })();
  `;
    const result = await run(['exec', '--profile', 'demo', '--server', '--', process.execPath, '-e', child]);
    expect(result.code).toBe(EXIT.OK);
    const line = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ good: 200, none: 403, wrongHost: 403, keyInEnv: false });
    expect(line.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    quietStdouts.push(result.stdout);
  },
);

test('sts-local from the CLI with a config of canary keys prints none of them', async () => {
  const configFile = join(dir, 'sts-local.json');
  writeFileSync(configFile, JSON.stringify(canaryConfig));
  const abort = new AbortController();
  const stdout = new Sink();
  const stderr = new Sink();
  const running = main(['sts-local', '--port', '0', '--config', configFile], {
    env,
    stdin: new PassThrough(),
    stdout,
    stderr,
    signal: abort.signal,
  });
  // The banner names the endpoint once the server listens (a failure to start ends `running`).
  await Promise.race([stdout.until(/http:\/\/127\.0\.0\.1:\d+/), running]);
  abort.abort();
  await running;
  expect(stdout.text + stderr.text).toMatch(/127\.0\.0\.1/);
  stderrs.push(stderr.text);
  quietStdouts.push(stdout.text);
});
