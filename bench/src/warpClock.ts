/**
 * A wall clock that jumps ahead while I/O and short timers stay real.
 *
 * The provider scenarios need hours of credential lifetime to pass in seconds while they talk to a
 * real sts-local over real HTTP. Jest-style fake timers (@sinonjs/fake-timers) fake every timer:
 * the SDK's retry backoff, its HTTP handler's timers and sts-local's injected 300 ms latency would
 * then only advance when something ticks them, and a jump would skip the latency we mean to
 * measure. So time is split instead:
 *
 * - The wall clock (`Date.now()`, `new Date()`) runs at real speed plus an offset that the scenario
 *   moves. The global `Date` becomes a proxy of the real one whose `now()` and argument-less
 *   constructor add the offset; parsing, `Date.UTC`, `instanceof Date` and dates made before the
 *   install are the real `Date`'s. Everyone reads it: the SDK's providers and its client cache
 *   (`isIdentityExpired` reads `Date.now()`), the SDK's signer, ours (its default clock is `Date`,
 *   captured when a provider is created, so install first), and sts-local (started with
 *   `clock: { now: () => Date.now() }`), so expirations and signature dates share one time line.
 * - Timers armed for `VIRTUAL_TIMER_MS` (1 s) or longer are virtual: they fire when the warped wall
 *   clock passes their due time, in order, as {@link WarpClock.runTo} moves it. That is ours'
 *   background refresh timer (armed for tens of minutes) and its retry backoff (1 s and up).
 *   Shorter timers stay real: sts-local's latency, the SDK's retry delays (100–400 ms for STS's 5xx
 *   answers), its HTTP handler's timers, so a 300 ms answer still takes 300 ms of wall time.
 *
 * Nothing in the SDK's providers or client cache arms a timer of 1 s or more (STS's 5xx answers get
 * 100–400 ms), so the split changes nothing for them; for ours it is what real time would do: its
 * timer fires at its refresh point, in the advisory window.
 */
const RealDate = Date;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** Timers armed for at least this long fire on the warped clock. */
export const VIRTUAL_TIMER_MS = 1_000;

export interface WarpClock {
  /** The warped wall clock, in epoch ms. */
  now(): number;
  /**
   * Moves the wall clock forward to `epochMs`, firing the virtual timers due on the way in order;
   * after each one, awaits `between()` (e.g. until the HTTP requests it started have landed).
   */
  runTo(epochMs: number, between?: () => Promise<void>): Promise<void>;
  /** Virtual timers armed and not yet fired or cleared. */
  readonly pendingTimers: number;
  /** Restores the real `Date`, `setTimeout` and `clearTimeout`; drops pending virtual timers. */
  uninstall(): void;
}

class VirtualTimer {
  constructor(
    readonly id: number,
    readonly due: number,
    readonly fire: () => void,
  ) {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return false;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

export function installWarpClock(): WarpClock {
  let offset = 0;
  let nextId = 1;
  const virtual = new Set<VirtualTimer>();
  const now = (): number => RealDate.now() + offset;

  const WarpedDate: DateConstructor = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget): object {
      const ctor = newTarget === WarpedDate ? target : newTarget;
      return Reflect.construct(target, args.length === 0 ? [now()] : args, ctor) as object;
    },
    apply() {
      return new RealDate(now()).toString(); // `Date()` called as a function
    },
    get(target, key, receiver) {
      return key === 'now' ? now : (Reflect.get(target, key, receiver) as unknown);
    },
  });

  const warpedSetTimeout = (fn: (...a: unknown[]) => void, delay?: number, ...args: unknown[]): unknown => {
    const ms = Number(delay) || 0;
    if (ms < VIRTUAL_TIMER_MS) return realSetTimeout(fn, ms, ...args);
    const timer: VirtualTimer = new VirtualTimer(nextId++, now() + ms, () => {
      virtual.delete(timer);
      fn(...args);
    });
    virtual.add(timer);
    return timer;
  };
  const warpedClearTimeout = (timer: unknown): void => {
    if (timer instanceof VirtualTimer) virtual.delete(timer);
    else realClearTimeout(timer as Parameters<typeof clearTimeout>[0]);
  };

  globalThis.Date = WarpedDate;
  globalThis.setTimeout = warpedSetTimeout as unknown as typeof setTimeout;
  globalThis.clearTimeout = warpedClearTimeout;

  return {
    now,
    async runTo(epochMs, between) {
      for (;;) {
        let next: VirtualTimer | undefined;
        for (const t of virtual) if (t.due <= epochMs && (next === undefined || t.due < next.due)) next = t;
        if (next === undefined) break;
        if (next.due > now()) offset += next.due - now();
        next.fire();
        await between?.();
      }
      if (epochMs > now()) offset += epochMs - now();
    },
    get pendingTimers() {
      return virtual.size;
    },
    uninstall() {
      globalThis.Date = RealDate;
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
      virtual.clear();
    },
  };
}
