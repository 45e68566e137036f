import type { EventInput } from '../emitter';
import { recordServerTime, serverTimeOf } from '../sts/serverTime';
import type { Clock, Logger } from '../types';
import { describeMs } from '../support';
import { serverOffset } from './serverOffset';

/** A change of the offset this large is reported (log line and `clock-skew` event); smaller ones are not. */
export const SKEW_REPORT_MS = 1_000;

export interface ServerClockOptions {
  /** The engine's clock: `Date`, or the one injected. */
  readonly clock: Clock;
  /** The clock was injected: it need not run with `Date.now()`, on which observations are taken. */
  readonly clockInjected: boolean;
  readonly logger: Logger;
  /** The prefix of log lines, `credchain:<name> -`. */
  readonly tag: string;
  /** The engine's events: a `clock-skew` one when the offset changes by {@link SKEW_REPORT_MS} or more. */
  readonly emit: (event: EventInput) => void;
}

/**
 * The engine's time line (engine rule 9): its clock plus the offset to STS's clock that the answers
 * bringing its credentials showed. Credentials that carry no observation (a source without a server
 * clock: instance or container metadata, SSO, a user's fetch) leave the offset as it was, 0 at first.
 * Everything the engine decides (windows, expiry, timers) reads this clock.
 */
export class ServerClock implements Clock {
  readonly #options: ServerClockOptions;
  #offsetMs = 0;
  #learned = false;

  constructor(options: ServerClockOptions) {
    this.#options = options;
  }

  now(): number {
    return this.#options.clock.now() + this.#offsetMs;
  }

  // How far Date.now(), on which observations are taken, is ahead of the engine's clock.
  #dateMinusClock(): number {
    const { clock, clockInjected } = this.#options;
    return clockInjected ? Date.now() - clock.now() : 0;
  }

  /** Learns from credentials just fetched, if the answer that brought them was seen. */
  learn(credentials: unknown): void {
    const observation = serverTimeOf(credentials);
    if (observation === undefined) return;
    const { logger, tag, emit } = this.#options;
    const offset = serverOffset(observation, this.#dateMinusClock());
    if (offset === undefined) {
      logger.debug(`${tag} ignoring the server's Date header: more than a day from the local clock`);
      return;
    }
    const previous = this.#offsetMs;
    this.#offsetMs = offset;
    this.#learned = true;
    if (Math.abs(offset - previous) < SKEW_REPORT_MS) return;
    const how =
      offset === 0 ? 'agrees with' : `is ${describeMs(Math.abs(offset))} ${offset > 0 ? 'behind' : 'ahead of'}`;
    logger.warn(`${tag} the local clock ${how} STS's (Date header): windows and expiry follow STS's time`);
    emit({ type: 'clock-skew', offsetMs: offset });
  }

  /**
   * Notes the offset on credentials the engine hands out, once it has learned one: an engine whose fetch
   * takes them from this one (a profile's cache around a role) learns it too.
   */
  pass(credentials: object): void {
    if (!this.#learned) return;
    const offsetMs = this.#offsetMs - this.#dateMinusClock();
    recordServerTime(credentials, { minMs: offsetMs, maxMs: offsetMs });
  }
}
