import { createHash, randomInt } from 'node:crypto';

import type { EventInput } from '../emitter';
import { InvalidParameterError } from '../errors';
import { refreshWindows } from '../engine/refreshWindows';
import type { WindowOptions } from '../engine/refreshWindows';
import { describeError } from '../support';
import type { Clock, FetchContext, FetchCredentials, Logger, TemporaryCredentials } from '../types';
import type { CredentialStore, StoreLock, StoreProblem } from './types';

/** How a provider uses a store (the `store` option of every provider, and of the engine). */
export interface StoreOptions {
  readonly store: CredentialStore;
  /**
   * Each store call is abandoned after this long; the engine then goes on without the store.
   * @default 1_000
   */
  readonly timeoutMs?: number;
  /**
   * How long a process that did not get the lock waits for the holder's entry before fetching itself, if
   * the lock is free by then; while it is still held (the holder is waiting on STS), the wait goes on, up
   * to `lockTtlMs` in all, taking the lock as soon as it frees.
   * @default 5_000
   */
  readonly lockWaitMs?: number;
  /**
   * How long a lock holds if its holder never releases it (a process that died while fetching).
   * @default 30_000
   */
  readonly lockTtlMs?: number;
}

/** What the engine gives the store step: the key, and the engine's own clock, windows and reporting. */
export interface StoreBinding extends StoreOptions {
  /** The key text for this fetch (may resolve who the source is, once per source). */
  readonly key: (context: FetchContext) => Promise<string>;
}

export interface StoreContext {
  readonly name: string;
  readonly clock: Clock;
  readonly windows: WindowOptions;
  readonly logger: Logger;
  readonly emit: (event: EventInput) => void;
}

const POLL_MS = 100;
/** The store answered with an error (down, refused): this fetch goes on without it at once. */
const FAILED = Symbol('store call failed');
/** The store did not answer within `timeoutMs`: alive but slow (under load, the usual), or hanging. */
const SLOW = Symbol('store call timed out');
type Missed = typeof FAILED | typeof SLOW;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidParameterError(name, 'must be a positive number of milliseconds');
  }
  return value;
}

/** Checks a `store` option as JavaScript callers may pass it. */
export function checkStoreOptions(options: StoreOptions): void {
  const store: unknown = options.store;
  const methods = ['get', 'set', 'lock'] as const;
  if (
    typeof store !== 'object' ||
    store === null ||
    methods.some((m) => typeof (store as Record<string, unknown>)[m] !== 'function')
  ) {
    throw new InvalidParameterError('store', 'must be a credential store with get, set and lock methods');
  }
  positive('store.timeoutMs', options.timeoutMs, 1);
  positive('store.lockWaitMs', options.lockWaitMs, 1);
  positive('store.lockTtlMs', options.lockTtlMs, 1);
}

class StoreTimeout extends Error {
  constructor(action: string, ms: number) {
    super(`no answer to ${action} within ${ms} ms`);
  }
}

// The store's timers are not unref'd: a caller awaits them, and a process with nothing else to do (a
// script awaiting its first credentials while another process holds the lock) must not exit under them.
// They are bounded (timeoutMs, lockWaitMs), so they never hold a process that is done.
const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * The fleet's draw for credentials, in [0, 1): the same in every process that holds them (it depends
 * only on their access key ID), so that they agree on one refresh point instead of the earliest of
 * their own random draws.
 */
