/** Calls that may reuse one clock reading within an event-loop turn. */
export const HOT_CALLS = 8;

/**
 * The hot path's memory of one clock reading that found the cached credentials outside both
 * windows. Reading the clock costs as much as the rest of a cached call, so such a reading stands
 * for the calls after it, within two bounds:
 *
 * - until the event loop turns: the reading is dropped by an immediate queued when it is taken. A
 *   process that sleeps (machine suspended, VM paused) or waits on a stalled loop is nearly always
 *   parked *between* turns, waiting for I/O or timers; the first call after it wakes is in a new
 *   turn and reads the clock again. Timers cannot do this job: Node runs them on a monotonic clock
 *   that stops while the machine sleeps, and a stall makes them late.
 * - for {@link HOT_CALLS} calls at most: a single turn can itself be long (CPU-bound work between
 *   awaited calls, or a pause that lands mid-turn), so the clock is read again every HOT_CALLS
 *   calls even within a turn. A reading is only kept when it left the whole advisory and mandatory
 *   windows as margin (minutes), so a stale reading could hand out expired credentials only if
 *   HOT_CALLS consecutive calls of one turn were spread over that margin.
 */
export class TurnClock {
  #kept = false;
  #budget = 0;
  #turnEndQueued = false;
  readonly #enabled: boolean;

  // Static, with the clock as the immediate's argument: no closure per provider (a pool holds thousands).
  static #endTurn(this: void, turn: TurnClock): void {
    turn.#kept = false;
    turn.#turnEndQueued = false;
  }

  /**
   * `enabled`: the default clock (`Date`). An injected clock, which tests move at will within a
   * turn, gets a turn clock that never keeps a reading: that clock is read on every call.
   */
  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  /**
   * Counts a call; true when the kept reading stands for it, so the cached credentials are handed
   * out without reading the clock or deciding anything.
   */
  reuse(): boolean {
    return this.#kept && --this.#budget > 0;
  }

  /** Keeps the reading just taken, which found the credentials outside both windows. */
  keep(): void {
    if (!this.#enabled) return;
    this.#kept = true;
    this.#budget = HOT_CALLS;
    if (!this.#turnEndQueued) {
      this.#turnEndQueued = true;
      // Unref'd, like every timer of the engine: it must never keep a process alive.
      setImmediate(TurnClock.#endTurn, this).unref();
    }
  }

  /** Drops the kept reading: new credentials arrived, or the provider closed. */
  forget(): void {
    this.#kept = false;
  }
}
