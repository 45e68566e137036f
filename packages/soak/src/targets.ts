/** The soak's targets and the bounds that tell a backoff from a tight loop. */
import type { MemberResult, SoakResult } from './runSoak';

/**
 * Bounds that tell a backoff from a tight loop. p-retry waits 1–2 s, doubling, capped at 60 s:
 * at most ~7 engine attempts start in any minute, each up to 3 SDK attempts, plus the one attempt
 * of the first caller in the mandatory window; a 30-minute outage costs ~37 failed attempts in a
 * row, plus a few for the random faults around it. A tight loop makes hundreds a minute.
 */
export const BOUNDS = { maxStsCallsPerMinute: 30, maxFailedAttemptsInARow: 60, minGapAfterFailureMs: 1_000 } as const;

export interface Targets {
  readonly visibleErrorsWhileValid: number;
  readonly expiredHandedOut: number;
  readonly signedCheckFailures: number;
  readonly hungCallers: number;
  readonly maxStsCallsPerMinute: number;
  readonly maxFailedAttemptsInARow: number;
  readonly minGapAfterFailureMs: number;
}

export const held = (r: SoakResult): MemberResult[] => r.members.filter((m) => !m.control);
export const sum = (ms: MemberResult[], f: (m: MemberResult) => number): number => ms.reduce((n, m) => n + f(m), 0);

export function targetsOf(r: SoakResult): Targets {
  const ms = held(r);
  return {
    visibleErrorsWhileValid: sum(ms, (m) => m.visibleErrorsWhileValid),
    expiredHandedOut: sum(ms, (m) => m.expiredHandedOut),
    signedCheckFailures: sum(ms, (m) => m.signedCheckFailures),
    hungCallers: r.hungCallers,
    maxStsCallsPerMinute: Math.max(...ms.map((m) => m.maxStsCallsPerMinute)),
    maxFailedAttemptsInARow: Math.max(...ms.map((m) => m.maxFailedAttemptsInARow)),
    minGapAfterFailureMs: Math.min(...ms.map((m) => m.minGapAfterFailureMs ?? Number.POSITIVE_INFINITY)),
  };
}
