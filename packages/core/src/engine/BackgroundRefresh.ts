import { isFinalError } from '../isFinalError';
import { describeMs } from '../support';
import type { Clock, Logger, RefreshReason } from '../types';
import { describeReason } from './describeReason';
import type { Backoff } from './resolveOptions';
import type { RefreshWindows } from './refreshWindows';

type PRetry = (typeof import('p-retry'))['default'];

let retryModule: Promise<PRetry> | undefined;

/**
 * p-retry, loaded the first time a refresh fails: a process whose refreshes succeed never loads it, and
 * at about 5 ms it was the largest single part of `require('credchain')` (a Lambda cold start pays that).
 * In the CommonJS bundle this `import()` is a `require()` whose ES module namespace esbuild wraps once
 * more as Node's `import()` of CommonJS would, so the function can be one `default` further down.
 */
function loadRetry(): Promise<PRetry> {
  retryModule ??= import('p-retry').then((loaded) => {
    const outer: unknown = loaded.default;
    return typeof outer === 'function' ? (outer as PRetry) : (outer as { default: PRetry }).default;
  });
  return retryModule;
}

// setTimeout holds at most this delay; a longer one would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface BackgroundRefreshOptions {
  /** One attempt: the engine's single-flight fetch. */
  readonly attempt: (reason: RefreshReason) => Promise<unknown>;
  readonly backoff: Backoff;
  /** Whether to arm the timer (`refresh.background`). */
  readonly timer: boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The prefix of log lines, `credchain:<name> -`. */
  readonly tag: string;
}

/**
 * The background side of the engine (engine rules 4 and 5): a timer that starts the refresh at the
 * refresh point, so an idle process refreshes too, and the retry loop that keeps trying with
 * jittered exponential backoff until a fetch succeeds, STS answers an error it marks final, or the
 * provider closes. A class rather than closures: a pool holds thousands of providers, and methods
 * on a prototype cost nothing per provider.
 */
export class BackgroundRefresh {
  readonly #options: BackgroundRefreshOptions;
  #windows: RefreshWindows | undefined;
  #loop: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  // A final error ended the loop for the credentials being followed: no more background attempts
  // for them (the mandatory window still makes one).
  #stoppedByFinalError = false;
  #closed = false;

  constructor(options: BackgroundRefreshOptions) {
    this.#options = options;
  }

  /** A loop is running: an attempt in flight or a backoff being waited out. */
  get running(): boolean {
    return this.#loop !== undefined;
  }

  /**
   * New credentials arrived: stop the loop, forget that a final error stopped it, and arm the timer
   * for their refresh point.
   */
  follow(windows: RefreshWindows, now: number): void {
    this.#windows = windows;
    this.#stoppedByFinalError = false;
    this.stop();
    this.#clearTimer();
    if (this.#options.timer && !this.#closed) this.#arm(windows.refreshAt, now);
  }

  /**
   * Starts the retry loop unless one runs, the provider closed, or (except in the mandatory window)
   * a final error already stopped it for these credentials. `first`, when given, is an attempt a
   * caller already made: the loop starts by waiting on it, so a failure is followed by a backoff,
   * not by a second immediate call.
   */
  start(reason: RefreshReason, now: number, first?: Promise<unknown>): void {
    if (this.#loop !== undefined || this.#closed) return;
    const { attempt, backoff, logger, tag } = this.#options;
    if (this.#stoppedByFinalError && reason !== 'mandatory') {
      logger.debug(`${tag} skipping background refresh (${describeReason(reason)}): the last error was final`);
      return;
    }
    if (this.#windows !== undefined && reason !== 'mandatory') {
      const left = describeMs(this.#windows.expiresAt - now);
      logger.debug(`${tag} refreshing (${describeReason(reason)}, ${left} left)`);
    }
    const controller = new AbortController();
    this.#loop = controller;
    // An async wrapper calls `attempt` at once and turns a throw into a rejection, as p-retry did.
    const firstTry = first ?? (async () => attempt(reason))();
    // The first attempt runs at once, without p-retry: most refreshes succeed at the first try, and
    // p-retry is loaded only for a loop that needs a backoff (see loadRetry). Handing it the attempt that
    // failed as its own first one keeps the schedule as it was: a backoff, then the second attempt.
    firstTry
      .catch(async (error: unknown) => {
        if (controller.signal.aborted || isFinalError(error)) throw error;
        const pRetry = await loadRetry();
        return pRetry((n) => (n === 1 ? firstTry : attempt('retry')), {
          ...backoff,
          randomize: true,
          unref: true,
          signal: controller.signal,
          shouldRetry: ({ error: failed }) => !isFinalError(failed),
        });
      })
      .then(
        () => undefined,
        (error: unknown) => {
          // Aborted: new credentials arrived, a caller took over, or the provider closed.
          if (controller.signal.aborted) return;
          if (isFinalError(error)) {
            this.#stoppedByFinalError = true;
            logger.warn(`${tag} not retrying in the background: STS marks this error final`);
          }
        },
      )
      .finally(() => {
        if (this.#loop === controller) this.#loop = undefined;
      });
  }

  /**
   * The credentials being followed were dropped (a service rejected them): stop the loop and the timer,
   * forget their windows and any final error; the next credentials to arrive are followed afresh.
   */
  forget(): void {
    this.#windows = undefined;
    this.#stoppedByFinalError = false;
    this.stop();
    this.#clearTimer();
  }

  /** Stops the loop (a caller is about to try at once); the timer stays. */
  stop(): void {
    this.#loop?.abort();
    this.#loop = undefined;
  }

  /** Stops the loop and the timer for good. */
  close(): void {
    this.#closed = true;
    this.#clearTimer();
    this.stop();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(at: number, now: number): void {
    this.#timer = setTimeout(() => this.#onTimer(at), Math.min(Math.max(0, at - now), MAX_TIMER_MS));
    this.#timer.unref();
  }

  #onTimer(at: number): void {
    this.#timer = undefined;
    if (this.#closed) return;
    const now = this.#options.clock.now();
    // A delay longer than a timer can hold was split; wait for the rest.
    if (now < at) this.#arm(at, now);
    else this.start('timer', now);
  }
}
