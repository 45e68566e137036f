import type { RefreshWindows } from './refreshWindows';

/** What the engine knows, besides the windows, when a caller asks for cached credentials. */
export interface EngineState {
  readonly now: number;
  /** A fetch is under way: a caller that needs new credentials joins it (engine rule 2). */
  readonly fetching: boolean;
  /** The background loop runs: a refresh in flight, or a backoff being waited out. */
  readonly backgroundRunning: boolean;
  /** When the last fetch started (any reason, retries included); −Infinity before the first. */
  readonly lastFetchStartedAt: number;
}

/** The window `now` is in, once the cached credentials can no longer simply be handed out. */
export type UrgentWindow = 'mandatory' | 'expired';

/** What to do with one call, given cached credentials. */
export type Decision =
  /**
   * Hand out the cached credentials; no refresh is due. `outsideWindows`: `now` is before the
   * advisory window, so the turn clock may reuse this reading for the next calls.
   */
  | { readonly kind: 'serve'; readonly outsideWindows: boolean }
  /**
   * Hand out the cached credentials and make sure a background refresh runs (engine rule 4): the
   * refresh point has passed. The loop itself declines when one runs or a final error stopped it.
   */
  | { readonly kind: 'serve-and-refresh-in-background' }
  /** Wait for the fetch under way. If it fails: serve stale (mandatory) or fail (expired). */
  | { readonly kind: 'join-fetch'; readonly window: UrgentWindow }
  /**
   * Fetch now, cutting short any backoff, hand the attempt to the background loop and wait for it.
   * If it fails: serve stale (mandatory) or fail (expired).
   */
  | { readonly kind: 'fetch-now'; readonly window: UrgentWindow }
  /** Mandatory window, and this window's attempt already failed: the still-valid credentials (engine rule 6). */
  | { readonly kind: 'serve-stale' }
  /** Expired while the background loop waits out a backoff: fail at once rather than hammer STS. */
  | { readonly kind: 'fail-expired' };

/**
 * Engine rules 3, 4 and 6 as a pure function: where `now` falls in the cached credentials'
 * windows, and what is already under way, decide what one call does. Creating the first
 * credentials and `forceRefresh` need no decision: they always fetch.
 */
export function decide(windows: RefreshWindows, state: EngineState): Decision {
  const { now } = state;
  if (now < windows.advisoryAt) return { kind: 'serve', outsideWindows: true };
  // Callers wait for the refresh point like the timer does: with steady callers, refreshing on the
  // first call in the window would put every process's refresh at the window's start, in step.
  if (now < windows.refreshAt) return { kind: 'serve', outsideWindows: false };
  if (now < windows.mandatoryAt) return { kind: 'serve-and-refresh-in-background' };
  const window: UrgentWindow = now < windows.expiresAt ? 'mandatory' : 'expired';
  if (state.fetching) return { kind: 'join-fetch', window };
  if (window === 'mandatory') {
    // One attempt as the credentials enter the mandatory window, even while the loop waits out a
    // backoff; once one has been made there, callers get the still-valid credentials until the
    // loop's next attempt instead of each calling STS.
    const triedInMandatoryWindow = state.lastFetchStartedAt >= windows.mandatoryAt;
    return triedInMandatoryWindow ? { kind: 'serve-stale' } : { kind: 'fetch-now', window };
  }
  return state.backgroundRunning ? { kind: 'fail-expired' } : { kind: 'fetch-now', window };
}
