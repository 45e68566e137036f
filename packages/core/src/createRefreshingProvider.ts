import pRetry from 'p-retry';

import { CredentialsExpiredError, InvalidParameterError } from './errors';
import { createEmitter } from './emitter';
import type { EventListener } from './events';
import { isFinalError } from './isFinalError';
import { INSPECT, redactCredentials } from './redact';
import { describeError, describeMs, noopLogger, validateCredentials } from './support';
import type { Clock, CredentialProvider, FetchCredentials, Logger, RefreshReason, TemporaryCredentials } from './types';
import { DEFAULT_MANDATORY_WINDOW_MS, checkNumber, defaultAdvisoryWindowMs } from './windows';

/** When to refresh. All durations in milliseconds. */
export interface RefreshOptions {
  /**
   * The last stretch before expiration in which cached credentials are no longer handed out while
   * a refresh can still succeed: callers wait for the refresh.
   * @default 60_000
   */
  readonly mandatoryWindowMs?: number;
  /**
   * The stretch before the mandatory window in which callers get the cached credentials at once
   * and a refresh runs in the background. A number, or a function of the credentials' lifetime.
   * Capped at half the time between issue and the mandatory window.
   * @default by lifetime: ≤ 20 min → 5 min, < 90 min → 15 min, else 60 min
   */
  readonly advisoryWindowMs?: number | ((lifetimeMs: number) => number);
  /**
   * The background timer fires at a random point in the first `jitter` fraction of the advisory
   * window, so a fleet started together does not refresh together. 0 fires at the window's start.
   * @default 0.5
   */
  readonly jitter?: number;
  /**
   * Refresh on a timer in the advisory window, so an idle process refreshes too. The timer is
   * unref'd: it never keeps a process alive.
   * @default true
   */
  readonly background?: boolean;
  /**
   * Start the first fetch when the provider is created instead of on the first call.
   * @default false
   */
  readonly eager?: boolean;
  /**
   * Where time comes from. With the default the engine reads `Date.now()` at most once per
   * event-loop turn while credentials are fresh; an injected clock is read on every call.
   * @default Date
   */
  readonly clock?: Clock;
}

/** Backoff of background retries after a failed refresh (p-retry, randomised ×1–2). */
export interface RetryOptions {
  /** @default 1_000 */
  readonly minDelayMs?: number;
  /** @default 60_000 */
  readonly maxDelayMs?: number;
  /** @default 2 */
  readonly factor?: number;
  /**
   * Background retries after the first failed attempt; the loop also ends on success, on an error
   * STS marks final, or on `close()`.
   * @default Infinity
   */
  readonly retries?: number;
}

/** Options of `createRefreshingProvider`; every provider package accepts the same four keys. */
export interface RefreshingProviderOptions {
  /** Names the provider in log lines and events. @default 'provider' */
  readonly name?: string;
  readonly refresh?: RefreshOptions;
  readonly retry?: RetryOptions;
  /** Receives one debug line per decision and a warning per failed refresh. @default no logging */
  readonly logger?: Logger;
  /** Receives typed events (refresh-start, refresh-success, …). @default none */
  readonly onEvent?: EventListener;
}

/** Cached credentials with the instants at which they enter each window. */
interface Cached<T> {
  readonly value: T;
  readonly resolved: Promise<T>;
  readonly expiresAt: number;
  readonly mandatoryAt: number;
  readonly advisoryAt: number;
  expiredReported: boolean;
}

/** Calls that may reuse one clock reading within an event-loop turn (see the hot path). */
const HOT_CALLS = 8;

// setTimeout holds at most this delay; a longer one would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

const WHY: Record<RefreshReason, string> = {
  initial: 'no cached credentials',
  advisory: 'advisory window',
  timer: 'advisory window, background timer',
  mandatory: 'mandatory window',
  expired: 'credentials expired',
  forced: 'forced',
  retry: 'retry after a failure',
};

