import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { InvalidParameterError } from '@credchain/core';
import type { TemporaryCredentials } from '@credchain/core';

import { awsCliCacheStore, cliCacheKey } from '../src';
import { cliCacheFileName } from '../src/cliCacheStore';

// The AWS CLI's cache directory as a store any provider can use: its files, its O_EXCL lock files.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credchain-cli-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const creds = (lifetimeMs = HOUR, id = 'ASIASTORETEST0000001'): TemporaryCredentials => ({
  accessKeyId: id,
  secretAccessKey: 'store-secret-CANARY',
  sessionToken: 'store-token-CANARY',
  // Whole seconds: the CLI's format keeps no milliseconds.
  expiration: new Date(Math.floor((Date.now() + lifetimeMs) / 1_000) * 1_000),
  origin: 'role-session',
  accountId: '123456789012',
});
const KEY = '{"v":1,"op":"AssumeRole","params":{"RoleArn":"arn:aws:iam::123456789012:role/r"},"by":"iam-key:AKIA"}';

describe('awsCliCacheStore', () => {
  test('round trip: what is set is what get returns, in a 0600 file of the CLI format', async () => {
    const store = awsCliCacheStore({ dir });
    const value = creds();
    await store.set(KEY, value, { keepUntil: value.expiration.getTime() - 60_000 });
    expect(await store.get(KEY, {})).toEqual(value);
    const file = join(dir, `${cliCacheFileName(KEY)}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { Credentials: Record<string, string> };
    expect(written.Credentials.AccessKeyId).toBe(value.accessKeyId);
    expect(Date.parse(written.Credentials.Expiration!)).toBe(value.expiration.getTime());
    // The key text (role parameters) is not the file name: a hash of it is.
    expect(cliCacheFileName(KEY)).toMatch(/^[0-9a-f]{40}$/);
  });

  test('an AWS CLI cache name is used as it is, so the store reads what the CLI (and fromProfile) wrote', async () => {
    const name = cliCacheKey({ RoleArn: 'arn:aws:iam::123456789012:role/r' });
    const expiration = new Date(Date.now() + HOUR).toISOString().replace(/\.\d+Z$/, 'UTC');
    const entry = {
      AccessKeyId: 'ASIAFROMTHECLI000001',
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: expiration,
    };
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ Credentials: entry }));
    const store = awsCliCacheStore({ dir });
    expect(await store.get(name, {})).toMatchObject({ accessKeyId: 'ASIAFROMTHECLI000001' });
  });

  test('no entry, an expired entry, a corrupt file: nothing', async () => {
    const store = awsCliCacheStore({ dir });
    expect(await store.get(KEY, {})).toBeUndefined();
    const old = creds(-1_000);
    await store.set(KEY, old, { keepUntil: 0 });
    expect(await store.get(KEY, {})).toBeUndefined();
    writeFileSync(join(dir, `${cliCacheFileName(KEY)}.json`), '{"Credentials": {"AccessKeyId": 1');
    expect(await store.get(KEY, {})).toBeUndefined();
  });

  test('the lock is exclusive, freed only by its holder, and taken over once its TTL has passed', async () => {
    const a = awsCliCacheStore({ dir });
    const b = awsCliCacheStore({ dir });
    const held = await a.lock(KEY, { ttlMs: 30_000 });
    expect(held).toBeDefined();
    expect(await b.lock(KEY, { ttlMs: 30_000 })).toBeUndefined();
    await held!.release();
    const again = await b.lock(KEY, { ttlMs: 30_000 });
    expect(again).toBeDefined();

    // A holder that died: its lock file is older than the TTL, and another process takes it over.
    const lockFile = join(dir, `${cliCacheFileName(KEY)}.lock`);
    const past = new Date(Date.now() - 60_000);
    utimesSync(lockFile, past, past);
    const takenOver = await a.lock(KEY, { ttlMs: 30_000 });
    expect(takenOver).toBeDefined();
    // The dead holder's late release does not free the new holder's lock.
    await again!.release();
    expect(await b.lock(KEY, { ttlMs: 30_000 })).toBeUndefined();
    await takenOver!.release();
    expect(await b.lock(KEY, { ttlMs: 30_000 })).toBeDefined();
  });

  test('bad options are refused by name, before any file is touched; no secret in inspect or JSON', async () => {
    expect(() => awsCliCacheStore({ dir: '' })).toThrow(InvalidParameterError);
    expect(() => awsCliCacheStore({ dir: 42 as unknown as string })).toThrow(/dir/);
    const store = awsCliCacheStore({ dir });
    const value = creds();
    await store.set(KEY, value, { keepUntil: value.expiration.getTime() });
    expect(inspect(store, { depth: 5 })).not.toMatch(/CANARY/);
    expect(JSON.stringify(store)).not.toMatch(/CANARY/);
  });
});
