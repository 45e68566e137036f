import { CredentialsExpiredError, InvalidParameterError } from './errors';
import { createEmitter } from './emitter';
import type { EventInput } from './emitter';
import { isFinalError } from './isFinalError';
import { INSPECT, redactCredentials } from './redact';
import { describeError, describeMs, validateCredentials } from './support';
import type {
  CallerClientConfig,
  CredentialProvider,
  FetchCredentials,
  RefreshReason,
  TemporaryCredentials,
} from './types';
import { BackgroundRefresh } from './engine/BackgroundRefresh';
import { decide } from './engine/decide';
import type { UrgentWindow } from './engine/decide';
import { describeReason } from './engine/describeReason';
import { refreshWindows } from './engine/refreshWindows';
import type { RefreshWindows } from './engine/refreshWindows';
import { resolveOptions } from './engine/resolveOptions';
import type { RefreshingProviderOptions } from './engine/resolveOptions';
import { ServerClock } from './engine/ServerClock';
import { TurnClock } from './engine/TurnClock';
import { recordIssuer } from './recovery/issuedBy';
import { storeFetch } from './store/storeFetch';

export type { RefreshOptions, RefreshingProviderOptions, RetryOptions } from './engine/resolveOptions';

const noEvents = (_event: EventInput): void => undefined;

/**
 * The SDK's markers, read when a client is built (@aws-sdk/core's resolveAwsSdkSigV4Config): a provider not
 * `configBound` is wrapped in a function passing the client's configuration, and a bound one not `attributed`
 * in a pass-through (for a function). Set once nothing can come from a caller any more: clients built from
 * then on call the provider directly.
 */
function markConfigBound(provider: object): void {
  const marks = provider as { configBound: boolean; attributed: boolean };
  marks.configBound = true;
  marks.attributed = true;
}

/** Cached credentials (redacted for inspection) and their windows. */
interface Cached<T> {
  readonly value: T;
  readonly resolved: Promise<T>;
  readonly windows: RefreshWindows;
  expiredReported: boolean;
}

/**
 * The refresh engine: turns one `fetch` function into a caching, background-refreshing
 * `CredentialProvider` (docs/ARCHITECTURE.md, "The refresh engine"). Does no I/O until first called
 * unless `refresh.eager` is set.
 *
 * This file wires the parts together: `decide` says what a call does given the windows, the turn
 * clock lets the hot path skip the clock, the background refresh runs the timer and retry loop.
 */
