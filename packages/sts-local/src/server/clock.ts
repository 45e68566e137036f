/** A source of the current time in epoch ms: `Date`, or a test's fake. */
export interface Clock {
  now(): number;
}

/** The server's clock: the injected one plus an offset tests move with `advanceTime`. */
export class AdjustableClock implements Clock {
  readonly #base: Clock;
  #offsetMs = 0;

  // Date.now is read on every call (not `Date` kept at start), so fake timers installed after the
  // server started still move its time.
  constructor(base: Clock = { now: () => Date.now() }) {
    this.#base = base;
  }

  now(): number {
    return this.#base.now() + this.#offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new TypeError('advanceTime: ms must be a finite number');
    this.#offsetMs += ms;
  }
}
