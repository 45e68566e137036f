/**
 * Scenario 7 of the provider bench: STS calls over 24 simulated hours under steady callers, one a
 * second, every option at its default (issue 9, defect 3). With callers that steady, the first call
 * in a window decides when a cache refreshes unless the cache holds to a refresh point of its own.
 *
 * Ours is measured twice: called directly, as code without an SDK client in between does (a
 * request handler asking for credentials, a client built per request), and through one SDK
 * client's identity cache. The SDK's providers cache nothing themselves, so they are measured
 * through the client only: called directly they would make one STS call per caller.
 */
import type { StsLocal } from '@credchain/sts-local';

import { type Row, call, newTally, withProvider } from './providerScenarios';
import { type Impl, identityOf, nextTurn, sdkClient, settle, stsCalls } from './stsBench';
import type { WarpClock } from './warpClock';

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;

export const STEADY = { callerEveryMs: SECOND, hours: 24 };

/** How the steady caller reaches the provider. */
export type Via = 'provider' | 'client';

export interface SteadyResult extends Row {
  readonly via: Via;
  readonly hours: number;
  /** STS calls over the simulated hours, the cold start included. */
  readonly stsCalls: number;
  readonly callers: number;
  readonly waitedGe10ms: number;
  readonly errors: number;
  readonly expiredHandedOut: number;
}

/** The runs of scenario 7: ours directly and through a client, the SDK's through a client. */
export const steadyRuns = (impls: readonly Impl[]): { impl: Impl; via: Via }[] =>
  impls.flatMap((impl) =>
    impl.ours
      ? [
          { impl, via: 'provider' as const },
          { impl, via: 'client' as const },
        ]
      : [{ impl, via: 'client' as const }],
  );

export async function runSteadyCallers(sts: StsLocal, warp: WarpClock, impl: Impl, via: Via): Promise<SteadyResult> {
  const session = `bench-steady-${via}-${impl.id}`.slice(0, 64);
  return withProvider(sts, impl, session, async (o, provider) => {
    const identity = via === 'client' ? identityOf(sdkClient(o, provider)) : () => provider();
    await identity(); // the cold start, counted in STS calls, not among the steady callers
    await settle(o.handler);
    const tally = newTally();
    const between = (): Promise<void> => settle(o.handler);
    const start = Date.now();
    for (let t = start + STEADY.callerEveryMs; t <= start + STEADY.hours * HOUR; t += STEADY.callerEveryMs) {
      await warp.runTo(t, between);
      // Each caller in an event-loop turn of its own, as requests arrive.
      await nextTurn();
      await call(identity, tally);
      if (o.handler.isBusy()) await settle(o.handler);
    }
    return {
      ...{ id: impl.id, label: impl.label, ours: impl.ours, kind: impl.kind },
      via,
      hours: STEADY.hours,
      stsCalls: stsCalls(sts, impl.kind),
      callers: tally.callers,
      waitedGe10ms: tally.waitedGe10ms,
      errors: tally.errors,
      expiredHandedOut: tally.expiredHandedOut,
    };
  });
}