export function createRefreshingProvider<T extends TemporaryCredentials>(
  fetch: FetchCredentials<T>,
  options: RefreshingProviderOptions = {},
): CredentialProvider<T> {
  if (typeof fetch !== 'function') throw new InvalidParameterError('fetch', 'must be a function');
  const o = resolveOptions(options);
  const { name, logger, clock } = o;
  const tag = `credchain:${name} -`;
  // Without a listener, one shared no-op: nothing per provider (a pool holds thousands).
  const emit = o.onEvent === undefined ? noEvents : createEmitter(name, o.onEvent, logger, () => clock.now());
  const turn = new TurnClock(!o.clockInjected);
  // Windows, expiry and timers are on STS's time line (engine rule 9); events are stamped by `clock`.
  const server = new ServerClock({
    clock,
    clockInjected: o.clockInjected,
    logger,
    tag,
    emit,
  });

  // A store (issue 13) sits between the engine and the fetch: a second cache level shared by processes.
  const source =
    options.store === undefined
      ? fetch
      : storeFetch(fetch, options.store, { name, clock: server, windows: o.windows, logger, emit });

  let current: Cached<T> | undefined;
  let inflight: Promise<T> | undefined;
  /** Attempts since the last success, for log lines and events. */
  let attemptNumber = 0;
  let lastFetchStartedAt = Number.NEGATIVE_INFINITY;
  let lastError: unknown;
  let closed = false;
  /** The cached credentials were invalidated (a service rejected them) and none arrived since. */
  let rejected = false;
  /** The first calling SDK client's configuration (`callerClientConfig`): first caller wins. */
  let caller: CallerClientConfig | undefined;

  // One fetch at a time, shared by every caller (engine rule 2): a fetch under way is joined.
  const attempt = (reason: RefreshReason): Promise<T> => {
    if (inflight !== undefined) return inflight;
    const startedAt = clock.now();
    lastFetchStartedAt = server.now();
    const number = ++attemptNumber;
    const previous = current?.value;
    if (reason !== 'advisory' && reason !== 'timer' && reason !== 'mandatory') {
      logger.debug(`${tag} fetching (${describeReason(reason)}, attempt ${number})`);
    }
    emit({ type: 'refresh-start', reason, attempt: number });
    const run = (async (): Promise<T> => {
      try {
        // Through an async arrow, a fetch that throws instead of rejecting still settles after
        // `inflight` is set below: settled before, the failed attempt would stay in flight for good.
        const value = await (async () => source({ reason, previous, callerClientConfig: caller }))();
        const finishedAt = clock.now();
        // Before the checks: credentials STS just issued are judged by STS's clock (rule 7 included).
        server.learn(value);
        const now = server.now();
        validateCredentials(value, now, o.windows.mandatoryWindowMs);
        const cached = install(value, now);
        attemptNumber = 0;
        lastError = undefined;
        logger.debug(
          `${tag} refreshed (${reason}); expires ${value.expiration.toISOString()}, ` +
            `background refresh at ${new Date(cached.windows.refreshAt).toISOString()}`,
        );
        emit({ type: 'refresh-success', reason, expiration: value.expiration, durationMs: finishedAt - startedAt });
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

  const background = new BackgroundRefresh({
    attempt,
    backoff: o.backoff,
    timer: o.background,
    clock: server,
    logger,
    tag,
  });

  const install = (value: T, now: number): Cached<T> => {
    const safe = redactCredentials(value);
    const windows = refreshWindows(value.expiration.getTime(), now, o.windows, Math.random());
    const cached: Cached<T> = { value: safe, resolved: Promise.resolve(safe), windows, expiredReported: false };
    current = cached;
    rejected = false;
    turn.forget();
    background.follow(windows, now);
    // So that a client plugin can tell, from the credentials a rejected request was signed with, which
    // engine handed them out (credentialRecoveryPlugin, withCredentialRecovery).
    recordIssuer(safe, provider);
    server.pass(safe);
    return cached;
  };

  const expiredError = (cached: Cached<T>, cause: unknown): CredentialsExpiredError => {
    const expiration = cached.value.expiration;
    const message = `${name}: credentials expired at ${expiration.toISOString()} and the refresh failed`;
    return new CredentialsExpiredError(`${message}: ${describeError(cause)}`, expiration, { cause });
  };

  // Rule 6: after a failed refresh, credentials that have not expired are still handed out.
  const serveStale = (cached: Cached<T>, error: unknown): Promise<T> => {
    const msLeft = cached.windows.expiresAt - server.now();
    if (msLeft <= 0) return Promise.reject(expiredError(cached, error));
    logger.warn(`${tag} serving cached credentials after a failed refresh (${describeMs(msLeft)} left)`);
    emit({ type: 'served-stale', expiration: cached.value.expiration, msLeft });
    return cached.resolved;
  };

  const reportExpiredOnce = (cached: Cached<T>): void => {
    if (cached.expiredReported) return;
    cached.expiredReported = true;
    logger.warn(`${tag} cached credentials expired at ${cached.value.expiration.toISOString()}`);
    emit({ type: 'expired', expiration: cached.value.expiration });
  };

  // The attempt is the background loop's first: if it fails the loop backs off before the next.
  const fetchNow = (cached: Cached<T>, window: UrgentWindow, now: number): Promise<T> => {
    if (window === 'mandatory') {
      logger.debug(`${tag} refreshing (mandatory window, ${describeMs(cached.windows.expiresAt - now)} left)`);
    }
    background.stop();
    const pending = attempt(window);
    background.start(window, now, pending);
    return pending;
  };

  // A call with credentials cached and no hot-path shortcut: read the clock, decide, act.
  const answer = (cached: Cached<T>): Promise<T> => {
    const now = server.now();
    const decision = decide(cached.windows, {
      now,
      fetching: inflight !== undefined,
      backgroundRunning: background.running,
      lastFetchStartedAt,
    });
    switch (decision.kind) {
      case 'serve':
        if (decision.outsideWindows) turn.keep();
        return cached.resolved;
      case 'serve-and-refresh-in-background':
        background.start('advisory', now);
        return cached.resolved;
      case 'serve-stale':
        return serveStale(cached, lastError);
      case 'fail-expired':
        reportExpiredOnce(cached);
        return Promise.reject(expiredError(cached, lastError));
      case 'join-fetch':
      case 'fetch-now': {
        const { window } = decision;
        if (window === 'expired') reportExpiredOnce(cached);
        // Joining: `attempt` hands back the fetch under way.
        const pending = decision.kind === 'fetch-now' ? fetchNow(cached, window, now) : attempt(window);
        return window === 'mandatory'
          ? pending.then(undefined, (error: unknown) => serveStale(cached, error))
          : pending.then(undefined, (error: unknown) => Promise.reject(expiredError(cached, error)));
      }
    }
  };

  // Named through a computed key, not by redefining `name` afterwards: a redefined `name` turns the
  // function's properties into a dictionary of their own, about 0.7 KB per provider.
  const provider = {
    [name]: (props?: { forceRefresh?: boolean; callerClientConfig?: CallerClientConfig }) => {
      // The hot path: `reuse()` is only true once a reading found cached credentials outside both windows.
      if (turn.reuse() && props?.forceRefresh !== true) return current!.resolved;
      // Recorded off the hot path only: the first call never takes it, and every fetch starts off it.
      if (caller === undefined && props?.callerClientConfig !== undefined) {
        caller = props.callerClientConfig;
        markConfigBound(provider);
      }
      if (props?.forceRefresh === true) return attempt('forced');
      if (current === undefined) return attempt(rejected ? 'rejected' : 'initial');
      return answer(current);
    },
  }[name] as CredentialProvider<T>;

  // Go's InvalidateCredentials: only the credentials that were rejected are dropped. Credentials a
  // refresh already put in their place stay: the caller retries with them.
  const invalidate = (accessKeyId: string, code?: string): boolean => {
    const why = code === undefined ? '' : ` (${code})`;
    if (current === undefined || current.value.accessKeyId !== accessKeyId) {
      logger.debug(`${tag} rejected credentials${why} are no longer cached: nothing to invalidate`);
      return false;
    }
    current = undefined;
    rejected = true;
    turn.forget();
    // Their timer and any backoff belonged to them; the next call fetches (joining a fetch under way).
    background.forget();
    logger.warn(`${tag} a service rejected the cached credentials${why}: dropped, the next call fetches`);
    emit({ type: 'credentials-rejected', code });
    return true;
  };

  const close = (): void => {
    closed = true;
    turn.forget();
    background.close();
    o.onClose?.();
  };
  const describe = (): string => {
    const state = current === undefined ? 'no credentials' : `expires ${current.value.expiration.toISOString()}`;
    return `CredentialProvider(${name}: ${state}${closed ? ', closed' : ''})`;
  };

  Object.defineProperties(provider, {
    refresh: { value: (): Promise<T> => attempt('forced') },
    invalidate: { value: invalidate },
    // The SDK's marker, so a client uses the engine as its only cache. Writable: the SDK assigns it too.
    memoized: { value: true, writable: true },
    // Writable, as `memoized`: an SDK that assigns them must not throw.
    configBound: { value: !o.inheritsFromCaller, writable: true },
    attributed: { value: !o.inheritsFromCaller, writable: true },
    close: { value: close },
    [Symbol.dispose]: { value: close },
    toString: { value: describe },
    toJSON: { value: () => ({ provider: name, expiration: current?.value.expiration }) },
    [INSPECT]: { value: describe },
  });

  if (o.eager) {
    attempt('initial').catch(() => {
      // Reported through the logger and the refresh-failure event; the first caller retries.
    });
  }
  return provider;
}