export function sharedDraw(accessKeyId: string): number {
  return createHash('sha256').update(accessKeyId, 'utf8').digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Puts a store between the engine and `fetch` (docs/ARCHITECTURE.md, "Stores"): read the store first
 * (another process may have refreshed); take an entry still outside the advisory window; else take the
 * store's lock, read again, fetch, write, release. Without the lock, wait a bounded time for the
 * holder's entry, then fetch. A store that fails, hangs or answers garbage is reported (`store-error`)
 * and bypassed: it never makes a refresh fail that would have worked without it.
 */
export function storeFetch<T extends TemporaryCredentials>(
  fetch: FetchCredentials<T>,
  binding: StoreBinding,
  context: StoreContext,
): FetchCredentials<T> {
  checkStoreOptions(binding);
  const { store } = binding;
  const timeoutMs = positive('store.timeoutMs', binding.timeoutMs, 1_000);
  const lockWaitMs = positive('store.lockWaitMs', binding.lockWaitMs, 5_000);
  const lockTtlMs = positive('store.lockTtlMs', binding.lockTtlMs, 30_000);
  const { clock, windows, logger, emit } = context;
  const tag = `credchain:${context.name} -`;
  /** The credentials this step last handed to the engine, and when: where the engine placed their windows. */
  let handed: { readonly accessKeyId: string; readonly at: number } | undefined;

  const report = (problem: StoreProblem): void => {
    logger.warn(`${tag} store ${store.name}: ${problem.action} ${problem.kind}: ${problem.message}`);
    emit({ type: 'store-error', store: store.name, ...problem });
  };

  // Every store call is bounded; what fails is reported and becomes FAILED (an error) or SLOW (no answer
  // within timeoutMs), so that one refresh never waits on a store longer than its bounds. `late` gets an
  // answer that arrives after the call was given up (a lock taken too late is released).
  const call = async <R>(
    action: StoreProblem['action'],
    run: () => Promise<R>,
    late?: (value: R) => void,
  ): Promise<R | Missed> => {
    let timer: NodeJS.Timeout | undefined;
    const bound = { passed: false };
    const running = (async () => run())();
    try {
      return await Promise.race([
        running,
        new Promise<never>((_, reject) => {
          // On a loaded machine the timer and the answer can be due in the same turn of the event loop,
          // and timers run first: give answers already received that turn (setImmediate runs after I/O).
          timer = setTimeout(() => {
            bound.passed = true;
            setImmediate(() => reject(new StoreTimeout(action, timeoutMs)));
          }, timeoutMs);
        }),
      ]);
    } catch (error) {
      // Past our bound, whatever ended the call (the store's own timeout, due in the same turn) is slowness.
      const slow = bound.passed || error instanceof StoreTimeout;
      // Given up, the call still runs: what it answers goes to `late`, what it throws nowhere.
      if (slow) running.then(late, () => undefined);
      report({ action, kind: slow ? 'unavailable' : 'error', message: describeError(error) });
      return slow ? SLOW : FAILED;
    } finally {
      clearTimeout(timer);
    }
  };

  // An entry is worth taking when it is newer than the credentials being replaced (it was fetched after
  // them: entries are only written by fetches) and can still be handed out (outside the mandatory
  // window). Its own windows are then placed by the engine as for any credentials that arrive; an entry
  // already in its advisory window is refreshed soon, as the newer one it then is.
  const usable = (entry: unknown, previous: TemporaryCredentials | undefined): entry is T => {
    if (entry === undefined) return false;
    const { expiration, accessKeyId, secretAccessKey, sessionToken } = (entry ?? {}) as Partial<TemporaryCredentials>;
    const whole = [accessKeyId, secretAccessKey, sessionToken].every((f) => typeof f === 'string' && f !== '');
    if (!(expiration instanceof Date) || Number.isNaN(expiration.getTime()) || !whole) {
      report({ action: 'get', kind: 'bad-entry', message: 'the store returned something that is not credentials' });
      return false;
    }
    if (previous !== undefined && expiration.getTime() <= previous.expiration.getTime()) return false;
    return clock.now() < expiration.getTime() - windows.mandatoryWindowMs;
  };

  /** The usable entry, undefined when there is none, FAILED or SLOW when the store did not answer. */
  const read = async (key: string, previous: TemporaryCredentials | undefined): Promise<T | undefined | Missed> => {
    const entry = await call('get', () => store.get(key, { report }));
    if (entry === FAILED || entry === SLOW) return entry;
    return usable(entry, previous) ? entry : undefined;
  };

  const write = async (key: string, value: T): Promise<void> => {
    const keepUntil = value.expiration.getTime() - windows.mandatoryWindowMs;
    if (keepUntil <= clock.now()) return;
    await call('set', () => store.set(key, value, { keepUntil, report }));
  };

  // A lock that arrives after its call was given up is nobody's: free it for the others at once rather
  // than at its TTL.
  const tryLock = (key: string): Promise<StoreLock | undefined | Missed> =>
    call(
      'lock',
      () => store.lock(key, { ttlMs: lockTtlMs, report }),
      (lateLock) => {
        if (lateLock !== undefined) void call('release', () => lateLock.release());
      },
    );

  const hand = (value: T): T => {
    handed = { accessKeyId: value.accessKeyId, at: clock.now() };
    return value;
  };

  const hit = (value: T, how: 'read' | 'after-lock' | 'after-wait'): T => {
    logger.debug(`${tag} took credentials from store ${store.name} (${how})`);
    emit({ type: 'store-hit', store: store.name, expiration: value.expiration });
    return hand(value);
  };

  // Fetch, and write what arrived for the other processes.
  const fetchAndWrite = async (key: string, fetchContext: FetchContext): Promise<T> => {
    const value = await fetch(fetchContext);
    await write(key, value);
    return hand(value);
  };

  const bypass = async (fetchContext: FetchContext): Promise<T> => hand(await fetch(fetchContext));

  // A background refresh in one process would otherwise start at that process's own random point, and
  // the fleet's refresh at the earliest of them all: with many processes, at the very start of the
  // window, more often than one process alone. Every process holding the same credentials draws the
  // same point (sharedDraw) where the engine draws its own: the first process to reach it refreshes
  // for all, as often as one process would. Deferred at most lockWaitMs (what a caller joining this
  // refresh may wait on the store anyway); only in the background, where callers are served meanwhile.
  const sharedPoint = async (fetchContext: FetchContext): Promise<void> => {
    const { reason, previous } = fetchContext;
    if ((reason !== 'advisory' && reason !== 'timer') || previous === undefined) return;
    if (handed === undefined || handed.accessKeyId !== previous.accessKeyId) return;
    const { refreshAt } = refreshWindows(
      previous.expiration.getTime(),
      handed.at,
      windows,
      sharedDraw(previous.accessKeyId),
    );
    const delay = Math.min(refreshAt - clock.now(), lockWaitMs);
    if (delay <= 0) return;
    logger.debug(`${tag} store ${store.name}: refreshing at the fleet's shared point, in ${Math.round(delay)} ms`);
    await sleep(delay);
  };

  return async (fetchContext) => {
    // A service rejected the cached credentials, or the caller asked for new ones: the store's entry is
    // what is being replaced (or as old), so fetch and overwrite it.
    const fresh = fetchContext.reason === 'rejected' || fetchContext.reason === 'forced';
    let key: string;
    try {
      key = await binding.key(fetchContext);
    } catch (error) {
      report({ action: 'get', kind: 'error', message: `could not name the entry: ${describeError(error)}` });
      return bypass(fetchContext);
    }
    const { previous } = fetchContext;
    let readSlow = false;
    if (!fresh) {
      await sharedPoint(fetchContext);
      const found = await read(key, previous);
      // A store that answers with an error is bypassed at once. One that is only slow is still asked for
      // the lock: under load a slow answer is the usual one, and each process that fetched because of it
      // would be one more STS call. Two calls in a row without an answer, and this fetch goes on without.
      if (found === FAILED) return bypass(fetchContext);
      if (found === SLOW) readSlow = true;
      else if (found !== undefined) return hit(found, 'read');
    }

    let lock = await tryLock(key);
    if (lock === FAILED || (lock === SLOW && readSlow)) return bypass(fetchContext);
    if (lock !== undefined && lock !== SLOW) return fetchHolding(lock, key, fetchContext, fresh, previous);

    // Another process holds the lock (or the store was too slow to say): wait a bounded time for its
    // entry, polling with a little jitter, then fetch ourselves. After a lock attempt that timed out,
    // nobody may hold it: each poll that finds no entry tries it again. Time waited is counted from
    // the sleeps, not read from a clock a test may have frozen.
    if (!fresh) {
      let limit = lockWaitMs;
      for (let waited = 0; ;) {
        if (waited >= limit) {
          // Before calling STS beside the holder: is it still at it? Its lock lives at most lockTtlMs, the
          // store's own word for how long a fetch may take, so a lock still held means a holder alive and
          // waiting on STS (on a loaded fleet, for longer than lockWaitMs): going to STS too only adds to
          // the load it is waiting on. Wait on, up to lockTtlMs in all; a lock now free is taken.
          if (limit === lockWaitMs && lockTtlMs > lockWaitMs && lock === undefined) {
            const again = await tryLock(key);
            if (again !== undefined && again !== FAILED && again !== SLOW) {
              return fetchHolding(again, key, fetchContext, fresh, previous);
            }
            if (again === undefined) {
              limit = lockTtlMs;
              continue;
            }
          }
          break;
        }
        const pause = POLL_MS + randomInt(POLL_MS);
        await sleep(pause);
        waited += pause;
        const found = await read(key, previous);
        // One slow answer while the holder fetches is no reason to call STS too (under load it is the
        // usual one): keep waiting, counting the failed call at its bound, so the wait stays bounded.
        if (found === FAILED || found === SLOW) waited += timeoutMs;
        else if (found !== undefined) return hit(found, 'after-wait');
        else if (lock === SLOW || limit !== lockWaitMs) {
          // Also past lockWaitMs: a holder that died frees the lock at its TTL, and this process takes it.
          lock = await tryLock(key);
          if (lock === FAILED || lock === SLOW) waited += timeoutMs;
          else if (lock !== undefined) return fetchHolding(lock, key, fetchContext, fresh, previous);
        }
      }
      logger.debug(`${tag} store ${store.name}: no entry after waiting ${limit} ms for the lock's holder`);
    }
    return fetchAndWrite(key, fetchContext);
  };

  async function fetchHolding(
    lock: StoreLock,
    key: string,
    fetchContext: FetchContext,
    fresh: boolean,
    previous: TemporaryCredentials | undefined,
  ): Promise<T> {
    try {
      if (!fresh) {
        const found = await read(key, previous);
        if (found === FAILED) return await bypass(fetchContext);
        if (found !== undefined && found !== SLOW) return hit(found, 'after-lock');
      }
      return await fetchAndWrite(key, fetchContext);
    } finally {
      await call('release', () => lock.release());
    }
  }
}
