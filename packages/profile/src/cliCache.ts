import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
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
  if (typeof args !== 'object' || args === null || typeof args.RoleArn !== 'string') {
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
  const c = (value as { Credentials?: Record<string, unknown> } | null)?.Credentials;
  return (
    typeof c === 'object' &&
    c !== null &&
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
 * Writes an entry as the CLI does: a temporary file in the same directory (mode 0600) renamed over
 * the old one, so a reader never sees half a file and a corrupt or foreign file is simply replaced.
 */
export async function writeCliCache(dir: string, key: string, entry: CliCacheEntry): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(entry));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, join(dir, `${key}.json`));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
