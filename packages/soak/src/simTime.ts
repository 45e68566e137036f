/**
 * Simulated time for the soak: the global `Date` and every `setTimeout`/`setInterval` run on a
 * virtual clock that only moves when the soak moves it, while I/O (sockets, sts-local's HTTP) and
 * `setImmediate` stay real. Days pass in seconds, and nothing waits on the wall clock.
 *
 * Everyone reads the same time line: the refresh engine (its default clock is `Date`, captured when
 * a provider is created, so install first), its background timer and retry backoff (p-retry arms a
 * `setTimeout`), the SDK's signer and its retry delays, and sts-local (started after install, or
 * given `clock: sim`) including its injected latency, which is a `setTimeout` too.
 *
 * Timers fire only from {@link SimTime.fireNext}, one at a time in due order, so the driver can let
 * the I/O a timer started land before the next one fires.
 */
const real = {
  Date: globalThis.Date,
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
};
const RealDate = real.Date;
const realSetTimeout = real.setTimeout;
const realSetImmediate = globalThis.setImmediate;

/** Resolves after one real event-loop turn: pending microtasks and ready I/O callbacks run. */
export const realTurn = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));
/** Resolves after a real millisecond: lets the poll phase wait for loopback I/O. */
export const realPause = (): Promise<void> => new Promise((resolve) => realSetTimeout(resolve, 1));

/** A pending simulated timer; the handle Node code expects (`ref`, `unref`, …) comes from its prototype. */
interface SimTimer {
  readonly id: number;
  due: number;
  readonly fire: () => void;
  readonly repeatMs: number | undefined;
  /** The delay it was armed with. */
  readonly delayMs: number;
}

function returnThis<T>(this: T): T {
  return this;
}
// Handles are never ref'd: simulated timers cannot keep the process alive.
const timerHandle = {
  ref: returnThis,
  unref: returnThis,
  refresh: returnThis,
  close: returnThis,
  hasRef: () => false,
  [Symbol.toPrimitive](this: SimTimer): number {
    return this.id;
  },
};
const isSimTimer = (value: unknown): value is SimTimer =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === timerHandle;

export interface SimTime {
  /** The simulated time, epoch ms. */
  now(): number;
  /** Due time of the earliest pending timer, if any. */
  nextDue(): number | undefined;
  /** Moves time to the earliest pending timer (never backwards) and fires it. False when none. */
  fireNext(): boolean;
  /** Moves time forward to `epochMs` without firing anything (timers due on the way stay due). */
  jumpTo(epochMs: number): void;
  /** Timers armed and not yet fired or cleared. */
  readonly pending: number;
  /** Pending one-shot timers armed with exactly `delayMs` (sts-local holding requests on latency spikes). */
  armedWith(delayMs: number): number;
  /** Restores the real `Date` and timer functions; drops pending timers. */
  uninstall(): void;
}

/** Replaces the global `Date` and timer functions; time starts at `startMs`. */
export function installSimTime(startMs: number): SimTime {
  let t = startMs;
  let nextId = 1;
  const timers = new Set<SimTimer>();

  const SimDate: DateConstructor = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget): object {
      const ctor = newTarget === SimDate ? target : newTarget;
      return Reflect.construct(target, args.length === 0 ? [t] : args, ctor) as object;
    },
    apply() {
      return new RealDate(t).toString();
    },
    get(target, key, receiver) {
      return key === 'now' ? () => t : (Reflect.get(target, key, receiver) as unknown);
    },
  });

  const arm = (fn: (...a: unknown[]) => void, delay: unknown, args: unknown[], repeat: boolean): SimTimer => {
    const ms = Math.max(0, Number(delay) || 0);
    const timer: SimTimer = Object.assign(Object.create(timerHandle) as object, {
      id: nextId++,
      due: t + ms,
      repeatMs: repeat ? ms : undefined,
      delayMs: ms,
      fire: () => {
        if (timer.repeatMs === undefined) timers.delete(timer);
        else timer.due = t + Math.max(1, timer.repeatMs);
        fn(...args);
      },
    });
    timers.add(timer);
    return timer;
  };
  // Timers armed before the install are real: hand them to the real clear functions.
  const clearer =
    (real: (timer: never) => void) =>
    (timer: unknown): void => {
      if (isSimTimer(timer)) timers.delete(timer);
      else real(timer as never);
    };

  globalThis.Date = SimDate;
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    arm(fn, delay, args, false)) as unknown as typeof setTimeout;
  globalThis.clearTimeout = clearer(real.clearTimeout);
  globalThis.setInterval = ((fn: (...a: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    arm(fn, delay, args, true)) as unknown as typeof setInterval;
  globalThis.clearInterval = clearer(real.clearInterval);

  const earliest = (): SimTimer | undefined => {
    let first: SimTimer | undefined;
    for (const timer of timers) {
      if (first === undefined || timer.due < first.due || (timer.due === first.due && timer.id < first.id))
        first = timer;
    }
    return first;
  };

  return {
    now: () => t,
    nextDue: () => earliest()?.due,
    fireNext() {
      const timer = earliest();
      if (timer === undefined) return false;
      if (timer.due > t) t = timer.due;
      timer.fire();
      return true;
    },
    jumpTo(epochMs) {
      if (epochMs > t) t = epochMs;
    },
    get pending() {
      return timers.size;
    },
    armedWith(delayMs) {
      let n = 0;
      for (const timer of timers) if (timer.repeatMs === undefined && timer.delayMs === delayMs) n++;
      return n;
    },
    uninstall() {
      Object.assign(globalThis, real);
      timers.clear();
    },
  };
}
