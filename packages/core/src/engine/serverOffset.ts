import type { ServerTimeObservation } from '../sts/serverTime';

/**
 * The largest offset believed: a `Date` header further off than a day is more likely a broken proxy or a
 * test double than a clock, and no offset a clamp would produce is the right one.
 */
export const MAX_SERVER_OFFSET_MS = 24 * 60 * 60_000;

/**
 * The offset to put on the engine's clock (server time − clock, in ms) after an observation: the one
 * closest to 0 that the observation allows, so only the skew it shows beyond its own uncertainty (round
 * trip and the `Date` header's second) moves the engine's time, and a host in step keeps 0 instead of
 * following the header's jitter. Replaces any earlier offset: a fresh answer knows the clocks better.
 *
 * `dateMinusClock`: how far `Date.now()`, which the observation was taken on, is ahead of the engine's
 * clock (0 with the default clock). Undefined when the offset would exceed {@link MAX_SERVER_OFFSET_MS}.
 */
export function serverOffset(observation: ServerTimeObservation, dateMinusClock: number): number | undefined {
  const min = observation.minMs + dateMinusClock;
  const max = observation.maxMs + dateMinusClock;
  const offset = min > 0 ? min : max < 0 ? max : 0;
  return Math.abs(offset) > MAX_SERVER_OFFSET_MS ? undefined : offset;
}
