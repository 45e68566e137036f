/**
 * Scenarios driven by @sinonjs/fake-timers: Date, setTimeout, setImmediate and friends are fake,
 * so minutes of refresh behaviour take milliseconds and every figure is exact and repeatable
 * (up to the engine's random jitter, which moves *when* it refreshes, not what callers see).
 *
 * A fake event-loop turn ends when the fake clock runs its due timers and immediates; microtasks
 * (promise reactions) stay real. The clock is installed before each provider is created, because
 * the engine captures its default clock (`Date`) at creation.
 */
import FakeTimers from '@sinonjs/fake-timers';
export type InstalledClock = ReturnType<typeof FakeTimers.install>;
import type { AwsCredentialIdentity } from '@smithy/types';

import { ours, sdkClientCache, smithyMemoize, type Provider, type Source } from './implementations';

// Captured before any fake clock is installed: awaiting a *real* immediate drains every pending
// microtask without letting a *fake* event-loop turn pass (the fake immediates stay queued).
const realSetImmediate = globalThis.setImmediate;
const drainMicrotasks = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2030, 0, 1, 9, 0, 0);
const FETCH_MS = 300;

export interface Impl {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly make: (inner: Source) => Provider;
}

export const IMPLEMENTATIONS: readonly Impl[] = [
  { id: 'ours', label: 'ours (defaults: background timer)', ours: true, make: (inner) => ours(inner) },
  {
    id: 'ours-no-timer',
    label: 'ours (background: false, callers start it)',
    ours: true,
    make: (inner) => ours(inner, { background: false }),
  },
  { id: 'smithy-memoize', label: '@smithy/property-provider memoize', ours: false, make: smithyMemoize },
  { id: 'sdk-client-cache', label: '@smithy/core memoizeIdentityProvider', ours: false, make: sdkClientCache },
];

/** Fake time from `START` (2030-01-01 09:00 UTC): every timer, `Date`, `hrtime` and `performance`. */
export function installClock(): InstalledClock {
  return FakeTimers.install({
    now: START,
    toFake: [
      'setTimeout',
      'clearTimeout',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'Date',
      'hrtime',
      'performance',
    ],
  });
}

/** An inner source that takes `FETCH_MS` of (fake) time and returns credentials living `lifetimeMs`. */
function slowSource(lifetimeMs: number, counter: { fetches: number }): Source {
  return () =>
    new Promise<AwsCredentialIdentity>((resolve) => {
      setTimeout(() => {
        counter.fetches++;
        resolve({
          accessKeyId: `ASIABENCH${counter.fetches}`,
          secretAccessKey: 'bench/secret/not/a/real/key/0000000000',
          sessionToken: 'bench-session-token',
          expiration: new Date(Date.now() + lifetimeMs),
        });
      }, FETCH_MS);
    });
}

/** First call on a cold provider: start the fetch, let its fake 300 ms pass. */
async function firstCall(clock: InstalledClock, provider: Provider): Promise<AwsCredentialIdentity> {
  const pending = provider();
  await clock.tickAsync(FETCH_MS);
  return pending;
}

// ---------------------------------------------------------------------------------------------
// Scenario 2: callers arriving every 50 ms across a refresh.

export interface WaitResult {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly callers: number;
  readonly waitingGe10ms: number;
  readonly maxWaitMs: number;
  readonly expiredHandedOut: number;
  readonly errors: number;
  readonly fetches: number;
}

export async function runWaitAcrossRefresh(impl: Impl): Promise<WaitResult> {
  const clock = installClock();
  let provider: Provider | undefined;
  try {
    const counter = { fetches: 0 };
    provider = impl.make(slowSource(HOUR, counter));
    const first = await firstCall(clock, provider);
    const expiry = first.expiration!.getTime();
    // Idle until 20 minutes before expiry; ours' background timer may fire (and refresh) meanwhile.
    await clock.tickAsync(expiry - 20 * MINUTE - Date.now());
    const end = expiry + 2 * MINUTE;
    let callers = 0;
    let waitingGe10ms = 0;
    let maxWaitMs = 0;
    let expiredHandedOut = 0;
    let errors = 0;
    const pending: Promise<void>[] = [];
    while (Date.now() <= end) {
      const arrived = Date.now();
      callers++;
      pending.push(
        provider().then(
          (creds) => {
            const got = Date.now();
            const wait = got - arrived;
            if (wait >= 10) waitingGe10ms++;
            if (wait > maxWaitMs) maxWaitMs = wait;
            if (creds.expiration !== undefined && creds.expiration.getTime() <= got) expiredHandedOut++;
          },
          () => {
            errors++;
          },
        ),
      );
      await clock.tickAsync(50);
    }
    await clock.tickAsync(10 * FETCH_MS); // let the last callers' fetch, if any, finish
    await Promise.all(pending);
    return {
      id: impl.id,
      label: impl.label,
      ours: impl.ours,
      callers,
      waitingGe10ms,
      maxWaitMs,
      expiredHandedOut,
      errors,
      fetches: counter.fetches,
    };
  } finally {
    provider?.close?.();
    clock.uninstall();
  }
}

