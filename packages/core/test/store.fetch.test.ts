import type { CredentialEvent, CredentialStore, FetchContext, StoreLock, TemporaryCredentials } from '../src';
import { createEmitter, noopLogger } from '../src/provider-kit';
import { storeFetch } from '../src/store/storeFetch';
import type { StoreBinding } from '../src/store/storeFetch';
import { HOUR, MINUTE, T0, makeCreds } from './helpers';

// The store step between the engine and a fetch (docs/ARCHITECTURE.md, "Stores"), driven with an
// in-memory store: the real stores (files, Redis) have their own tests against real files and a real
// redis-server; this file holds the rules of the step itself.

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** A store in memory, shared by the "processes" of a test; every method can be made to fail or hang. */
class MemoryStore implements CredentialStore {
  readonly name = 'memory';
  readonly entries = new Map<string, { value: unknown; keepUntil: number }>();
  readonly locks = new Map<string, symbol>();
  failing: 'throw' | 'hang' | undefined;
  calls: string[] = [];

  private async gate(action: string): Promise<void> {
    this.calls.push(action);
    if (this.failing === 'throw') throw new Error('ECONNREFUSED 127.0.0.1:6379');
    if (this.failing === 'hang') await new Promise(() => undefined);
  }

  async get(key: string): Promise<TemporaryCredentials | undefined> {
    await this.gate('get');
    const entry = this.entries.get(key);
    return entry === undefined || entry.keepUntil <= Date.now() ? undefined : (entry.value as TemporaryCredentials);
  }

  async set(key: string, value: TemporaryCredentials, { keepUntil }: { keepUntil: number }): Promise<void> {
    await this.gate('set');
    this.entries.set(key, { value, keepUntil });
  }

  async lock(key: string): Promise<StoreLock | undefined> {
    await this.gate('lock');
    if (this.locks.has(key)) return undefined;
    const owner = Symbol('owner');
    this.locks.set(key, owner);
    return {
      release: async () => {
        if (this.locks.get(key) === owner) this.locks.delete(key);
      },
    };
  }
}

const KEY = 'key-1';

/** One "process": a fetch counted, a store step around it, the events it reported. */
function processWith(store: CredentialStore, options: Partial<StoreBinding> = {}, lifetimeMs = HOUR) {
  const events: CredentialEvent[] = [];
  const fetch = jest.fn(async (_context: FetchContext) => makeCreds(lifetimeMs));
  const emit = createEmitter(
    'test',
    (e) => events.push(e),
    noopLogger,
    () => Date.now(),
  );
  const step = storeFetch(
    fetch,
    { store, key: async () => KEY, ...options },
    {
      name: 'test',
      clock: Date,
      windows: { mandatoryWindowMs: MINUTE, advisoryWindowMs: undefined, jitter: 0.5 },
      logger: noopLogger,
      emit,
    },
  );
  const run = (reason: FetchContext['reason'] = 'initial', previous?: TemporaryCredentials) =>
    step({ reason, previous });
  return { fetch, run, events };
}

const types = (events: CredentialEvent[]) => events.map((e) => e.type);

