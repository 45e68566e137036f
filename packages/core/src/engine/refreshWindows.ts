import { defaultAdvisoryWindowMs } from '../windows';

/** The options that place the windows (see `RefreshOptions`), defaults filled in. */
export interface WindowOptions {
  readonly mandatoryWindowMs: number;
  readonly advisoryWindowMs: number | ((lifetimeMs: number) => number) | undefined;
  readonly jitter: number;
}

/**
 * The instants at which cached credentials change how they are served (docs/ARCHITECTURE.md, "The
 * refresh engine"), in epoch milliseconds: advisoryAt ≤ refreshAt ≤ mandatoryAt < expiresAt.
 */
export interface RefreshWindows {
  readonly expiresAt: number;
  /** From here callers wait for a refresh instead of getting these credentials. */
  readonly mandatoryAt: number;
  /** The advisory window opens: from here a refresh may run in the background. */
  readonly advisoryAt: number;
  /**
   * Where the background refresh starts, for callers and the timer alike: drawn once, when the
   * credentials arrive, in the first `jitter` fraction of the advisory window. Drawn per
   * credentials rather than per timer, because with steady callers the first call in the window
   * would otherwise start every process's refresh at the window's very start, in step.
   */
  readonly refreshAt: number;
}

/**
 * Places the windows of credentials expiring at `expiresAt` that arrived at `now`. `draw` is a
 * number in [0, 1) (`Math.random()` in the engine) that picks the refresh point.
 */
export function refreshWindows(expiresAt: number, now: number, options: WindowOptions, draw: number): RefreshWindows {
  const lifetime = expiresAt - now;
  const mandatoryAt = expiresAt - options.mandatoryWindowMs;
  const { advisoryWindowMs } = options;
  const wanted =
    typeof advisoryWindowMs === 'function'
      ? advisoryWindowMs(lifetime)
      : (advisoryWindowMs ?? defaultAdvisoryWindowMs(lifetime));
  // Never more than half of the usable life: fresh credentials must be served a while before
  // they are refreshed, or short-lived ones would be refreshed in a loop.
  const advisory = Math.max(0, Math.min(wanted, (mandatoryAt - now) / 2));
  const advisoryAt = mandatoryAt - advisory;
  return { expiresAt, mandatoryAt, advisoryAt, refreshAt: advisoryAt + draw * options.jitter * advisory };
}