// ---------------------------------------------------------------------------------------------
// Scenario 3: suspend. The wall clock jumps past expiration and no timer fires.

export interface SuspendResult {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  /** Credentials whose expiration ≤ the fake now when the caller got them. */
  readonly expiredHandedOut: boolean;
  readonly refetched: boolean;
  readonly waitMs: number;
  readonly outcome: string;
}

/**
 * `turnPasses`: after the jump, let one event-loop turn pass (due immediates only) before calling
 * again: the spec'd scenario 3. Without it (informational 3b) the call comes in the very turn in
 * which the process was suspended, e.g. a suspend in the middle of a microtask-only loop.
 */
export async function runSuspend(impl: Impl, turnPasses: boolean): Promise<SuspendResult> {
  const clock = installClock();
  let provider: Provider | undefined;
  try {
    const counter = { fetches: 0 };
    provider = impl.make(slowSource(HOUR, counter));
    const first = await firstCall(clock, provider);
    await provider(); // a cached call: ours reads the clock here and may reuse the reading this turn
    clock.setSystemTime(first.expiration!.getTime() + MINUTE); // suspended; timers shift, none fires
    if (turnPasses) await clock.tickAsync(0); // one event-loop turn: the due immediates run
    const fetchesBefore = counter.fetches;
    const arrived = Date.now();
    let got: { creds?: AwsCredentialIdentity; error?: unknown; at: number } | undefined;
    provider().then(
      (creds) => (got = { creds, at: Date.now() }),
      (error: unknown) => (got = { error, at: Date.now() }),
    );
    await drainMicrotasks();
    if (got === undefined) await clock.tickAsync(10 * FETCH_MS);
    await drainMicrotasks();
    if (got === undefined) throw new Error(`${impl.id}: the call after the suspend never settled`);
    const expired = got.creds?.expiration !== undefined && got.creds.expiration.getTime() <= got.at;
    const refetched = counter.fetches > fetchesBefore;
    const outcome =
      got.error !== undefined
        ? `error: ${(got.error as Error).name}`
        : expired
          ? `EXPIRED credentials (expired ${Math.round((got.at - got.creds!.expiration!.getTime()) / 1000)} s before)`
          : refetched
            ? 'fresh credentials (refetched)'
            : 'valid cached credentials';
    return {
      id: impl.id,
      label: impl.label,
      ours: impl.ours,
      expiredHandedOut: expired,
      refetched,
      waitMs: got.at - arrived,
      outcome,
    };
  } finally {
    provider?.close?.();
    clock.uninstall();
  }
}

// ---------------------------------------------------------------------------------------------
// Informational 3c: the event loop stalls inside one long turn.

export interface LongTurnResult {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly calls: number;
  readonly expiredHandedOut: number;
  readonly turnsEnded: number;
}

/**
 * A CPU-bound batch that awaits the provider between units of synchronous work and never waits
 * on I/O or a timer: every `await provider()` on a cached value resumes in a microtask, so the
 * whole batch is one event-loop turn. Each unit takes `stepMs` of wall time (moved with
 * `setSystemTime`: timers do not fire during a turn). When a call does not settle within
 * microtasks (it waits for a fetch), the batch yields to the event loop as it would for real,
 * which ends the turn. STS's shortest sessions (15 minutes) are the sharpest case.
 */
export async function runLongTurn(
  impl: Impl,
  lifetimeMs: number,
  durationMs: number,
  stepMs: number,
): Promise<LongTurnResult> {
  const clock = installClock();
  let provider: Provider | undefined;
  try {
    const counter = { fetches: 0 };
    provider = impl.make(slowSource(lifetimeMs, counter));
    await firstCall(clock, provider);
    const end = Date.now() + durationMs;
    let calls = 0;
    let expiredHandedOut = 0;
    let turnsEnded = 0;
    while (Date.now() < end) {
      clock.setSystemTime(Date.now() + stepMs); // a unit of synchronous work
      calls++;
      let got: { creds?: AwsCredentialIdentity; at: number } | undefined;
      provider().then(
        (creds) => (got = { creds, at: Date.now() }),
        () => (got = { at: Date.now() }),
      );
      await drainMicrotasks();
      if (got === undefined) {
        turnsEnded++;
        await clock.tickAsync(10 * FETCH_MS);
        await drainMicrotasks();
      }
      if (got?.creds?.expiration !== undefined && got.creds.expiration.getTime() <= got.at) expiredHandedOut++;
    }
    return { id: impl.id, label: impl.label, ours: impl.ours, calls, expiredHandedOut, turnsEnded };
  } finally {
    provider?.close?.();
    clock.uninstall();
  }
}
