import type { CredentialEvent, CredentialStore, FetchContext, StoreLock, TemporaryCredentials } from '../src';
import { createRefreshingProvider } from '../src';
import { createEmitter, noopLogger } from '../src/provider-kit';
import { refreshWindows } from '../src/engine/refreshWindows';
import { sharedDraw, storeFetch } from '../src/store/storeFetch';
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
  /** When a lock's TTL runs out (as Redis's PX, the files' age check); a lock set without one never does. */
  readonly lockUntil = new Map<string, number>();
  failing: 'throw' | 'hang' | undefined;
  calls: string[] = [];
  /** Delays (ms) for the next calls of a method: a loaded store that answers late, but answers. */
  readonly late = new Map<string, number[]>();

  private async gate(action: string): Promise<void> {
    this.calls.push(action);
    if (this.failing === 'throw') throw new Error('ECONNREFUSED 127.0.0.1:6379');
    if (this.failing === 'hang') await new Promise(() => undefined);
    const delay = this.late.get(action)?.shift();
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
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

  async lock(key: string, { ttlMs }: { ttlMs: number }): Promise<StoreLock | undefined> {
    await this.gate('lock');
    const until = this.lockUntil.get(key);
    if (this.locks.has(key) && (until === undefined || until > Date.now())) return undefined;
    const owner = Symbol('owner');
    this.locks.set(key, owner);
    this.lockUntil.set(key, Date.now() + ttlMs);
    return {
      release: async () => {
        if (this.locks.get(key) === owner) this.locks.delete(key);
      },
    };
  }
}

const KEY = 'key-1';
const WINDOWS = { mandatoryWindowMs: MINUTE, advisoryWindowMs: undefined, jitter: 0.5 };

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
    { name: 'test', clock: Date, windows: WINDOWS, logger: noopLogger, emit },
  );
  const run = (reason: FetchContext['reason'] = 'initial', previous?: TemporaryCredentials) =>
    step({ reason, previous });
  return { fetch, run, events };
}

const types = (events: CredentialEvent[]) => events.map((e) => e.type);

