import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { withCacheLock, writePrivateFile } from '../src';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credchain-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('holders of one key run one at a time; other keys do not wait; the lock is removed after', async () => {
  let inside = 0;
  let most = 0;
  const order: string[] = [];
  const work = (name: string) => async () => {
    inside++;
    most = Math.max(most, inside);
    await new Promise((resolve) => setImmediate(resolve));
    order.push(name);
    inside--;
    return name;
  };
  const results = await Promise.all([
    withCacheLock(dir, 'k', work('a')),
    withCacheLock(dir, 'k', work('b')),
    withCacheLock(dir, 'k', work('c')),
  ]);
  expect(results).toEqual(['a', 'b', 'c']);
  expect(most).toBe(1);
  expect(readdirSync(dir)).toEqual([]);
});

test('a lock left by a dead process (older than staleMs) is taken over', async () => {
  const lock = join(dir, 'k.lock');
  writeFileSync(lock, '999999\n');
  const old = new Date(Date.now() - 120_000);
  utimesSync(lock, old, old);
  await expect(withCacheLock(dir, 'k', async () => 'ran', { staleMs: 30_000, waitMs: 0 })).resolves.toBe('ran');
  expect(existsSync(lock)).toBe(false);
});

test("a live lock held too long: fn runs anyway after waitMs, and the other holder's lock is left alone", async () => {
  const lock = join(dir, 'k.lock');
  writeFileSync(lock, '1\n');
  await expect(withCacheLock(dir, 'k', async () => 'ran', { waitMs: 0 })).resolves.toBe('ran');
  expect(existsSync(lock)).toBe(true);
});

test('fn errors propagate and release the lock; a directory that cannot exist does not stop fn', async () => {
  await expect(withCacheLock(dir, 'k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(existsSync(join(dir, 'k.lock'))).toBe(false);
  const file = join(dir, 'file');
  writeFileSync(file, '');
  await expect(withCacheLock(join(file, 'sub'), 'k', async () => 'ran')).resolves.toBe('ran');
});

test('writePrivateFile: 0600, replaces the old file, leaves no temporary file', async () => {
  await writePrivateFile(join(dir, 'new'), 'a.json', 'one');
  await writePrivateFile(join(dir, 'new'), 'a.json', 'two');
  expect(readdirSync(join(dir, 'new'))).toEqual(['a.json']);
  expect(readFileSync(join(dir, 'new', 'a.json'), 'utf8')).toBe('two');
  expect(statSync(join(dir, 'new', 'a.json')).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'new')).mode & 0o777).toBe(0o700);
});
