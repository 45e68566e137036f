import { describeWithRedisServer } from '@credchain/testkit';

import { CACHE_KEY, OTHER_KEY, newKey, storeOn } from './fixtures';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Locks: SET NX PX with a random token, released only by the holder. Two stores with one key stand for
// two processes. Real time only where a lock's TTL must run out in Redis (1 s).
describeWithRedisServer('@credchain/redis locks', (server) => {
  beforeEach(() => server().flushAll());

  const twoProcesses = () => {
    const encryptionKey = newKey();
    return [storeOn(server(), { encryptionKey }), storeOn(server(), { encryptionKey })] as const;
  };

  test('one holder at a time; after release another process takes it', async () => {
    const [a, b] = twoProcesses();
    await using _a = a;
    await using _b = b;
    const held = await a.lock(CACHE_KEY, { ttlMs: 10_000 });
    expect(held).toBeDefined();
    expect(await b.lock(CACHE_KEY, { ttlMs: 10_000 })).toBeUndefined();
    expect(await a.lock(CACHE_KEY, { ttlMs: 10_000 })).toBeUndefined();
    // Another key's lock is another lock.
    expect(await b.lock(OTHER_KEY, { ttlMs: 10_000 })).toBeDefined();
    await held!.release();
    expect(await b.lock(CACHE_KEY, { ttlMs: 10_000 })).toBeDefined();
  });

  test('the lock holds for its TTL, in Redis', async () => {
    await using store = storeOn(server());
    await store.lock(CACHE_KEY, { ttlMs: 5_000 });
    const [name] = (await server().command('KEYS', '*:lock')) as string[];
    const ttl = (await server().command('PTTL', name!)) as number;
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  test('a lock whose holder never releases it frees itself after its TTL', async () => {
    const [a, b] = twoProcesses();
    await using _a = a;
    await using _b = b;
    const taken = Date.now();
    expect(await a.lock(CACHE_KEY, { ttlMs: 1_000 })).toBeDefined();
    expect(await b.lock(CACHE_KEY, { ttlMs: 10_000 })).toBeUndefined();
    // Redis's clock runs out the TTL (no fake timer reaches it): poll until b takes the lock. A TTL of a
    // second leaves a loaded machine room between a's lock and b's first try.
    let second: Awaited<ReturnType<typeof b.lock>>;
    while ((second = await b.lock(CACHE_KEY, { ttlMs: 10_000 })) === undefined && Date.now() - taken < 10_000) {
      await sleep(50);
    }
    expect(second).toBeDefined();
    expect(Date.now() - taken).toBeGreaterThanOrEqual(950);
  });

  test("a holder whose lock expired and was taken by another cannot release the other's", async () => {
    const [a, b] = twoProcesses();
    await using _a = a;
    await using _b = b;
    const late = await a.lock(CACHE_KEY, { ttlMs: 100 });
    await sleep(150);
    const current = await b.lock(CACHE_KEY, { ttlMs: 10_000 });
    expect(current).toBeDefined();
    const [name] = (await server().command('KEYS', '*:lock')) as string[];
    const token = await server().command('GET', name!);

    await late!.release();
    expect(await server().command('GET', name!)).toBe(token);
    expect(await a.lock(CACHE_KEY, { ttlMs: 10_000 })).toBeUndefined();
    await current!.release();
    expect(await server().command('KEYS', '*')).toEqual([]);
  });

  test('releasing twice is harmless, even when the lock was taken again in between', async () => {
    const [a, b] = twoProcesses();
    await using _a = a;
    await using _b = b;
    const first = await a.lock(CACHE_KEY, { ttlMs: 10_000 });
    await first!.release();
    const second = await b.lock(CACHE_KEY, { ttlMs: 10_000 });
    await first!.release();
    expect(await a.lock(CACHE_KEY, { ttlMs: 10_000 })).toBeUndefined();
    await second!.release();
  });

  test('many processes race for one lock: exactly one wins', async () => {
    const encryptionKey = newKey();
    const stores = Array.from({ length: 8 }, () => storeOn(server(), { encryptionKey }));
    try {
      const locks = await Promise.all(stores.map((store) => store.lock(CACHE_KEY, { ttlMs: 10_000 })));
      expect(locks.filter((lock) => lock !== undefined)).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
