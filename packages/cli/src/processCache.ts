import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { writePrivateFile } from '@credchain/profile';
import type { AwsCredentialIdentity } from '@smithy/types';

import type { CliIo } from './io';

/** botocore refreshes credential_process credentials this long before they expire. */
const REFRESH_BEFORE_MS = 15 * 60_000;

interface Entry {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration: string;
  readonly issuedAt: number;
}

/** `--cache-dir`, else CREDCHAIN_CACHE_DIR, else `$XDG_CACHE_HOME/credchain` (`~/.cache/credchain`). */
export function cacheDir(env: CliIo['env'], given: string | undefined): string {
  if (given) return given;
  if (env.CREDCHAIN_CACHE_DIR) return env.CREDCHAIN_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'credchain');
}

async function digestOf(path: string | undefined): Promise<string> {
  if (path === undefined) return '';
  try {
    return createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  } catch {
    return 'absent';
  }
}

/**
 * The cache file name of a profile's credentials: a hash of what they depend on, including the
 * contents of both files, so an edited profile never serves credentials of its old definition.
 */
export async function cacheKey(parts: {
  profile: string;
  region: string | undefined;
  endpoint: string | undefined;
  configFile: string;
  credentialsFile: string;
}): Promise<string> {
  const files = await Promise.all([digestOf(parts.configFile), digestOf(parts.credentialsFile)]);
  return createHash('sha256')
    .update(JSON.stringify([parts, files]))
    .digest('hex');
}

/** Cached credentials still fresh enough to hand out, or undefined (none, corrupt, expiring). */
export async function readCached(dir: string, key: string, now: number): Promise<AwsCredentialIdentity | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8'));
  } catch {
    return undefined;
  }
  // Anything may be in the file (`null`, a number, another tool's JSON): only an entry counts.
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const entry = parsed as Partial<Entry>;
  if (
    typeof entry.accessKeyId !== 'string' ||
    typeof entry.secretAccessKey !== 'string' ||
    typeof entry.expiration !== 'string'
  )
    return undefined;
  const expiration = Date.parse(entry.expiration);
  if (Number.isNaN(expiration)) return undefined;
  const lifetime = typeof entry.issuedAt === 'number' ? expiration - entry.issuedAt : Number.NaN;
  // Never less than half the lifetime left: short sessions would otherwise never be reused. A
  // lifetime that makes no sense (issued after it expires, not a number) gets the full margin.
  const margin = lifetime > 0 ? Math.min(REFRESH_BEFORE_MS, lifetime / 2) : REFRESH_BEFORE_MS;
  if (!(expiration - now > margin)) return undefined;
  return {
    accessKeyId: entry.accessKeyId,
    secretAccessKey: entry.secretAccessKey,
    ...(typeof entry.sessionToken === 'string' ? { sessionToken: entry.sessionToken } : {}),
    expiration: new Date(expiration),
  };
}

/** Writes the entry readable by its owner only (0600), replacing the old one atomically (`writePrivateFile`). */
export async function writeCached(
  dir: string,
  key: string,
  credentials: AwsCredentialIdentity,
  now: number,
): Promise<void> {
  if (credentials.expiration === undefined) return; // long-term keys: nothing to save a call for
  const entry: Entry = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    expiration: credentials.expiration.toISOString(),
    issuedAt: now,
  };
  await writePrivateFile(dir, `${key}.json`, JSON.stringify(entry));
}
