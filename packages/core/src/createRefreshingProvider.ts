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
import type { RefreshingProviderOptions, ResolvedOptions } from './engine/resolveOptions';
import { ServerClock } from './engine/ServerClock';
import { TurnClock } from './engine/TurnClock';
import { markConfigBound, probeOf, unwrapAfterCall } from './engine/unwrapClient';
import { recordIssuer } from './recovery/issuedBy';
import { sharedDraw, storeFetch } from './store/storeFetch';

export type { RefreshOptions, RefreshingProviderOptions, RetryOptions } from './engine/resolveOptions';

const noEvents = (_event: EventInput): void => undefined;

/** Cached credentials (redacted for inspection) and their windows. */
interface Cached<T> {
  readonly value: T;
  readonly resolved: Promise<T>;
  readonly windows: RefreshWindows;
  expiredReported: boolean;
}

/**
 * One provider's state: the cached credentials, the fetch in flight (rule 2) and what the last attempt left.
 * A class rather than closures: a pool holds thousands of providers, and methods on a prototype cost
 * nothing per provider (only the provider function and the few members a caller may take away alone are
 * closures).
 */
class Engine<T extends TemporaryCredentials> {
  current: Cached<T> | undefined;
  inflight: Promise<T> | undefined;
  /** Attempts since the last success, for log lines and events. */
  attemptNumber = 0;
  lastFetchStartedAt = Number.NEGATIVE_INFINITY;
  lastError: unknown;
  closed = false;
  /** The cached credentials were invalidated (a service rejected them) and none arrived since. */
  rejected = false;
  /** The first calling SDK client's configuration (`callerClientConfig`): first caller wins. */
  caller: CallerClientConfig | undefined;
  /** The calling clients' configurations the provider tried to hand itself back to (unwrapClient). */
  unwrapTried: WeakSet<object> | undefined;
  readonly background: BackgroundRefresh;
  /** Set once the provider function exists: what `install` records as the issuer of what it caches. */
  provider!: CredentialProvider<T>;

  // The parts it is wired from, built once per provider by createRefreshingProvider.
  constructor(
    readonly o: ResolvedOptions,
    readonly tag: string,
    readonly emit: (event: EventInput) => void,
    readonly turn: TurnClock,
    readonly server: ServerClock,
    readonly source: FetchCredentials<T>,
    /** A store is bound: the refresh point is drawn from the credentials, alike in every process. */
    readonly sharedRefreshPoint: boolean,
  ) {
    this.background = new BackgroundRefresh({
      attempt: (reason) => this.attempt(reason),
      backoff: this.o.backoff,
      timer: this.o.background,
      clock: this.server,
      logger: this.o.logger,
      tag: this.tag,
    });
  }

  // One fetch at a time, shared by every caller (engine rule 2): a fetch under way is joined.
  attempt(reason: RefreshReason): Promise<T> {
    if (this.inflight !== undefined) return this.inflight;
    const { o, tag, server } = this;
    const startedAt = o.clock.now();
    this.lastFetchStartedAt = server.now();
    const number = ++this.attemptNumber;
    const previous = this.current?.value;
    if (reason !== 'advisory' && reason !== 'timer' && reason !== 'mandatory') {
      o.logger.debug(`${tag} fetching (${describeReason(reason)}, attempt ${number})`);
    }
    this.emit({ type: 'refresh-start', reason, attempt: number });
    const run = (async (): Promise<T> => {
      try {
        // Through an async arrow, a fetch that throws instead of rejecting still settles after
        // `inflight` is set below: settled before, the failed attempt would stay in flight for good.
        const value = await (async () => this.source({ reason, previous, callerClientConfig: this.caller }))();
        const finishedAt = o.clock.now();
        // Before the checks: credentials STS just issued are judged by STS's clock (rule 7 included).
        server.learn(value);
        const now = server.now();
        validateCredentials(value, now, o.windows.mandatoryWindowMs);
        const cached = this.install(value, now);
        this.attemptNumber = 0;
        this.lastError = undefined;
        o.logger.debug(
          `${tag} refreshed (${reason}); expires ${value.expiration.toISOString()}, ` +
            `background refresh at ${new Date(cached.windows.refreshAt).toISOString()}`,
        );
        this.emit({
          type: 'refresh-success',
          reason,
          expiration: value.expiration,
          durationMs: finishedAt - startedAt,
        });
        return cached.value;
      } catch (error) {
        this.lastError = error;
        const final = isFinalError(error);
        o.logger.warn(
          `${tag} refresh failed (${reason}, attempt ${number}${final ? ', final' : ''}): ${describeError(error)}`,
        );
        this.emit({ type: 'refresh-failure', reason, attempt: number, error, final });
        throw error;
      } finally {
        this.inflight = undefined;
      }
    })();
    this.inflight = run;
    return run;
  }

