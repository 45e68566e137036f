import { createClient } from '@redis/client';

import { describeWithRedisServer, rejectionOf } from '@credchain/testkit';

import { RedisStoreError, createRedisStore } from '../src';
import type { RedisStore } from '../src';
import { CACHE_KEY, credentials, keep, newKey, storeOn } from './fixtures';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long `promise` takes to reject, and with what. */
async function timedRejection(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const start = Date.now();
  const error = await rejectionOf(promise);
  return { ms: Date.now() - start, error };
}

/** Waits (at most 10 s) until `store` answers again, as the engine's next refresh would find it. */
async function answersAgain(store: RedisStore): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
    if (
      await store.get(CACHE_KEY, {}).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  throw new Error('the store did not recover');
}

const unavailable = expect.objectContaining({ name: 'RedisStoreError', kind: 'unavailable' }) as unknown;

// Redis down, restarted and slow: store calls fail fast and bounded (the engine then goes on without the
// store) and work again after a restart with the same store. One redis-server for the file, restarted.
describeWithRedisServer('@credchain/redis when Redis fails', (server) => {
  beforeEach(() => server().flushAll());

  test('killed mid-use: every call rejects at once; after a restart the same store works again', async () => {
    await using store = storeOn(server(), { timeoutMs: 2_000 });
    const value = credentials();
    await store.set(CACHE_KEY, value, { keepUntil: keep() });
    await server().kill();
    try {
      for (const call of [
        () => store.get(CACHE_KEY, {}),
        () => store.set(CACHE_KEY, value, { keepUntil: keep() }),
        () => store.lock(CACHE_KEY, { ttlMs: 1_000 }),
      ]) {
        const { ms, error } = await timedRejection(call());
        expect(error).toEqual(unavailable);
        expect(ms).toBeLessThan(1_000); // no offline queue: fails without waiting for the timeout
      }
    } finally {
      await server().restart();
    }
    await answersAgain(store);
    // Nothing persisted: the restarted server is empty.
    expect(await store.get(CACHE_KEY, {})).toBeUndefined();
    await store.set(CACHE_KEY, value, { keepUntil: keep() });
    expect(await store.get(CACHE_KEY, {})).toEqual(value);
  });

  test('a lock taken before the server died is released without error after it came back empty', async () => {
    await using store = storeOn(server());
    const lock = await store.lock(CACHE_KEY, { ttlMs: 10_000 });
    await server().restart();
    await answersAgain(store);
    await lock!.release();
    expect(await store.lock(CACHE_KEY, { ttlMs: 10_000 })).toBeDefined();
  });

  test('down at first use: the call rejects within timeoutMs; once Redis is up the store connects', async () => {
    await server().kill();
    const store = storeOn(server(), { timeoutMs: 300 });
    try {
      const { ms, error } = await timedRejection(store.get(CACHE_KEY, {}));
      expect(error).toEqual(unavailable);
      expect((error as Error).message).toBe('get: no answer from Redis within 300 ms');
      expect(ms).toBeLessThan(1_500);
    } finally {
      await server().restart();
    }
    await answersAgain(store);
    await store.close();
    await expect(store.get(CACHE_KEY, {})).rejects.toThrow('the store is closed');
  });

  test('slow server: a call gives up after timeoutMs, and the next ones work once Redis answers', async () => {
    const encryptionKey = newKey();
    await using store = storeOn(server(), { encryptionKey, timeoutMs: 200 });
    // Written with the default timeout: on a loaded machine a set can take longer than 200 ms by itself.
    {
      await using writer = storeOn(server(), { encryptionKey });
      await writer.set(CACHE_KEY, credentials(), { keepUntil: keep() });
    }
    await server().slow(800);
    const { ms, error } = await timedRejection(store.get(CACHE_KEY, {}));
    expect(error).toEqual(unavailable);
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(700);
    await answersAgain(store);
    expect(await store.get(CACHE_KEY, {})).toBeDefined();
  });

  test("a user's client that queues while offline is still bounded by timeoutMs", async () => {
    const client = createClient({ url: server().url, socket: { reconnectStrategy: 50 } });
    client.on('error', () => undefined);
    await client.connect();
    const store = createRedisStore({ client, encryptionKey: newKey(), timeoutMs: 300 });
    try {
      await server().kill();
      const { ms, error } = await timedRejection(store.get(CACHE_KEY, {}));
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(ms).toBeLessThan(1_500);
    } finally {
      await server().restart();
      await answersAgain(store);
      client.destroy();
    }
  });

  test('close() while Redis is down returns at once', async () => {
    const store = storeOn(server());
    await store.get(CACHE_KEY, {});
    await server().kill();
    try {
      const start = Date.now();
      await store.close();
      expect(Date.now() - start).toBeLessThan(500);
    } finally {
      await server().restart();
    }
  });
});
