import pRetry from 'p-retry';

import { isFinalError } from '../isFinalError';
import { describeMs } from '../support';
import type { Clock, Logger, RefreshReason } from '../types';
import { describeReason } from './describeReason';
import type { Backoff } from './resolveOptions';
import type { RefreshWindows } from './refreshWindows';

// setTimeout holds at most this delay; a longer one would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The background side of the engine (rules 4 and 5): a timer that starts the refresh at the
 * refresh point, so an idle process refreshes too, and the retry loop that keeps trying with
 * jittered exponential backoff until a fetch succeeds, STS answers an error it marks final, or
 * the provider closes.
 */
export interface BackgroundRefresh {
  /** A loop is running: an attempt in flight or a backoff being waited out. */
  readonly running: boolean;
  /**
   * New credentials arrived: stop the loop, forget that a final error stopped it, and arm the timer
   * for their refresh point.
   */
  follow(windows: RefreshWindows, now: number): void;
  /**
   * Starts the retry loop unless one runs, the provider closed, or (except in the mandatory window)
   * a final error already stopped it for these credentials. `first`, when given, is an attempt a
   * caller already made: the loop starts by waiting on it, so a failure is followed by a backoff,
   * not by a second immediate call.
   */
  start(reason: RefreshReason, now: number, first?: Promise<unknown>): void;
  /** Stops the loop (a caller is about to try at once); the timer stays. */
  stop(): void;
  /** Stops the loop and the timer for good. */
  close(): void;
}

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

export function createBackgroundRefresh(options: BackgroundRefreshOptions): BackgroundRefresh {
  const { attempt, backoff, clock, logger, tag } = options;
  let windows: RefreshWindows | undefined;
  let loop: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A final error ended the loop for the credentials being followed: no more background attempts
  // for them (the mandatory window still makes one).
  let stoppedByFinalError = false;
  let closed = false;

  const stop = (): void => {
    loop?.abort();
    loop = undefined;
  };
  const clearTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const arm = (at: number, now: number): void => {
    timer = setTimeout(() => onTimer(at), Math.min(Math.max(0, at - now), MAX_TIMER_MS));
    timer.unref();
  };
  const onTimer = (at: number): void => {
    timer = undefined;
    if (closed) return;
    const now = clock.now();
    // A delay longer than a timer can hold was split; wait for the rest.
    if (now < at) arm(at, now);
    else start('timer', now);
  };

  const start = (reason: RefreshReason, now: number, first?: Promise<unknown>): void => {
    if (loop !== undefined || closed) return;
    if (stoppedByFinalError && reason !== 'mandatory') {
      logger.debug(`${tag} skipping background refresh (${describeReason(reason)}): the last error was final`);
      return;
    }
    if (windows !== undefined && reason !== 'mandatory') {
      logger.debug(`${tag} refreshing (${describeReason(reason)}, ${describeMs(windows.expiresAt - now)} left)`);
    }
    const controller = new AbortController();
    loop = controller;
    pRetry((n) => (n === 1 && first !== undefined ? first : attempt(n === 1 ? reason : 'retry')), {
      ...backoff,
      randomize: true,
      unref: true,
      signal: controller.signal,
      shouldRetry: ({ error }) => !isFinalError(error),
    })
      .then(
        () => undefined,
        (error: unknown) => {
          // Aborted: new credentials arrived, a caller took over, or the provider closed.
          if (controller.signal.aborted) return;
          if (isFinalError(error)) {
            stoppedByFinalError = true;
            logger.warn(`${tag} not retrying in the background: STS marks this error final`);
          }
        },
      )
      .finally(() => {
        if (loop === controller) loop = undefined;
      });
  };

  return {
    get running() {
      return loop !== undefined;
    },
    follow(next, now) {
      windows = next;
      stoppedByFinalError = false;
      stop();
      clearTimer();
      if (options.timer && !closed) arm(next.refreshAt, now);
    },
    start,
    stop,
    close() {
      closed = true;
      clearTimer();
      stop();
    },
  };
}
