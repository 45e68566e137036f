import { randomInt } from 'node:crypto';

import type { EventInput } from '../emitter';
import { InvalidParameterError } from '../errors';
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
   * How long a process that did not get the lock waits for the holder's entry before fetching itself.
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
const FAILED = Symbol('store call failed');

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

  const report = (problem: StoreProblem): void => {
    logger.warn(`${tag} store ${store.name}: ${problem.action} ${problem.kind}: ${problem.message}`);
    emit({ type: 'store-error', store: store.name, ...problem });
  };

  // Every store call is bounded; what fails is reported and becomes FAILED, so that one refresh asks a
  // store that is down or slow once (at most `timeoutMs`) and then goes on without it.
  const call = async <R>(action: StoreProblem['action'], run: () => Promise<R>): Promise<R | typeof FAILED> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        (async () => run())(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreTimeout(action, timeoutMs)), timeoutMs);
        }),
      ]);
    } catch (error) {
      const kind = error instanceof StoreTimeout ? 'unavailable' : 'error';
      report({ action, kind, message: describeError(error) });
      return FAILED;
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

  /** The usable entry, undefined when there is none, FAILED when the store did not answer. */
  const read = async (
    key: string,
    previous: TemporaryCredentials | undefined,
  ): Promise<T | undefined | typeof FAILED> => {
    const entry = await call('get', () => store.get(key, { report }));
    if (entry === FAILED) return FAILED;
    return usable(entry, previous) ? entry : undefined;
  };

  const write = async (key: string, value: T): Promise<void> => {
    const keepUntil = value.expiration.getTime() - windows.mandatoryWindowMs;
    if (keepUntil <= clock.now()) return;
    await call('set', () => store.set(key, value, { keepUntil, report }));
  };

  const hit = (value: T, how: 'read' | 'after-lock' | 'after-wait'): T => {
    logger.debug(`${tag} took credentials from store ${store.name} (${how})`);
    emit({ type: 'store-hit', store: store.name, expiration: value.expiration });
    return value;
  };

  // Fetch, and write what arrived for the other processes.
  const fetchAndWrite = async (key: string, fetchContext: FetchContext): Promise<T> => {
    const value = await fetch(fetchContext);
    await write(key, value);
    return value;
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
      return fetch(fetchContext);
    }
    const { previous } = fetchContext;
    if (!fresh) {
      const found = await read(key, previous);
      if (found === FAILED) return fetch(fetchContext);
      if (found !== undefined) return hit(found, 'read');
    }

    const lock = await call('lock', () => store.lock(key, { ttlMs: lockTtlMs, report }));
    if (lock === FAILED) return fetch(fetchContext);
    if (lock !== undefined) return fetchHolding(lock, key, fetchContext, fresh, previous);

    // Another process holds the lock: wait a bounded time for its entry, polling with a little jitter,
    // then fetch ourselves. Time waited is counted from the sleeps, not read from a clock a test may
    // have frozen.
    if (!fresh) {
      for (let waited = 0; waited < lockWaitMs;) {
        const pause = POLL_MS + randomInt(POLL_MS);
        await sleep(pause);
        waited += pause;
        const found = await read(key, previous);
        // One slow answer while the holder fetches is no reason to call STS too (under load it is the
        // usual one): keep waiting, counting the failed call at its bound, so the wait stays bounded.
        if (found === FAILED) waited += timeoutMs;
        else if (found !== undefined) return hit(found, 'after-wait');
      }
      logger.debug(`${tag} store ${store.name}: no entry after waiting ${lockWaitMs} ms for the lock's holder`);
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
        if (found !== FAILED && found !== undefined) return hit(found, 'after-lock');
        if (found === FAILED) return await fetch(fetchContext);
      }
      return await fetchAndWrite(key, fetchContext);
    } finally {
      await call('release', () => lock.release());
    }
  }
}
