/** The soak's targets and the bounds that tell a backoff from a tight loop. */
import type { MemberResult, SoakResult, StoreFleetResult } from './runSoak';

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
  /** The fleet with a store, when the run had one. */
  readonly storeFleet?: StoreFleetTargets;
}

/** The targets of the fleet with a store (storeFleet.ts). */
export interface StoreFleetTargets {
  readonly processes: number;
  /** Caller errors of the replicas while credentials they had handed out were unexpired (target 0). */
  readonly visibleErrorsWhileValid: number;
  /** (target 0) */
  readonly expiredHandedOut: number;
  /** (target 0) */
  readonly signedCheckFailures: number;
  /** Refreshes that took credentials from the store (target > 0: the replicas did share). */
  readonly storeHits: number;
  /** The replicas' AssumeRole calls (target < `aloneStsCalls`). */
  readonly stsCalls: number;
  /** What the replicas would have made alone: `processes` × those of `assume-role`, the same role alone. */
  readonly aloneStsCalls: number;
  /** Most replica STS calls in one minute, all together (bound: `processes` × the per-provider bound). */
  readonly maxStsCallsPerMinute: number;
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
    ...(r.storeFleet === undefined ? {} : { storeFleet: storeFleetTargetsOf(r, r.storeFleet) }),
  };
}

function storeFleetTargetsOf(r: SoakResult, f: StoreFleetResult): StoreFleetTargets {
  const alone = r.members.find((m) => m.name === 'assume-role');
  return {
    processes: f.processes,
    visibleErrorsWhileValid: sum(f.replicas, (m) => m.visibleErrorsWhileValid),
    expiredHandedOut: sum(f.replicas, (m) => m.expiredHandedOut),
    signedCheckFailures: sum(f.replicas, (m) => m.signedCheckFailures),
    storeHits: f.storeHits,
    stsCalls: f.stsCalls,
    aloneStsCalls: f.processes * (alone?.stsCalls ?? Number.NaN),
    maxStsCallsPerMinute: f.maxStsCallsPerMinute,
  };
}

/** Whether the store fleet's targets are met (true when the run had none). */
export function storeFleetMet(t: Targets): boolean {
  const s = t.storeFleet;
  return (
    s === undefined ||
    (s.visibleErrorsWhileValid === 0 &&
      s.expiredHandedOut === 0 &&
      s.signedCheckFailures === 0 &&
      s.storeHits > 0 &&
      s.stsCalls < s.aloneStsCalls &&
      s.maxStsCallsPerMinute <= s.processes * BOUNDS.maxStsCallsPerMinute)
  );
}
