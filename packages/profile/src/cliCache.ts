import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import { InvalidParameterError } from '@credchain/core';
import { getHomeDir } from '@smithy/shared-ini-file-loader';

import { pythonJsonDumps, pythonJsonLoads } from './pythonJson';

/** The AssumeRole arguments botocore hashes into a cache file name (the profile's, not its defaults). */
export interface CliCacheKeyArgs {
  readonly RoleArn: string;
  /** Only when the profile sets `role_session_name`: a generated name is left out of the key. */
  readonly RoleSessionName?: string;
  readonly ExternalId?: string;
  readonly SerialNumber?: string;
  readonly DurationSeconds?: number;
  /** A policy document (JSON text): hashed parsed, with its keys sorted, as botocore does. */
  readonly Policy?: string;
}

/**
 * The name (without `.json`) the AWS CLI gives the cache file of an assumed role: the SHA-1 hex of
 * Python's `json.dumps(args, sort_keys=True)`, as botocore's `AssumeRoleCredentialFetcher` computes it.
 */
export function cliCacheKey(args: CliCacheKeyArgs): string {
  // Checked as untyped input: a JavaScript caller can pass anything.
  const given: unknown = args;
  if (typeof given !== 'object' || given === null || typeof (given as { RoleArn?: unknown }).RoleArn !== 'string') {
    throw new InvalidParameterError('RoleArn', 'is required to compute a cache key');
  }
  const hashed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) if (v !== undefined) hashed[k] = v;
  if (args.Policy !== undefined) {
    try {
      hashed.Policy = pythonJsonLoads(args.Policy);
    } catch {
      throw new InvalidParameterError('Policy', 'must be a JSON policy document');
    }
  }
  const digest = createHash('sha1').update(pythonJsonDumps(hashed), 'utf8').digest('hex');
  // botocore makes the key file-name safe; a hex digest already is.
  return digest;
}

/** The AWS CLI's cache directory: `~/.aws/cli/cache` (home as the SDK finds it: `HOME`, …). */
export function defaultCliCacheDir(): string {
  return join(getHomeDir(), '.aws', 'cli', 'cache');
}

/** What the CLI stores: the AssumeRole response, Expiration as a string. */
export interface CliCacheEntry {
  readonly Credentials: {
    readonly AccessKeyId: string;
    readonly SecretAccessKey: string;
    readonly SessionToken: string;
    readonly Expiration: string;
    readonly AccountId?: string;
  };
  readonly AssumedRoleUser?: { readonly AssumedRoleId?: string; readonly Arn?: string };
  readonly [other: string]: unknown;
}

/** Reads a date as the CLI and botocore write them (`…T10:15:06Z`, `…UTC`, `…+00:00`); NaN if none. */
export function parseCliDate(text: string): number {
  return Date.parse(text.replace(/UTC$/, 'Z'));
}

function isEntry(value: unknown): value is CliCacheEntry {
  const credentials = (value as { Credentials?: unknown } | null)?.Credentials;
  if (typeof credentials !== 'object' || credentials === null) return false;
  const c = credentials as Record<string, unknown>;
  return (
    typeof c.AccessKeyId === 'string' &&
    typeof c.SecretAccessKey === 'string' &&
    typeof c.SessionToken === 'string' &&
    typeof c.Expiration === 'string' &&
    !Number.isNaN(parseCliDate(c.Expiration))
  );
}

/** The entry under `key`, or undefined when there is none or it is not one (corrupt, foreign). */
export async function readCliCache(dir: string, key: string): Promise<CliCacheEntry | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, `${key}.json`), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isEntry(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes `text` to `dir/name` readable by its owner only (0600): a temporary file in the same
 * directory, flushed, then renamed over the old one, so a reader in any process sees the old file
 * or the new one, never half of one, and a corrupt or foreign file is simply replaced.
 */
export async function writePrivateFile(dir: string, name: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, join(dir, name));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Writes an entry as the CLI does (atomically, 0600: see `writePrivateFile`). */
export async function writeCliCache(dir: string, key: string, entry: CliCacheEntry): Promise<void> {
  await writePrivateFile(dir, `${key}.json`, JSON.stringify(entry));
}

/** How long `withCacheLock` waits for another process, and when a lock file counts as abandoned. */
export interface CacheLockOptions {
  /** Give up waiting (and go on without the lock) after this long. @default 10 s */
  readonly waitMs?: number;
  /** A lock file older than this was left by a process that died: it is removed. @default 30 s */
  readonly staleMs?: number;
}

// Not unref'd: a caller awaits the wait, and a process with nothing else to do must not exit under it.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` holding `dir/<key>.lock`, a file created with O_EXCL, so that processes sharing a cache
 * directory fetch an entry one at a time: the others wait, then find the entry the first one wrote
 * (`fn` must re-read the cache). A lock older than `staleMs` is taken over; after `waitMs` `fn`
 * runs without the lock (a cache only saves calls: it must never block credentials). Waiting uses
 * the real clock, never an injected one.
 */
export async function withCacheLock<T>(
  dir: string,
  key: string,
  fn: () => Promise<T>,
  options: CacheLockOptions = {},
): Promise<T> {
  const waitMs = options.waitMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const path = join(dir, `${key}.lock`);
  let held = false;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (let waited = 0; ;) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(`${process.pid}\n`).finally(() => handle.close());
        held = true;
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') break; // no lock possible here: go on without
      }
      const since = await stat(path).then(
        (s) => performance.timeOrigin + performance.now() - s.mtimeMs,
        () => 0,
      );
      if (since > staleMs) {
        await unlink(path).catch(() => undefined);
        continue;
      }
      if (waited >= waitMs) break;
      const pause = 20 + Math.floor(Math.random() * 30);
      await sleep(pause);
      waited += pause;
    }
  } catch {
    // the directory cannot be made: fn reports what matters
  }
  try {
    return await fn();
  } finally {
    if (held) await unlink(path).catch(() => undefined);
  }
}
