import { InvalidParameterError } from '../errors';
import type { EventListener } from '../events';
import { noopLogger } from '../support';
import type { Clock, Logger } from '../types';
import { DEFAULT_MANDATORY_WINDOW_MS, checkNumber } from '../windows';
import type { WindowOptions } from './refreshWindows';
import type { StoreBinding } from '../store/storeFetch';

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
   * Each credentials' refresh point is drawn once, when they arrive, at random in the first `jitter`
   * fraction of the advisory window; callers and the background timer both start the refresh there,
   * so a fleet started together does not refresh together. 0 refreshes at the window's start.
   * @default 0.5
   */
  readonly jitter?: number;
  /**
   * Refresh on a timer at the refresh point, so an idle process refreshes too. The timer is
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
  /**
   * Called by every `close()`, after the timers stopped: a provider releases what it holds there
   * (its share of a shared STS client). @default none
   */
  readonly onClose?: () => void;
  /**
   * A store shared with other processes, and how to name this provider's entry in it (docs/ARCHITECTURE.md,
   * "Stores"). Providers build it from their `store` option. @default none
   */
  readonly store?: StoreBinding;
  /**
   * Whether `fetch` may read `callerClientConfig` (what it inherits from the calling SDK client). While it
   * may and no client has called yet, the provider is not marked `configBound`, so an SDK client wraps it to
   * pass its configuration; once a caller is recorded (first caller wins: later ones are ignored), or from
   * the start with `false`, it is marked `configBound` and `attributed`, and SDK clients built from then on
   * call it directly, without their two wrappers (docs/ARCHITECTURE.md, "Inherited from the calling
   * client"). @default true
   */
  readonly inheritsFromCaller?: boolean;
}

/** p-retry's names for the backoff of {@link RetryOptions}. */
export interface Backoff {
  readonly minTimeout: number;
  readonly maxTimeout: number;
  readonly factor: number;
  readonly retries: number;
}

/** Every option with its default filled in. */
export interface ResolvedOptions {
  readonly name: string;
  readonly logger: Logger;
  readonly onEvent: EventListener | undefined;
  readonly onClose: (() => void) | undefined;
  readonly inheritsFromCaller: boolean;
  readonly windows: WindowOptions;
  readonly background: boolean;
  readonly eager: boolean;
  readonly clock: Clock;
  /** A clock the caller injected is read on every call; only `Date` may be read once per turn. */
  readonly clockInjected: boolean;
  readonly backoff: Backoff;
}

// The defaults, one frozen object each for every provider that sets nothing (a pool holds thousands).
const DEFAULT_WINDOWS: WindowOptions = Object.freeze({
  mandatoryWindowMs: DEFAULT_MANDATORY_WINDOW_MS,
  advisoryWindowMs: undefined,
  jitter: 0.5,
});
const DEFAULT_BACKOFF: Backoff = Object.freeze({
  minTimeout: 1_000,
  maxTimeout: 60_000,
  factor: 2,
  retries: Number.POSITIVE_INFINITY,
});

/** Checks the options, naming the first bad one, and fills in the defaults. */
export function resolveOptions(options: RefreshingProviderOptions): ResolvedOptions {
  const refresh = options.refresh ?? {};
  const retry = options.retry ?? {};
  checkNumber('refresh.mandatoryWindowMs', refresh.mandatoryWindowMs, 0);
  if (typeof refresh.advisoryWindowMs !== 'function') {
    checkNumber('refresh.advisoryWindowMs', refresh.advisoryWindowMs, 0);
  }
  checkNumber('refresh.jitter', refresh.jitter, 0, 1);
  if (refresh.clock !== undefined && typeof refresh.clock.now !== 'function') {
    throw new InvalidParameterError('refresh.clock', 'must have a now() method returning milliseconds');
  }
  checkNumber('retry.minDelayMs', retry.minDelayMs, 0);
  checkNumber('retry.maxDelayMs', retry.maxDelayMs, retry.minDelayMs ?? 0);
  checkNumber('retry.factor', retry.factor, 1);
  checkNumber('retry.retries', retry.retries, 0);
  return {
    name: options.name ?? 'provider',
    logger: options.logger ?? noopLogger,
    onEvent: options.onEvent,
    onClose: options.onClose,
    inheritsFromCaller: options.inheritsFromCaller !== false,
    windows:
      refresh.mandatoryWindowMs === undefined && refresh.advisoryWindowMs === undefined && refresh.jitter === undefined
        ? DEFAULT_WINDOWS
        : {
            mandatoryWindowMs: refresh.mandatoryWindowMs ?? DEFAULT_WINDOWS.mandatoryWindowMs,
            advisoryWindowMs: refresh.advisoryWindowMs,
            jitter: refresh.jitter ?? DEFAULT_WINDOWS.jitter,
          },
    background: refresh.background ?? true,
    eager: refresh.eager ?? false,
    clock: refresh.clock ?? Date,
    clockInjected: refresh.clock !== undefined,
    backoff:
      retry.minDelayMs === undefined &&
      retry.maxDelayMs === undefined &&
      retry.factor === undefined &&
      retry.retries === undefined
        ? DEFAULT_BACKOFF
        : {
            minTimeout: retry.minDelayMs ?? DEFAULT_BACKOFF.minTimeout,
            maxTimeout: retry.maxDelayMs ?? DEFAULT_BACKOFF.maxTimeout,
            factor: retry.factor ?? DEFAULT_BACKOFF.factor,
            retries: retry.retries ?? DEFAULT_BACKOFF.retries,
          },
  };
}