  install(value: T, now: number): Cached<T> {
    const safe = redactCredentials(value);
    // With a store, every process holding these credentials draws the same point (sharedDraw, from their
    // access key ID): the fleet refreshes once, where one process would, not at the earliest of its draws.
    const draw = this.sharedRefreshPoint ? sharedDraw(value.accessKeyId) : Math.random();
    const windows = refreshWindows(value.expiration.getTime(), now, this.o.windows, draw);
    const cached: Cached<T> = { value: safe, resolved: Promise.resolve(safe), windows, expiredReported: false };
    this.current = cached;
    this.rejected = false;
    this.turn.forget();
    this.background.follow(windows, now);
    // So that a client plugin can tell, from the credentials a rejected request was signed with, which
    // engine handed them out (credentialRecoveryPlugin, withCredentialRecovery).
    recordIssuer(safe, this.provider);
    this.server.pass(safe);
    return cached;
  }

  expiredError(cached: Cached<T>, cause: unknown): CredentialsExpiredError {
    const expiration = cached.value.expiration;
    const message = `${this.o.name}: credentials expired at ${expiration.toISOString()} and the refresh failed`;
    return new CredentialsExpiredError(`${message}: ${describeError(cause)}`, expiration, { cause });
  }

  // Rule 6: after a failed refresh, credentials that have not expired are still handed out.
  serveStale(cached: Cached<T>, error: unknown): Promise<T> {
    const msLeft = cached.windows.expiresAt - this.server.now();
    if (msLeft <= 0) return Promise.reject(this.expiredError(cached, error));
    this.o.logger.warn(`${this.tag} serving cached credentials after a failed refresh (${describeMs(msLeft)} left)`);
    this.emit({ type: 'served-stale', expiration: cached.value.expiration, msLeft });
    return cached.resolved;
  }

  reportExpiredOnce(cached: Cached<T>): void {
    if (cached.expiredReported) return;
    cached.expiredReported = true;
    this.o.logger.warn(`${this.tag} cached credentials expired at ${cached.value.expiration.toISOString()}`);
    this.emit({ type: 'expired', expiration: cached.value.expiration });
  }

  // The attempt is the background loop's first: if it fails the loop backs off before the next.
  fetchNow(cached: Cached<T>, window: UrgentWindow, now: number): Promise<T> {
    if (window === 'mandatory') {
      this.o.logger.debug(
        `${this.tag} refreshing (mandatory window, ${describeMs(cached.windows.expiresAt - now)} left)`,
      );
    }
    this.background.stop();
    const pending = this.attempt(window);
    this.background.start(window, now, pending);
    return pending;
  }

  // A call with credentials cached and no hot-path shortcut: read the clock, decide, act.
  answer(cached: Cached<T>): Promise<T> {
    const now = this.server.now();
    const decision = decide(cached.windows, {
      now,
      fetching: this.inflight !== undefined,
      backgroundRunning: this.background.running,
      lastFetchStartedAt: this.lastFetchStartedAt,
    });
    switch (decision.kind) {
      case 'serve':
        if (decision.outsideWindows) this.turn.keep();
        return cached.resolved;
      case 'serve-and-refresh-in-background':
        this.background.start('advisory', now);
        return cached.resolved;
      case 'serve-stale':
        return this.serveStale(cached, this.lastError);
      case 'fail-expired':
        this.reportExpiredOnce(cached);
        return Promise.reject(this.expiredError(cached, this.lastError));
      case 'join-fetch':
      case 'fetch-now': {
        const { window } = decision;
        if (window === 'expired') this.reportExpiredOnce(cached);
        // Joining: `attempt` hands back the fetch under way.
        const pending = decision.kind === 'fetch-now' ? this.fetchNow(cached, window, now) : this.attempt(window);
        return window === 'mandatory'
          ? pending.then(undefined, (error: unknown) => this.serveStale(cached, error))
          : pending.then(undefined, (error: unknown) => Promise.reject(this.expiredError(cached, error)));
      }
    }
  }

  /** A call of the provider, past the hot path (which only takes calls without options). */
  call(props: { forceRefresh?: boolean; callerClientConfig?: CallerClientConfig } | undefined): Promise<T> {
    if (props !== undefined) {
      const caller = props.callerClientConfig;
      if (caller !== undefined) {
        // unwrapClient's probe is answered as any lookup: whatever caches the answer on the way caches
        // credentials.
        const probe = probeOf(props);
        if (probe === undefined) this.calledBy(caller);
        else probe.reached(this.provider);
      }
      if (props.forceRefresh === true) return this.attempt('forced');
      // Past the caller's business, a lookup like any other: a kept clock reading stands for it too.
      if (this.turn.reuse()) return this.current!.resolved;
    }
    if (this.current === undefined) return this.attempt(this.rejected ? 'rejected' : 'initial');
    return this.answer(this.current);
  }

