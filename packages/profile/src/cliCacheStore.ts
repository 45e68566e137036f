import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import { InvalidParameterError } from '@credchain/core';
import type { CredentialStore, StoreLock, TemporaryCredentials } from '@credchain/core';

import { defaultCliCacheDir, parseCliDate, readCliCache, writeCliCache } from './cliCache';

export interface AwsCliCacheStoreOptions {
  /** The directory. @default `~/.aws/cli/cache`, the AWS CLI's */
  readonly dir?: string;
}

/** A key that is already an AWS CLI cache name (`cliCacheKey`: SHA-1 hex) names its file as it is. */
const CLI_NAME = /^[0-9a-f]{40}$/;

/** The file name (without `.json`) of a key: the CLI's own name, or the SHA-1 hex of the key text. */
export function cliCacheFileName(key: string): string {
  return CLI_NAME.test(key) ? key : createHash('sha1').update(key, 'utf8').digest('hex');
}

/** `2026-11-23T10:15:06Z`: how the AWS CLI writes Expiration. */
function cliDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * The AWS CLI's credential cache (`~/.aws/cli/cache`) as a credential store, usable by any provider's
 * `store` option: entries are the CLI's JSON files (0600, written atomically), locks are `<name>.lock`
 * files created with O_EXCL holding an owner token, so processes on one host share one STS call per
 * role per lifetime. `fromProfile` uses the same files, so the AWS CLI and credchain share role
 * sessions. Entries are in clear, as the CLI keeps them: the directory's permissions protect them.
 */
export function awsCliCacheStore(options: AwsCliCacheStoreOptions = {}): CredentialStore {
  const given: unknown = options;
  if (typeof given !== 'object' || given === null) {
    throw new InvalidParameterError('options', 'must be an object');
  }
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) {
    throw new InvalidParameterError('dir', 'must be a directory path');
  }
  const dir = options.dir ?? defaultCliCacheDir();

  const get = async (key: string): Promise<TemporaryCredentials | undefined> => {
    const entry = await readCliCache(dir, cliCacheFileName(key));
    if (entry === undefined) return undefined;
    const c = entry.Credentials;
    const expires = parseCliDate(c.Expiration);
    // Expired entries stay in the CLI's directory until replaced: not an error, just nothing to serve.
    if (expires <= Date.now()) return undefined;
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(expires),
      ...(typeof c.AccountId === 'string' ? { accountId: c.AccountId } : {}),
      ...(isOrigin(entry.CredchainOrigin) ? { origin: entry.CredchainOrigin } : {}),
    };
  };

  const set = async (key: string, credentials: TemporaryCredentials): Promise<void> => {
    await writeCliCache(dir, cliCacheFileName(key), {
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: cliDate(credentials.expiration),
        ...(credentials.accountId === undefined ? {} : { AccountId: credentials.accountId }),
      },
      // The role-chaining cap depends on where credentials came from; the CLI ignores unknown keys.
      ...(credentials.origin === undefined ? {} : { CredchainOrigin: credentials.origin }),
    });
  };

  const lock = async (key: string, { ttlMs }: { ttlMs: number }): Promise<StoreLock | undefined> => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${cliCacheFileName(key)}.lock`);
    const token = randomBytes(16).toString('hex');
    for (let tries = 0; tries < 2; tries++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(`${process.pid} ${token}\n`).finally(() => handle.close());
        return { release: () => releaseIfOwner(path, token) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      // A lock file older than its TTL was left by a process that died while fetching: take it over.
      const age = await stat(path).then(
        (s) => Date.now() - s.mtimeMs,
        () => Number.POSITIVE_INFINITY,
      );
      if (age <= ttlMs) return undefined;
      await unlink(path).catch(() => undefined);
    }
    return undefined;
  };

  return { name: 'aws-cli-cache', get, set, lock };
}

function isOrigin(value: unknown): value is TemporaryCredentials['origin'] {
  return value === 'role-session' || value === 'user-session' || value === 'federated' || value === 'root-session';
}

// Frees the lock only while it still holds our token: after its TTL another process may have taken it.
async function releaseIfOwner(path: string, token: string): Promise<void> {
  const text = await readFile(path, 'utf8').catch(() => '');
  if (text.trim().endsWith(token)) await unlink(path).catch(() => undefined);
}