function checkOptions(options: RefreshingProviderOptions): void {
  const r = options.refresh ?? {};
  checkNumber('refresh.mandatoryWindowMs', r.mandatoryWindowMs, 0);
  if (typeof r.advisoryWindowMs !== 'function') checkNumber('refresh.advisoryWindowMs', r.advisoryWindowMs, 0);
  checkNumber('refresh.jitter', r.jitter, 0, 1);
  if (r.clock !== undefined && typeof r.clock.now !== 'function') {
    throw new InvalidParameterError('refresh.clock', 'must have a now() method returning milliseconds');
  }
  const retry = options.retry ?? {};
  checkNumber('retry.minDelayMs', retry.minDelayMs, 0);
  checkNumber('retry.maxDelayMs', retry.maxDelayMs, retry.minDelayMs ?? 0);
  checkNumber('retry.factor', retry.factor, 1);
  checkNumber('retry.retries', retry.retries, 0);
}

/**
 * The refresh engine: turns one `fetch` function into a caching, background-refreshing
 * `CredentialProvider` (ARCHITECTURE.md, "The refresh engine"). Does no I/O until first called
 * unless `refresh.eager` is set.
 */
export function createRefreshingProvider<T extends TemporaryCredentials>(
  fetch: FetchCredentials<T>,
  options: RefreshingProviderOptions = {},
): CredentialProvider<T> {
  if (typeof fetch !== 'function') throw new InvalidParameterError('fetch', 'must be a function');
  checkOptions(options);
  const name = options.name ?? 'provider';
  const tag = `credchain:${name} -`;
  const logger = options.logger ?? noopLogger;
  const mandatoryWindowMs = options.refresh?.mandatoryWindowMs ?? DEFAULT_MANDATORY_WINDOW_MS;
  const advisoryOption = options.refresh?.advisoryWindowMs;
  const jitter = options.refresh?.jitter ?? 0.5;
  const background = options.refresh?.background ?? true;
  const injectedClock = options.refresh?.clock;
  const clock: Clock = injectedClock ?? Date;
  const retry = {
    minTimeout: options.retry?.minDelayMs ?? 1_000,
    maxTimeout: options.retry?.maxDelayMs ?? 60_000,
    factor: options.retry?.factor ?? 2,
    retries: options.retry?.retries ?? Number.POSITIVE_INFINITY,
  };

  let current: Cached<T> | undefined;
  let inflight: Promise<T> | undefined;
  let attemptNumber = 0;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let lastError: unknown;
  let loop: AbortController | undefined;
  // Credentials whose background refresh met an error STS marks final: no more background
  // attempts for them (one more is made when they enter the mandatory window).
  let blockedFor: Cached<T> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  // The hot path. Reading the clock costs as much as the rest of a cached call, so with the
  // default clock a reading that showed the credentials outside both windows is reused, within
  // two bounds:
  // - until the event loop turns: `fresh` is cleared by an immediate queued when it is set. A
  //   process that sleeps (machine suspended, VM paused) or waits on a stalled loop is nearly
  //   always parked *between* turns, waiting for I/O or timers; the first call after it wakes is in
  //   a new turn and reads the clock again. Timers cannot do this job: Node runs them on a
  //   monotonic clock that stops while the machine sleeps, and a stall makes them late.
  // - for HOT_CALLS calls at most: a single turn can itself be long (CPU-bound work between
  //   awaited calls, or a pause that lands mid-turn), so the clock is read again every HOT_CALLS
  //   calls even within a turn. A reading is only reused when it left the whole advisory and
  //   mandatory windows as margin (minutes), so a stale reading could hand out expired credentials
  //   only if HOT_CALLS consecutive calls of one turn were spread over that margin.
  // An injected clock is read on every call: tests move it at will.
  let fresh = false;
  let budget = 0;
  let epochQueued = false;
  const endEpoch = (): void => {
    fresh = false;
    epochQueued = false;
  };
  const openEpoch = (): void => {
    if (injectedClock !== undefined) return;
    fresh = true;
    budget = HOT_CALLS;
    if (!epochQueued) {
      epochQueued = true;
      const immediate = setImmediate(endEpoch);
      immediate.unref?.();
    }
  };

  const emit = createEmitter(name, options.onEvent, logger, () => clock.now());

  const install = (value: T, now: number): Cached<T> => {
    const expiresAt = value.expiration.getTime();
    const lifetime = expiresAt - now;
    const mandatoryAt = expiresAt - mandatoryWindowMs;
    const wanted =
      typeof advisoryOption === 'function'
        ? advisoryOption(lifetime)
        : (advisoryOption ?? defaultAdvisoryWindowMs(lifetime));
    // Never more than half of the usable life: fresh credentials must be served a while before
    // they are refreshed, or short-lived ones would be refreshed in a loop.
    const advisory = Math.max(0, Math.min(wanted, (mandatoryAt - now) / 2));
    const safe = redactCredentials(value);
    const cached: Cached<T> = {
      value: safe,
      resolved: Promise.resolve(safe),
      expiresAt,
      mandatoryAt,
      advisoryAt: mandatoryAt - advisory,
      expiredReported: false,
    };
    current = cached;
    fresh = false;
    blockedFor = undefined;
    stopLoop();
    schedule(cached, now);
    return cached;
  };

  const schedule = (cached: Cached<T>, now: number): void => {
    clearTimer();
    if (!background || closed) return;
    const at = cached.advisoryAt + Math.random() * jitter * (cached.mandatoryAt - cached.advisoryAt);
    const arm = (delay: number): void => {
      timer = setTimeout(onTimer, Math.min(Math.max(0, delay), MAX_TIMER_MS));
      timer.unref?.();
    };
    const onTimer = (): void => {
      timer = undefined;
      if (current !== cached || closed) return;
      const t = clock.now();
      // A delay longer than a timer can hold was split; wait for the rest.
      if (t < at) return arm(at - t);
      startBackground('timer', t);
    };
    arm(at - now);
  };

  const clearTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const stopLoop = (): void => {
    loop?.abort();
    loop = undefined;
  };

  // One fetch at a time, shared by every caller (ARCHITECTURE.md, rule 2).
  const attempt = (reason: RefreshReason): Promise<T> => {
    if (inflight !== undefined) return inflight;
    const startedAt = clock.now();
    lastAttemptAt = startedAt;
    const number = ++attemptNumber;
    const previous = current?.value;
    if (reason === 'initial' || reason === 'forced' || reason === 'expired' || reason === 'retry') {
      logger.debug(`${tag} fetching (${WHY[reason]}, attempt ${number})`);
    }
    emit({ type: 'refresh-start', reason, attempt: number });
    const run = (async (): Promise<T> => {
      try {
        const value = await fetch({ reason, previous });
        const now = clock.now();
        validateCredentials(value, now, mandatoryWindowMs);
        const cached = install(value, now);
        attemptNumber = 0;
        lastError = undefined;
        logger.debug(
          `${tag} refreshed (${reason}); expires ${value.expiration.toISOString()}, ` +
            `background refresh from ${new Date(cached.advisoryAt).toISOString()}`,
        );
        emit({
          type: 'refresh-success',
          reason,
          expiration: value.expiration,
          durationMs: now - startedAt,
        });
        return cached.value;
      } catch (error) {
        lastError = error;
        const final = isFinalError(error);
        logger.warn(
          `${tag} refresh failed (${reason}, attempt ${number}${final ? ', final' : ''}): ${describeError(error)}`,
        );
        emit({ type: 'refresh-failure', reason, attempt: number, error, final });
        throw error;
      } finally {
        inflight = undefined;
      }
    })();
    inflight = run;
    return run;
  };

  // Background refresh with jittered exponential backoff; final errors end it (rule 5).
  // `first`, when given, is an attempt a caller already made: the loop starts by waiting on it, so
  // a failure is followed by a backoff, not by a second immediate call.
  const startBackground = (reason: RefreshReason, now: number, first?: Promise<T>): void => {
    if (loop !== undefined || closed) return;
    if (current !== undefined && blockedFor === current && reason !== 'mandatory') {
      logger.debug(`${tag} skipping background refresh (${WHY[reason]}): the last error was final`);
      return;
    }
    if (current !== undefined && reason !== 'mandatory') {
      logger.debug(`${tag} refreshing (${WHY[reason]}, ${describeMs(current.expiresAt - now)} left)`);
    }
    const controller = new AbortController();
    loop = controller;
    const forCreds = current;
    pRetry((n) => (n === 1 && first !== undefined ? first : attempt(n === 1 ? reason : 'retry')), {
      ...retry,
      randomize: true,
      unref: true,
      signal: controller.signal,
      shouldRetry: ({ error }) => !isFinalError(error),
    })
      .then(
        () => undefined,
        (error: unknown) => {
          if (controller.signal.aborted) return;
          if (isFinalError(error)) {
            blockedFor = forCreds;
            logger.warn(`${tag} not retrying in the background: STS marks this error final`);
          }
        },
      )
      .finally(() => {
        if (loop === controller) loop = undefined;
      });
  };

  const serveStale = (cached: Cached<T>, error: unknown): Promise<T> => {
    const now = clock.now();
    if (now < cached.expiresAt) {
      const msLeft = cached.expiresAt - now;
      logger.warn(`${tag} serving cached credentials after a failed refresh (${describeMs(msLeft)} left)`);
      emit({ type: 'served-stale', expiration: cached.value.expiration, msLeft });
      return cached.resolved;
    }
    return Promise.reject(expiredError(cached, error));
  };

  const expiredError = (cached: Cached<T>, cause: unknown): CredentialsExpiredError =>
    new CredentialsExpiredError(
      `${name}: credentials expired at ${cached.value.expiration.toISOString()} and the refresh failed: ${describeError(cause)}`,
      cached.value.expiration,
      { cause },
    );

  const mandatory = (cached: Cached<T>, now: number): Promise<T> => {
    let pending = inflight;
    if (pending === undefined && lastAttemptAt < cached.mandatoryAt) {
      // First call in the mandatory window: try now, even if the loop is waiting out a backoff.
      logger.debug(`${tag} refreshing (mandatory window, ${describeMs(cached.expiresAt - now)} left)`);
      stopLoop();
      pending = attempt('mandatory');
      startBackground('mandatory', now, pending);
    }
    if (pending === undefined) return serveStale(cached, lastError);
    return pending.then(undefined, (error: unknown) => serveStale(cached, error));
  };

  const expired = (cached: Cached<T>, now: number): Promise<T> => {
    if (!cached.expiredReported) {
      cached.expiredReported = true;
      logger.warn(`${tag} cached credentials expired at ${cached.value.expiration.toISOString()}`);
      emit({ type: 'expired', expiration: cached.value.expiration });
    }
    let pending = inflight;
    if (pending === undefined) {
      // The background loop is waiting out a backoff: fail fast rather than hammer STS.
      if (loop !== undefined) return Promise.reject(expiredError(cached, lastError));
      pending = attempt('expired');
      startBackground('expired', now, pending);
    }
    return pending.then(undefined, (error: unknown) => {
      throw expiredError(cached, error);
    });
  };

  const slow = (props?: { forceRefresh?: boolean }): Promise<T> => {
    if (props?.forceRefresh === true) return attempt('forced');
    const cached = current;
    if (cached === undefined) return attempt('initial');
    const now = clock.now();
    if (now < cached.advisoryAt) {
      openEpoch();
      return cached.resolved;
    }
    if (now < cached.mandatoryAt) {
      startBackground('advisory', now);
      return cached.resolved;
    }
    if (now < cached.expiresAt) return mandatory(cached, now);
    return expired(cached, now);
  };

  const provider = ((props?: { forceRefresh?: boolean }) => {
    if (fresh && --budget > 0 && props?.forceRefresh !== true) return current!.resolved;
    return slow(props);
  }) as CredentialProvider<T>;

  const close = (): void => {
    closed = true;
    fresh = false;
    clearTimer();
    stopLoop();
  };
  const describe = (): string => {
    const state = current === undefined ? 'no credentials' : `expires ${current.value.expiration.toISOString()}`;
    return `CredentialProvider(${name}: ${state}${closed ? ', closed' : ''})`;
  };

  Object.defineProperties(provider, {
    name: { value: name },
    refresh: { value: (): Promise<T> => attempt('forced') },
    close: { value: close },
    [Symbol.dispose]: { value: close },
    toString: { value: describe },
    toJSON: { value: () => ({ provider: name, expiration: current?.value.expiration }) },
    [INSPECT]: { value: describe },
  });

  if (options.refresh?.eager === true) {
    attempt('initial').catch(() => {
      // Reported through the logger and the refresh-failure event; the first caller retries.
    });
  }
  return provider;
}