  /**
   * A call through an SDK client that wraps the provider (it was built before the provider was marked).
   * Recorded off the hot path only: the first call never takes it, and every fetch starts off it.
   */
  calledBy(caller: CallerClientConfig): void {
    // From whatever SDK the caller runs: typed as an object, checked as one before it keys a WeakSet.
    const key: unknown = caller;
    if (typeof key !== 'object' || key === null) return;
    if (this.caller === undefined) {
      this.caller = caller;
      markConfigBound(this.provider);
    }
    // Marked now, so the client can take the provider itself: it is handed it back when nothing but the
    // SDK's own wrappers stands between them.
    this.unwrapTried = unwrapAfterCall(key, this.provider, this.unwrapTried);
  }

  // Go's InvalidateCredentials: only the credentials that were rejected are dropped. Credentials a
  // refresh already put in their place stay: the caller retries with them.
  invalidate(accessKeyId: string, code?: string): boolean {
    const why = code === undefined ? '' : ` (${code})`;
    const { logger } = this.o;
    if (this.current === undefined || this.current.value.accessKeyId !== accessKeyId) {
      logger.debug(`${this.tag} rejected credentials${why} are no longer cached: nothing to invalidate`);
      return false;
    }
    this.current = undefined;
    this.rejected = true;
    this.turn.forget();
    // Their timer and any backoff belonged to them; the next call fetches (joining a fetch under way).
    this.background.forget();
    logger.warn(`${this.tag} a service rejected the cached credentials${why}: dropped, the next call fetches`);
    this.emit({ type: 'credentials-rejected', code });
    return true;
  }

  close(): void {
    this.closed = true;
    this.turn.forget();
    this.background.close();
    this.o.onClose?.();
  }

  describe(): string {
    const { current } = this;
    const state = current === undefined ? 'no credentials' : `expires ${current.value.expiration.toISOString()}`;
    return `CredentialProvider(${this.o.name}: ${state}${this.closed ? ', closed' : ''})`;
  }
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
  // Windows, expiry and timers are on STS's time line (engine rule 9); events are stamped by `clock`.
  const server = new ServerClock({ clock, clockInjected: o.clockInjected, logger, tag, emit });
  // A store (issue 13) sits between the engine and the fetch: a second cache level shared by processes.
  const source =
    options.store === undefined
      ? fetch
      : storeFetch(fetch, options.store, { name, clock: server, windows: o.windows, logger, emit });
  const shared = options.store !== undefined;
  const engine = new Engine<T>(o, tag, emit, new TurnClock(!o.clockInjected), server, source, shared);
  const { turn } = engine;

  // Named through a computed key, not by redefining `name` afterwards: a redefined `name` turns the
  // function's properties into a dictionary of their own, about 0.7 KB per provider.
  const provider = {
    [name]: (props?: { forceRefresh?: boolean; callerClientConfig?: CallerClientConfig }) =>
      // The hot path: `reuse()` is only true once a reading found cached credentials outside both windows.
      // A call with options (a client's configuration, forceRefresh) takes `call`, which reuses it too.
      props === undefined && turn.reuse() ? engine.current!.resolved : engine.call(props),
  }[name] as CredentialProvider<T>;
  engine.provider = provider;

  // Closures for what a caller may take away and call alone (`process.on('SIGTERM', provider.close)`).
  const close = (): void => engine.close();
  const describe = (): string => engine.describe();
  Object.defineProperties(provider, {
    refresh: { value: (): Promise<T> => engine.attempt('forced') },
    invalidate: { value: (accessKeyId: string, code?: string): boolean => engine.invalidate(accessKeyId, code) },
    // The SDK's marker, so a client uses the engine as its only cache. Writable: the SDK assigns it too.
    memoized: { value: true, writable: true },
    // Writable, as `memoized`: an SDK that assigns them must not throw.
    configBound: { value: !o.inheritsFromCaller, writable: true },
    attributed: { value: !o.inheritsFromCaller, writable: true },
    close: { value: close },
    [Symbol.dispose]: { value: close },
    toString: { value: describe },
    toJSON: { value: () => ({ provider: name, expiration: engine.current?.value.expiration }) },
    [INSPECT]: { value: describe },
  });

  if (o.eager) {
    engine.attempt('initial').catch(() => {
      // Reported through the logger and the refresh-failure event; the first caller retries.
    });
  }
  return provider;
}
