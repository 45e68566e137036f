import { InvalidParameterError } from './errors';

const MINUTE = 60_000;

/** The engine's default mandatory window (docs/ARCHITECTURE.md, "The refresh engine"). */
export const DEFAULT_MANDATORY_WINDOW_MS = MINUTE;

/**
 * The default advisory window for credentials of a given lifetime (docs/ARCHITECTURE.md): the longer
 * they live, the earlier the background refresh starts, so a long outage is survived unnoticed.
 * Never more than half the lifetime, so short-lived credentials are not refreshed at once.
 */
export function defaultAdvisoryWindowMs(lifetimeMs: number): number {
  const byLifetime = lifetimeMs <= 20 * MINUTE ? 5 * MINUTE : lifetimeMs < 90 * MINUTE ? 15 * MINUTE : 60 * MINUTE;
  return Math.min(byLifetime, lifetimeMs / 2);
}

/** Checks that `value` is a finite number within [min, max], naming the option when not. */
export function checkNumber(name: string, value: unknown, min: number, max = Number.POSITIVE_INFINITY): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new InvalidParameterError(name, `must be a number ${range}`);
  }
}