/** Keeps the process busy (a saturated machine): timers come due and wait for the event loop. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

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

  test('a holder that died frees the lock at its TTL: a waiter past lockWaitMs takes it, fetches, writes', async () => {
    const store = new MemoryStore();
    store.locks.set(KEY, Symbol('a process that died holding it'));
    store.lockUntil.set(KEY, Date.now() + 3_000);
    const b = processWith(store, { lockWaitMs: 2_000, lockTtlMs: 10_000 });
    let settled = false;
    const waiting = b.run().finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(2_500);
    // Past lockWaitMs, but the lock is still held: the holder may still be waiting on STS.
    expect(settled).toBe(false);
    expect(b.fetch).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1_000);
    const got = await waiting;
    expect(b.fetch).toHaveBeenCalledTimes(1);
    expect((store.entries.get(KEY)?.value as TemporaryCredentials).accessKeyId).toBe(got.accessKeyId);
    expect(store.locks.has(KEY)).toBe(false);
  });

  test('the wait is bounded: a lock held past lockTtlMs (a stuck store) and the process fetches itself', async () => {
    const store = new MemoryStore();
    store.locks.set(KEY, Symbol('never freed'));
    const b = processWith(store, { lockWaitMs: 2_000, lockTtlMs: 10_000 });
    let settled = false;
    const waiting = b.run().finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(9_500);
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
      const b = processWith(store, { lockWaitMs: 250, lockTtlMs: 400, timeoutMs: 500 });
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
    // A slow read may be a loaded store: it is still asked for the lock, once.
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toBe(false);
    expect(a.fetch).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(310);
    expect(settled).toBe(true);
    await pending;
    expect(a.fetch).toHaveBeenCalledTimes(1);
    expect(store.calls).toEqual(['get', 'lock']);
    expect(a.events).toEqual([
      expect.objectContaining({ type: 'store-error', kind: 'unavailable', action: 'get' }),
      expect.objectContaining({ type: 'store-error', kind: 'unavailable', action: 'lock' }),
    ]);
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

  test('a first read that times out while another process holds the lock waits for its write, not STS', async () => {
    const store = new MemoryStore();
    store.locks.set(KEY, Symbol('another process'));
    store.late.set('get', [5_000]);
    const b = processWith(store, { timeoutMs: 200 });
    const waiting = b.run();
    await jest.advanceTimersByTimeAsync(500);
    expect(b.fetch).not.toHaveBeenCalled();
    const written = makeCreds(HOUR);
    store.entries.set(KEY, { value: written, keepUntil: written.expiration.getTime() - MINUTE });
    await jest.advanceTimersByTimeAsync(250);
    expect((await waiting).accessKeyId).toBe(written.accessKeyId);
    expect(b.fetch).not.toHaveBeenCalled();
    expect(b.events[0]).toMatchObject({ type: 'store-error', kind: 'unavailable', action: 'get' });
  });

  test('a lock taken after its call timed out is released at once, and a poll takes the lock again', async () => {
    const store = new MemoryStore();
    store.late.set('lock', [500]);
    const a = processWith(store, { timeoutMs: 200 });
    let settled = false;
    const pending = a.run().finally(() => (settled = true));
    // The lock call is given up at 200 ms; the first poll finds no entry and tries the lock again.
    await jest.advanceTimersByTimeAsync(450);
    expect(settled).toBe(true);
    expect(a.fetch).toHaveBeenCalledTimes(1);
    const got = await pending;
    expect((store.entries.get(KEY)?.value as TemporaryCredentials).accessKeyId).toBe(got.accessKeyId);
    // The first call takes the lock at 500 ms, for nobody: released then, not at its TTL.
    await jest.advanceTimersByTimeAsync(100);
    expect(store.calls.filter((c) => c === 'lock')).toHaveLength(2);
    expect(store.locks.size).toBe(0);
  });

  test('an answer that arrives in the same turn as the timeout wins (a loaded event loop)', async () => {
    jest.useRealTimers();
    const store = new MemoryStore();
    const entry = makeCreds(HOUR);
    store.entries.set(KEY, { value: entry, keepUntil: Number.POSITIVE_INFINITY });
    const get = store.get.bind(store);
    // The answer's timer is set after the step's 1 ms timeout, and both are due when the loop next
    // runs timers: the process was busy (as on a saturated machine) while both came due.
    jest.spyOn(store, 'get').mockImplementation(async (key) => {
      await Promise.resolve();
      const answered = new Promise((resolve) => setTimeout(resolve, 0));
      busy(10);
      await answered;
      return get(key);
    });
    const a = processWith(store, { timeoutMs: 1 });
    const pending = a.run();
    expect((await pending).accessKeyId).toBe(entry.accessKeyId);
    expect(a.fetch).not.toHaveBeenCalled();
    expect(types(a.events)).toEqual(['store-hit']);
  });

  test("a store's own timeout that ends the call once ours has passed counts as slowness, not an error", async () => {
    jest.useRealTimers();
    const store = new MemoryStore();
    // The store's own (longer) timeout comes due in the same turn as the step's: the process was busy.
    jest.spyOn(store, 'get').mockImplementationOnce(async () => {
      store.calls.push('get');
      await Promise.resolve();
      const ownTimeout = new Promise((resolve) => setTimeout(resolve, 0));
      busy(10);
      await ownTimeout;
      throw new Error('get: no answer from the store within 2000 ms');
    });
    const a = processWith(store, { timeoutMs: 1 });
    await a.run();
    // Slow, not broken: the step went on to the lock and wrote for the others.
    expect(store.calls).toEqual(['get', 'lock', 'get', 'set']);
    expect(a.events[0]).toMatchObject({ type: 'store-error', action: 'get', kind: 'unavailable' });
  });

  describe('the shared refresh point', () => {
    /** Where every process holding `creds` (handed out at `at`) refreshes them. */
    const sharedAt = (creds: TemporaryCredentials, at: number): number =>
      refreshWindows(creds.expiration.getTime(), at, WINDOWS, sharedDraw(creds.accessKeyId)).refreshAt;

    test('processes holding the same credentials refresh at one point, not the earliest of their draws', async () => {
      const store = new MemoryStore();
      const options = { lockWaitMs: 10 * MINUTE };
      const a = processWith(store, options);
      const b = processWith(store, options);
      const held = await a.run();
      expect((await b.run()).accessKeyId).toBe(held.accessKeyId);
      const at = sharedAt(held, T0);
      const advisoryAt = refreshWindows(held.expiration.getTime(), T0, WINDOWS, 0).advisoryAt;
      expect(at).toBeGreaterThan(advisoryAt);
      // Both engines drew points at the window's start: neither refreshes before the shared one.
      await jest.advanceTimersByTimeAsync(advisoryAt - T0);
      const first = a.run('timer', held);
      const second = b.run('advisory', held);
      await jest.advanceTimersByTimeAsync(at - Date.now() - 1);
      expect(a.fetch).toHaveBeenCalledTimes(1);
      expect(b.fetch).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1_000);
      const [next, same] = await Promise.all([first, second]);
      // One fetch for both: the other process finds its entry.
      expect(a.fetch.mock.calls.length + b.fetch.mock.calls.length).toBe(3 - 1);
      expect(same.accessKeyId).toBe(next.accessKeyId);
      expect(next.accessKeyId).not.toBe(held.accessKeyId);
    });

    test('engines bound to a store draw that point themselves: both timers fire there, one fetch', async () => {
      const store = new MemoryStore();
      const starts: Array<{ engine: string; at: number }> = [];
      const engine = (label: string) => {
        const fetch = jest.fn(async () => makeCreds());
        const provider = createRefreshingProvider(fetch, {
          store: { store, key: async () => KEY },
          onEvent: (e) => {
            if (e.type === 'refresh-start' && e.reason !== 'initial') starts.push({ engine: label, at: Date.now() });
          },
        });
        return { fetch, provider };
      };
      const a = engine('a');
      const b = engine('b');
      const held = await a.provider();
      expect((await b.provider()).accessKeyId).toBe(held.accessKeyId);
      expect(b.fetch).not.toHaveBeenCalled();
      const at = sharedAt(held, T0);
      await jest.advanceTimersByTimeAsync(Math.floor(at) - T0 - 1);
      expect(starts).toEqual([]);
      await jest.advanceTimersByTimeAsync(2);
      // Each engine's own timer, at the shared point (its own random draw would put them apart).
      expect(starts.map((start) => start.engine)).toEqual(['a', 'b']);
      for (const start of starts) expect(Math.abs(start.at - at)).toBeLessThan(2);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(a.fetch.mock.calls.length + b.fetch.mock.calls.length).toBe(2);
      const [next, same] = await Promise.all([a.provider(), b.provider()]);
      expect(same.accessKeyId).toBe(next.accessKeyId);
      expect(next.accessKeyId).not.toBe(held.accessKeyId);
      a.provider.close();
      b.provider.close();
    });

    test('it defers a background refresh at most lockWaitMs, and never a refresh a caller waits for', async () => {
      const store = new MemoryStore();
      const a = processWith(store, { lockWaitMs: 2_000 });
      const held = await a.run();
      const advisoryAt = refreshWindows(held.expiration.getTime(), T0, WINDOWS, 0).advisoryAt;
      expect(sharedAt(held, T0) - advisoryAt).toBeGreaterThan(2_000);
      await jest.advanceTimersByTimeAsync(advisoryAt - T0);
      let settled = false;
      const background = a.run('timer', held).finally(() => (settled = true));
      await jest.advanceTimersByTimeAsync(1_999);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await background;
      expect(a.fetch).toHaveBeenCalledTimes(2);
      // The mandatory window (callers wait) and a retry go at once.
      const urgent = processWith(store, { lockWaitMs: 10 * MINUTE });
      const mine = await urgent.run('forced');
      await urgent.run('mandatory', mine);
      await urgent.run('retry', mine);
      expect(urgent.fetch).toHaveBeenCalledTimes(3);
    });
  });
});
