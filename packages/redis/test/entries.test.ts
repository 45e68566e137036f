import { RESP_TYPES, createClient } from '@redis/client';

import { describeWithRedisServer } from '@credchain/testkit';

import { createRedisStore } from '../src';
import {
  CACHE_KEY,
  OTHER_KEY,
  credentials,
  entryWrittenBy,
  ignored,
  keep,
  newKey,
  rawContents,
  reports,
  secretsOf,
  storeOn,
} from './fixtures';

// Entries: encrypted and authenticated in Redis, and anything but a good entry for this key ignored and
// reported, never served. One redis-server for the file, emptied before each test.
describeWithRedisServer('@credchain/redis entries', (server) => {
  beforeEach(() => server().flushAll());

  test('gives back the credentials it keeps, under a hashed name with a TTL', async () => {
    const now = Date.now();
    const value = credentials(now);
    await using store = storeOn(server());
    await store.set(CACHE_KEY, value, { keepUntil: keep(now) });
    expect(await store.get(CACHE_KEY, {})).toEqual(value);
    expect(await store.get(OTHER_KEY, {})).toBeUndefined();
    const [name] = (await server().command('KEYS', '*')) as string[];
    expect(name).toMatch(/^credchain:[0-9a-f]{64}$/);
    const ttl = (await server().command('PTTL', name!)) as number;
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_540_000);
  });

  test('writes no secret, token, role or source in clear: names are keyed hashes, values ciphertext', async () => {
    const value = credentials();
    await using store = storeOn(server());
    await store.set(CACHE_KEY, value, { keepUntil: keep() });
    const lock = await store.lock(CACHE_KEY, { ttlMs: 10_000 });
    const raw = await rawContents(server());
    expect(raw).toContain(':lock');
    for (const secret of secretsOf(value)) expect(raw).not.toContain(secret);
    // Nor in base64: a value that is base64 of the plaintext would hold the secret's base64.
    for (const secret of secretsOf(value)) expect(raw).not.toContain(Buffer.from(secret).toString('base64'));
    await lock!.release();
  });

  test('the key prefix starts every name it writes, the lock included', async () => {
    await using store = storeOn(server(), { keyPrefix: 'app1:creds:' });
    await store.set(CACHE_KEY, credentials(), { keepUntil: keep() });
    await store.lock(CACHE_KEY, { ttlMs: 10_000 });
    const names = (await server().command('KEYS', '*')) as string[];
    expect(names.sort()).toEqual([expect.stringMatching(/^app1:creds:[0-9a-f]{64}$/), expect.stringMatching(/:lock$/)]);
    expect(names.every((name) => name.startsWith('app1:creds:'))).toBe(true);
  });

  test('an entry encrypted under another key is ignored and reported', async () => {
    await using writer = storeOn(server());
    await using reader = storeOn(server());
    const [, foreign] = await entryWrittenBy(server(), () =>
      writer.set(CACHE_KEY, credentials(), { keepUntil: keep() }),
    );
    const [name] = await entryWrittenBy(server(), () => reader.set(CACHE_KEY, credentials(), { keepUntil: keep() }));
    // Another key names the entry differently, so a reader finds none of a writer's entries; here one
    // is put under the reader's own name.
    await server().command('SET', name, foreign);
    const { problems, report } = reports();
    expect(await reader.get(CACHE_KEY, { report })).toBeUndefined();
    expect(problems).toEqual([
      ignored(name, 'it is encrypted under a key this store does not have (see previousKeys)'),
    ]);
  });

  test.each([
    ['text', 'not an entry'],
    ['base64 of too little', Buffer.from('short').toString('base64')],
    ['an envelope of another version', Buffer.alloc(64, 2).toString('base64')],
    ['base64 with junk in it', `${'A'.repeat(80)}!!`],
    ['binary', '\u0000\u0001\u00ff'],
  ])('garbage (%s) is ignored and reported', async (_, garbage) => {
    await using store = storeOn(server());
    const [name] = await entryWrittenBy(server(), () => store.set(CACHE_KEY, credentials(), { keepUntil: keep() }));
    await server().command('SET', name, garbage);
    const { problems, report } = reports();
    expect(await store.get(CACHE_KEY, { report })).toBeUndefined();
    expect(problems).toMatchObject([{ action: 'get', kind: 'bad-entry' }]);
    expect(problems[0]?.message).toMatch(/^ignored entry credchain:[0-9a-f]{64}: it /);
  });

  test('an entry altered in Redis fails authentication: ignored and reported', async () => {
    await using store = storeOn(server());
    const [name, value] = await entryWrittenBy(server(), () =>
      store.set(CACHE_KEY, credentials(), { keepUntil: keep() }),
    );
    const bytes = Buffer.from(value, 'base64');
    bytes[bytes.length - 3]! ^= 1;
    await server().command('SET', name, bytes.toString('base64'));
    const { problems, report } = reports();
    expect(await store.get(CACHE_KEY, { report })).toBeUndefined();
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('fails authentication')]);
  });

  test("an entry copied to another key's name fails authentication: ignored and reported", async () => {
    await using store = storeOn(server());
    const [, value] = await entryWrittenBy(server(), () => store.set(CACHE_KEY, credentials(), { keepUntil: keep() }));
    const [otherName] = await entryWrittenBy(server(), () =>
      store.set(OTHER_KEY, credentials(Date.now(), 'B'), { keepUntil: keep() }),
    );
    await server().command('SET', otherName, value);
    const { problems, report } = reports();
    expect(await store.get(OTHER_KEY, { report })).toBeUndefined();
    expect(problems).toEqual([ignored(otherName, 'it fails authentication (altered, or copied from another entry)')]);
  });

  test('an entry past its keepUntil by more than a slow SET explains is ignored and reported', async () => {
    let now = Date.now();
    await using store = storeOn(server(), { clock: { now: () => now } });
    await store.set(CACHE_KEY, credentials(now), { keepUntil: now + 60_000 });
    now += 62_000;
    const { problems, report } = reports();
    expect(await store.get(CACHE_KEY, { report })).toBeUndefined();
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('it has expired')]);
  });

  test('an entry Redis still holds because its TTL started late (a slow SET) is ignored quietly', async () => {
    let now = Date.now();
    await using store = storeOn(server(), { clock: { now: () => now } });
    await store.set(CACHE_KEY, credentials(now), { keepUntil: now + 60_000 });
    // Past keepUntil by less than the store's timeout (2 s by default): not served, not reported.
    now += 61_500;
    const { problems, report } = reports();
    expect(await store.get(CACHE_KEY, { report })).toBeUndefined();
    expect(problems).toEqual([]);
  });

  test('Redis drops the entry when its TTL, the keepUntil, ends', async () => {
    const now = Date.now();
    await using store = storeOn(server());
    await store.set(CACHE_KEY, credentials(now), { keepUntil: now + 150 });
    expect(await store.get(CACHE_KEY, {})).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await server().command('KEYS', '*')).toEqual([]);
    expect(await store.get(CACHE_KEY, {})).toBeUndefined();
  });

  test('keepUntil already past: nothing is written, and that is reported', async () => {
    await using store = storeOn(server());
    const { problems, report } = reports();
    await store.set(CACHE_KEY, credentials(), { keepUntil: Date.now() - 1, report });
    expect(await server().command('KEYS', '*')).toEqual([]);
    expect(problems).toEqual([{ action: 'set', kind: 'error', message: 'not written: already past keepUntil' }]);
  });

  test('rotation: a key in previousKeys still reads, new entries use the current key', async () => {
    const [oldKey, newerKey] = [newKey(), newKey()];
    await using before = storeOn(server(), { encryptionKey: oldKey });
    await using after = storeOn(server(), { encryptionKey: newerKey, previousKeys: [oldKey] });
    await using later = storeOn(server(), { encryptionKey: newerKey });
    const old = credentials(Date.now(), 'O');
    await before.set(CACHE_KEY, old, { keepUntil: keep() });
    expect(await after.get(CACHE_KEY, {})).toEqual(old);
    expect(await later.get(CACHE_KEY, {})).toBeUndefined();

    const fresh = credentials(Date.now(), 'N');
    await after.set(CACHE_KEY, fresh, { keepUntil: keep() });
    expect(await later.get(CACHE_KEY, {})).toEqual(fresh);
    expect(await after.get(CACHE_KEY, {})).toEqual(fresh);
    // A process not yet rotated keeps reading its own entry.
    expect(await before.get(CACHE_KEY, {})).toEqual(old);
  });

  test('keys from a function (a KMS data key, a secret manager), base64 text accepted', async () => {
    const key = newKey();
    let asked = 0;
    const encryptionKey = async (): Promise<string> => {
      asked++;
      return key.toString('base64');
    };
    await using store = storeOn(server(), { encryptionKey });
    await using same = storeOn(server(), { encryptionKey: key });
    const value = credentials();
    await store.set(CACHE_KEY, value, { keepUntil: keep() });
    expect(await same.get(CACHE_KEY, {})).toEqual(value);
    expect(asked).toBe(1);
  });

  test.each([
    ['as node-redis answers by default', {}],
    ['with blob strings mapped to Buffers', { commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } }],
  ])("a user's client (%s) is used as given, and close() leaves it open", async (_, clientOptions) => {
    const client = createClient({ url: server().url, ...clientOptions });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const store = createRedisStore({ client, encryptionKey: newKey() });
      const value = credentials();
      await store.set(CACHE_KEY, value, { keepUntil: keep() });
      expect(await store.get(CACHE_KEY, {})).toEqual(value);
      await store.close();
      expect(client.isReady).toBe(true);
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.destroy();
    }
  });
});
