import type { Clock } from '../types';
import type { MfaCodeProvider } from './types';

/**
 * How long one AWS MFA code lasts, in seconds: RFC 6238's time step, 30 s for virtual and hardware
 * devices alike, counted from the Unix epoch.
 *
 * When a code provider answers a code already handed out for its device, core waits until the next
 * multiple of this period (on the system clock) and asks again, whatever the code provider is: a
 * wrapper around `totpCodeProvider`, a generator of the user's own, a human. Such a provider needs
 * nothing else to keep "wait for the next step"; this constant is exported so that its own
 * generator can be given the same step (`period` in otplib) instead of a second copy of 30.
 */
export const MFA_CODE_PERIOD_SECONDS = 30;

/** The time steps a code provider's codes follow: a new code every `periodMs` of `clock`. */
export interface TimeStep {
  readonly periodMs: number;
  readonly clock: Clock;
}

// What totpCodeProvider marks its functions with, so that one with its own period or clock is waited
// for exactly. Symbol.for, so two copies of core in one process recognise each other's generators.
export const TIME_STEP: unique symbol = Symbol.for('credchain.mfa.totp') as never;

/**
 * The time steps of `provider`'s codes: those a `totpCodeProvider` carries, otherwise AWS's 30 s
 * steps on `clock`.
 */
export function timeStepOf(provider: MfaCodeProvider, clock: Clock): TimeStep & { readonly marked: boolean } {
  const marker: unknown = (provider as unknown as Partial<Record<symbol, unknown>>)[TIME_STEP];
  if (typeof marker === 'object' && marker !== null) {
    const m = marker as Partial<TimeStep>;
    if (typeof m.periodMs === 'number' && m.periodMs > 0 && typeof m.clock?.now === 'function') {
      return { periodMs: m.periodMs, clock: m.clock, marked: true };
    }
  }
  return { periodMs: MFA_CODE_PERIOD_SECONDS * 1000, clock, marked: false };
}

/** Milliseconds from now until the next step begins (a whole period when now is a boundary). */
export function msUntilNextStep(step: TimeStep): number {
  const into = ((step.clock.now() % step.periodMs) + step.periodMs) % step.periodMs;
  return step.periodMs - into;
}

/**
 * Resolves when the next step begins. The global setTimeout is looked up when called, so fake timers
 * drive the wait. The timer is not unref'd, unlike the engine's background timers: a caller is
 * awaiting these credentials, as it would await an HTTP request, and an unref'd wait let a process
 * with nothing else pending (a CLI run needing two codes of one device in one step) exit 0 silently.
 */
export function waitForNextStep(step: TimeStep): Promise<void> {
  return new Promise((resolve) => {
    globalThis.setTimeout(resolve, msUntilNextStep(step));
  });
}
