import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';

import { DEMO_ACCOUNT, demoConfig, startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';

import { main } from '../../src';
import type { CliIo } from '../../src';

export const ALICE_KEY = 'AKIABTX3GSDSSLUIMDMY';
export const ALICE_SECRET = 'aliceDemoSecretKey/credchain/EXAMPLEKEY0';
export const ALICE_MFA = `arn:aws:iam::${DEMO_ACCOUNT}:mfa/alice`;
export const MFA_SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const role = (name: string) => `arn:aws:iam::${DEMO_ACCOUNT}:role/${name}`;

/** Every secret of the demo config: none may ever reach stderr. */
const DEMO_SECRETS = [
  ...demoConfig.accounts.flatMap((a) => (a.rootAccessKeys ?? []).map((k) => k.secretAccessKey)),
  ...(demoConfig.users ?? []).flatMap((u) => [
    ...(u.accessKeys ?? []).map((k) => k.secretAccessKey),
    ...(u.mfaDevices ?? []).map((d) => d.secretBase32),
  ]),
];

export const CONFIG = `
[profile alice]
region = us-east-1

[profile demo]
role_arn = ${role('demo-role')}
source_profile = alice

[profile mfa]
role_arn = ${role('mfa-role')}
source_profile = alice
mfa_serial = ${ALICE_MFA}

[profile chained]
role_arn = ${role('chained-role')}
source_profile = demo

[profile dangling]
role_arn = ${role('demo-role')}
source_profile = nowhere
`;

export const CREDENTIALS = `
[alice]
aws_access_key_id = ${ALICE_KEY}
aws_secret_access_key = ${ALICE_SECRET}
`;

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly stdin?: NodeJS.ReadableStream;
  /** Secrets this run handles besides the demo ones and what it prints: checked to stay off stderr. */
  readonly secrets?: readonly string[];
  readonly openTerminal?: CliIo['openTerminal'];
}

export interface Harness {
  readonly server: StsLocal;
  readonly dir: string;
  /** The environment every run gets: the profile files of `dir`, the endpoint, no ambient keys. */
  readonly env: Record<string, string>;
  /** Moves the time of both sts-local and the command forward (not a clock given to startHarness). */
  advance(ms: number): void;
  now(): number;
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Every secret any run handled (inputs and credentials printed on stdout). */
  readonly seenSecrets: Set<string>;
  stop(): Promise<void>;
}

/** A writable that keeps what is written, and tells a waiter when `pattern` shows up. */
export class Capture extends Writable {
  text = '';
  #waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    this.#waiters = this.#waiters.filter((w) => {
      const m = this.text.match(w.pattern);
      if (m !== null) w.resolve(m);
      return m === null;
    });
    done();
  }

  /** Resolves with the first match of `pattern` in what was written so far or later. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    const m = this.text.match(pattern);
    if (m !== null) return Promise.resolve(m);
    return new Promise((resolve) => this.#waiters.push({ pattern, resolve }));
  }
}

/** Secret values in a command's stdout (credentials it printed), to check they never reach stderr. */
function secretsIn(stdout: string): string[] {
  const found = stdout.matchAll(
    /"?(?:SecretAccessKey|SessionToken|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)"?\s*[:=]\s*['"]?([^'"\s,;]{8,})/g,
  );
  return [...found].map((m) => m[1] as string);
}

/**
 * sts-local on the demo config with a shared, movable clock; profile files in a temp dir; and a
 * `run` of the command in-process that fails the test if stderr ever holds a secret (the canary).
 */
export async function startHarness(
  options: { timeScale?: number; config?: string; credentials?: string; clock?: { now(): number } } = {},
): Promise<Harness> {
  let offset = 0;
  // A given clock is the test's to move; `advance` moves the default one.
  const given = options.clock;
  const clock = { now: () => (given === undefined ? Date.now() + offset : given.now()) };
  const server = await startStsLocal({
    clock,
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'credchain-cli-'));
  writeFileSync(join(dir, 'config'), options.config ?? CONFIG);
  writeFileSync(join(dir, 'credentials'), options.credentials ?? CREDENTIALS);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_ENDPOINT_URL_STS: server.endpoint,
    AWS_REGION: 'us-east-1',
    CREDCHAIN_CACHE_DIR: join(dir, 'cache'),
  };
  const seenSecrets = new Set<string>(DEMO_SECRETS);
  return {
    server,
    dir,
    env,
    seenSecrets,
    advance: (ms) => {
      offset += ms;
    },
    now: () => clock.now(),
    async run(argv, runOptions = {}) {
      const stdout = new Capture();
      const stderr = new Capture();
      const stdin = runOptions.stdin ?? new PassThrough().end();
      const code = await main(argv, {
        env: { ...env, ...runOptions.env },
        stdin,
        stdout,
        stderr,
        signal: new AbortController().signal,
        clock,
        ...(runOptions.openTerminal === undefined ? {} : { openTerminal: runOptions.openTerminal }),
      });
      for (const s of [...secretsIn(stdout.text), ...(runOptions.secrets ?? [])]) seenSecrets.add(s);
      for (const secret of seenSecrets) {
        if (stderr.text.includes(secret))
          throw new Error(
            `a secret reached stderr of credchain ${argv[0] ?? ''}: ${stderr.text.replace(secret, '<the secret>')}`,
          );
      }
      return { code, stdout: stdout.text, stderr: stderr.text, json: <T>() => JSON.parse(stdout.text) as T };
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