describe('store step', () => {
  test('the first process fetches and writes; a second one takes the entry without fetching', async () => {
    const store = new MemoryStore();
    const a = processWith(store);
    const b = processWith(store);
    const first = await a.run();
    expect(a.fetch).toHaveBeenCalledTimes(1);
    expect(store.entries.get(KEY)?.keepUntil).toBe(first.expiration.getTime() - MINUTE);
    expect(store.locks.size).toBe(0);
    const second = await b.run();
    expect(b.fetch).not.toHaveBeenCalled();
    expect(second.accessKeyId).toBe(first.accessKeyId);
    expect(types(b.events)).toEqual(['store-hit']);
  });

  test('an entry no newer than the credentials being replaced, or in the mandatory window, is not taken', async () => {
    const store = new MemoryStore();
    const held = makeCreds(HOUR);
    const older = makeCreds(HOUR - MINUTE);
    store.entries.set(KEY, { value: older, keepUntil: Number.POSITIVE_INFINITY });
    const a = processWith(store);
    expect((await a.run('advisory', held)).accessKeyId).not.toBe(older.accessKeyId);
    expect(a.fetch).toHaveBeenCalledTimes(1);

    store.entries.set(KEY, { value: held, keepUntil: Number.POSITIVE_INFINITY });
    const b = processWith(store);
    expect((await b.run('advisory', held)).accessKeyId).not.toBe(held.accessKeyId);
    expect(b.fetch).toHaveBeenCalledTimes(1);

    const dying = makeCreds(MINUTE - 1);
    store.entries.set(KEY, { value: dying, keepUntil: Number.POSITIVE_INFINITY });
    const c = processWith(store);
    expect((await c.run()).accessKeyId).not.toBe(dying.accessKeyId);
    expect(c.fetch).toHaveBeenCalledTimes(1);
  });

  test('an entry newer than the credentials being replaced is taken instead of calling STS', async () => {
    const store = new MemoryStore();
    const held = makeCreds(HOUR);
    await jest.advanceTimersByTimeAsync(45 * MINUTE);
    const newer = makeCreds(HOUR);
    store.entries.set(KEY, { value: newer, keepUntil: Number.POSITIVE_INFINITY });
    const a = processWith(store);
    expect((await a.run('timer', held)).accessKeyId).toBe(newer.accessKeyId);
    expect(a.fetch).not.toHaveBeenCalled();
  });

  test('without the lock, a process waits for the holder entry instead of calling STS too', async () => {
    const store = new MemoryStore();
    store.locks.set(KEY, Symbol('another process'));
    const b = processWith(store);
    const waiting = b.run();
    await jest.advanceTimersByTimeAsync(450);
    const written = makeCreds(HOUR);
    store.entries.set(KEY, { value: written, keepUntil: written.expiration.getTime() - MINUTE });
    await jest.advanceTimersByTimeAsync(250);
    expect((await waiting).accessKeyId).toBe(written.accessKeyId);
    expect(b.fetch).not.toHaveBeenCalled();
  });

  test('a failed poll while another process holds the lock does not send this one to STS at once', async () => {
    const store = new MemoryStore();
    store.locks.set(KEY, Symbol('another process'));
    const b = processWith(store, { timeoutMs: 200 });
    const waiting = b.run();
    await jest.advanceTimersByTimeAsync(150);
    store.failing = 'throw';
    await jest.advanceTimersByTimeAsync(400);
    store.failing = undefined;
    const written = makeCreds(HOUR);
    store.entries.set(KEY, { value: written, keepUntil: written.expiration.getTime() - MINUTE });
    await jest.advanceTimersByTimeAsync(250);
    expect((await waiting).accessKeyId).toBe(written.accessKeyId);
    expect(b.fetch).not.toHaveBeenCalled();
    expect(b.events.some((e) => e.type === 'store-error')).toBe(true);
  });

  test('the wait is bounded: no entry within lockWaitMs, and the process fetches (and writes) itself', async () => {
    const store = new MemoryStore();
    store.locks.set(KEY, Symbol('a process that died holding it'));
    const b = processWith(store, { lockWaitMs: 2_000 });
    let settled = false;
    const waiting = b.run().finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(1_500);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    const got = await waiting;
    expect(b.fetch).toHaveBeenCalledTimes(1);
    expect((store.entries.get(KEY)?.value as TemporaryCredentials).accessKeyId).toBe(got.accessKeyId);
  });

  test("a caller waiting on the store keeps the process alive: its timers are ref'd", async () => {
    // A script awaiting its first credentials while another process holds the lock must not exit.
    const timers: { hasRef(): boolean }[] = [];
    const faked = global.setTimeout;
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation((...args: Parameters<typeof faked>) => {
      const timer = faked(...args);
      timers.push(timer);
      return timer;
    });
    try {
      const store = new MemoryStore();
      store.locks.set(KEY, Symbol('another process'));
      const b = processWith(store, { lockWaitMs: 250, timeoutMs: 500 });
      const pending = b.run();
      await jest.advanceTimersByTimeAsync(20);
      // While the caller waits for the lock's holder, what it waits on holds the event loop.
      expect(timers.length).toBeGreaterThan(0);
      expect(timers.filter((t) => !t.hasRef())).toEqual([]);
      await jest.advanceTimersByTimeAsync(1_000);
      await pending;
      expect(b.fetch).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('a store that fails is reported once and bypassed: no lock attempt, no wait', async () => {
    const store = new MemoryStore();
    store.failing = 'throw';
    const a = processWith(store);
    const got = await a.run();
    expect(a.fetch).toHaveBeenCalledTimes(1);
    expect(got.accessKeyId).toMatch(/^ASIATEST/);
    expect(store.calls).toEqual(['get']);
    expect(a.events).toEqual([expect.objectContaining({ type: 'store-error', store: 'memory', action: 'get' })]);
  });

  test('a store that hangs is abandoned after timeoutMs and reported unavailable', async () => {
    const store = new MemoryStore();
    store.failing = 'hang';
    const a = processWith(store, { timeoutMs: 300 });
    let settled = false;
    const pending = a.run().finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(299);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await pending;
    expect(a.fetch).toHaveBeenCalledTimes(1);
    expect(a.events[0]).toMatchObject({ type: 'store-error', kind: 'unavailable', action: 'get' });
  });

  test('what a store returns that is not credentials is reported as a bad entry and not served', async () => {
    const store = new MemoryStore();
    const partial = { accessKeyId: 'ASIAX', expiration: new Date(Date.now() + HOUR), sessionToken: 't' };
    store.entries.set(KEY, { value: { accessKeyId: 'ASIAX', expiration: 'tomorrow' }, keepUntil: Infinity });
    const a = processWith(store);
    const got = await a.run();
    expect(got.accessKeyId).not.toBe('ASIAX');
    expect(a.events[0]).toMatchObject({ type: 'store-error', kind: 'bad-entry' });
    // Credentials without their secret would fail the engine's checks: not served either.
    store.entries.set(KEY, { value: partial, keepUntil: Infinity });
    const b = processWith(store);
    expect((await b.run()).accessKeyId).not.toBe('ASIAX');
    expect(b.events[0]).toMatchObject({ type: 'store-error', kind: 'bad-entry' });
  });

  test('credentials a service rejected are not read back: the process fetches and overwrites', async () => {
    const store = new MemoryStore();
    const a = processWith(store);
    const first = await a.run();
    const b = processWith(store);
    const next = await b.run('rejected');
    expect(b.fetch).toHaveBeenCalledTimes(1);
    expect(next.accessKeyId).not.toBe(first.accessKeyId);
    expect((store.entries.get(KEY)?.value as TemporaryCredentials).accessKeyId).toBe(next.accessKeyId);
  });

  test('the lock is released when the fetch fails, and the failure reaches the engine', async () => {
    const store = new MemoryStore();
    const a = processWith(store);
    a.fetch.mockRejectedValueOnce(new Error('Throttling: Rate exceeded'));
    await expect(a.run()).rejects.toThrow('Rate exceeded');
    expect(store.locks.size).toBe(0);
    expect(store.entries.size).toBe(0);
  });
});
