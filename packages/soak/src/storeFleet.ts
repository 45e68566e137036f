/**
 * The fleet with a store (issue 13): N replicas of one `fromAssumeRole` — the same role, parameters and
 * source, as N processes of one service would hold — sharing one credential store (faultyStore.ts) that
 * fails at a seeded rate and has outages of 10 and 30 minutes. With the store, the replicas should call
 * STS about once per credential lifetime between them instead of N times; whatever the store does, no
 * caller may see an error while valid credentials exist.
 */
import { fromAssumeRole } from '@credchain/assume-role';
import type { CredentialEvent } from '@credchain/core';
import { DEMO_ACCOUNT, type StsCall, type StsLocal, demoConfig } from '@credchain/sts-local';

import type { CountingHandler } from './countingHandler';
import { FaultyStore, type StoreCounts, type StoreOutageKind } from './faultyStore';
import { type Member, REGION } from './fleet';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The replicas' RoleSessionName: one for all, so they name one store entry and sts-local's log says whose. */
export const STORE_FLEET_SESSION = 'soak-store-fleet';
/** The replicas' session length (the same as the fleet's `assume-role`, which gets sts-local's default). */
export const STORE_FLEET_LIFETIME_MS = HOUR;

export interface StoreFleetOptions {
  /** Replicas sharing the store. */
  readonly processes: number;
  /** Probability that a store call meets a fault. @default 0.2 in a run with faults, else 0 */
  readonly faultRate?: number;
  /** Store outages of 10 and 30 minutes, every 8 hours. @default the run's `outages` */
  readonly outages?: boolean;
}

export interface StoreOutage {
  readonly startMs: number;
  readonly minutes: number;
  readonly kind: StoreOutageKind;
}

/**
 * Store outages of 10 (refused) and 30 minutes (no answer), in turn, one every 8 hours, 4 hours after
 * the STS outages' slots (runSoak.ts, `outageSchedule`) so that each shows on its own.
 */
export function storeOutageSchedule(durationMs: number): StoreOutage[] {
  const out: StoreOutage[] = [];
  for (let k = 0; ; k++) {
    const startMs = 6 * HOUR + k * 8 * HOUR + ((k * 37) % 90) * MINUTE;
    const [minutes, kind]: [number, StoreOutageKind] = k % 2 === 0 ? [10, 'refused'] : [30, 'hang'];
    if (startMs + minutes * MINUTE >= durationMs) break;
    out.push({ startMs, minutes, kind });
  }
  return out;
}

export interface StoreFleet {
  readonly store: FaultyStore;
  readonly members: readonly Member[];
  /** Whether an STS call in sts-local's log was made by a replica (which one, the log cannot say). */
  readonly owns: (call: StsCall) => boolean;
  close(): void;
}

/** Builds the replicas; `onEvent(member, event)` receives every engine event. */
export function buildStoreFleet(
  sts: StsLocal,
  handler: CountingHandler,
  onEvent: (member: string, event: CredentialEvent) => void,
  options: { processes: number; faultRate: number; seed: number },
): StoreFleet {
  const key = demoConfig.users?.find((u) => u.name === 'alice')?.accessKeys?.[0];
  if (key === undefined) throw new Error('the demo config has no access key for alice');
  const store = new FaultyStore({ faultRate: options.faultRate, seed: options.seed });
  const providers = Array.from({ length: options.processes }, (_, i) => {
    const name = `store-fleet/${i + 1}`;
    const provider = fromAssumeRole({
      params: {
        RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`,
        RoleSessionName: STORE_FLEET_SESSION,
        DurationSeconds: STORE_FLEET_LIFETIME_MS / 1000,
      },
      sourceCredentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      clientConfig: { endpoint: sts.endpoint, region: REGION, requestHandler: handler },
      // The engine's defaults: each call bounded by 1 s, 5 s waiting for a lock's holder, locks held 30 s.
      store,
      onEvent: (event: CredentialEvent) => onEvent(name, event),
    });
    return { name, provider };
  });
  const members = providers.map(({ name, provider }): Member => ({
    name,
    kind: 'fromAssumeRole + shared store',
    group: 'store-fleet',
    call: () => provider(),
    owns: () => false,
    arn: new RegExp(`:assumed-role/demo-role/${STORE_FLEET_SESSION}$`),
  }));
  return {
    store,
    members,
    owns: (call) => call.operation === 'AssumeRole' && call.params.RoleSessionName === STORE_FLEET_SESSION,
    close: () => {
      for (const { provider } of providers) provider.close();
    },
  };
}

/** What the replicas did together, beside what each did (in `replicas`). */
export interface StoreFleetTotals {
  readonly processes: number;
  readonly faultRate: number;
  readonly outages: StoreOutage[];
  readonly lifetimeMs: number;
  /** The replicas' AssumeRole calls, from sts-local's log (SDK retries included). */
  stsCalls: number;
  stsCallsFailed: number;
  /** Most replica STS calls in one simulated minute, all replicas together. */
  maxStsCallsPerMinute: number;
  /** Refreshes that took credentials from the store (`store-hit` events). */
  storeHits: number;
  /** `store-error` events, by `action kind`. */
  storeErrors: Record<string, number>;
  /** The store's own view: calls, faults injected, entries served. */
  readonly store: StoreCounts;
}
