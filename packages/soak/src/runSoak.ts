/**
 * The fault soak (issue 6): the fleet (fleet.ts) against one sts-local over simulated days. Every
 * `callEveryMs` of simulated time each member is called once, as a daemon's request handlers would;
 * every `checkEveryMs` the credentials a member handed out sign a real GetCallerIdentity, which
 * sts-local verifies. sts-local injects faults at a seeded rate into the credential operations and,
 * on a schedule, outages of 1, 10 and 30 minutes. Time is simulated (simTime.ts): nothing sleeps.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CredentialEvent } from '@credchain/core';
import { type FaultKind, type FaultRule, type StsLocal, startStsLocal } from '@credchain/sts-local';
import type { AwsCredentialIdentity } from '@smithy/types';

import { CountingHandler } from './countingHandler';
import { CREDENTIAL_OPERATIONS, type Member, REGION, buildControls, buildFleet } from './fleet';
import { seededRandom } from './seededRandom';
import { installSimTime, realPause, realTurn } from './simTime';
import {
  STORE_FLEET_LIFETIME_MS,
  type StoreFleet,
  type StoreFleetOptions,
  type StoreFleetTotals,
  buildStoreFleet,
  storeOutageSchedule,
} from './storeFleet';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Simulated start of every run: a fixed instant, so runs are comparable. */
export const SOAK_START = Date.UTC(2030, 0, 6, 0, 0, 0);

export interface SoakOptions {
  readonly days: number;
  /** Probability that a credential-operation request meets an injected fault. 0: the no-fault run. */
  readonly faultRate: number;
  /** Outages of 1, 10 and 30 minutes, in turn, every 8 hours. */
  readonly outages: boolean;
  /** @default 1 */
  readonly seed?: number;
  /** @default 60_000 */
  readonly callEveryMs?: number;
  /** @default 30 minutes */
  readonly checkEveryMs?: number;
  /** Delay of an injected latency spike. @default 8_000 */
  readonly latencyMs?: number;
  /** Also run the two naive control providers (fleet.ts, buildControls). @default false */
  readonly controls?: boolean;
  /**
   * Also run `processes` replicas of one role sharing one faulty in-memory store (storeFleet.ts).
   * @default none
   */
  readonly storeFleet?: StoreFleetOptions;
  /** Called once per simulated hour. */
  readonly onProgress?: (simulatedMs: number) => void;
}

export interface Outage {
  readonly startMs: number;
  readonly minutes: number;
  readonly kind: Exclude<FaultKind, 'latency'>;
}

export interface ErrorSample {
  readonly member: string;
  /** A caller's call rejected, or a signed GetCallerIdentity with handed-out credentials failed. */
  readonly where: 'caller' | 'signed-check';
  readonly atMs: number;
  readonly error: string;
  readonly validCredentialsExisted: boolean;
}

export interface MemberResult {
  readonly name: string;
  readonly kind: string;
  readonly control: boolean;
  callerCalls: number;
  /** Caller calls that rejected. */
  visibleErrors: number;
  /** …while credentials this member had handed out were still unexpired (target 0). */
  visibleErrorsWhileValid: number;
  /** Credentials handed out with expiration ≤ the time the caller got them (target 0). */
  expiredHandedOut: number;
  /** Longest (simulated) wait of a caller, ms. */
  maxCallerWaitMs: number;
  stsCalls: number;
  stsCallsFailed: number;
  stsCallsPerDay: number;
  /** Most STS calls of this member in one simulated minute. */
  maxStsCallsPerMinute: number;
  refreshes: number;
  refreshFailures: number;
  /** Most failed engine attempts in a row before a success. */
  maxFailedAttemptsInARow: number;
  /**
   * Shortest (simulated) time from a failed engine attempt to the next one, ms; the one-shot attempt
   * on entering the mandatory window aside.
   */
  minGapAfterFailureMs: number | null;
  servedStale: number;
  expiredEvents: number;
  signedChecks: number;
  signedCheckFailures: number;
  /** Store fleet replicas only: refreshes that took credentials from the store. */
  storeHits?: number;
  /** Store fleet replicas only: `store-error` events. */
  storeErrors?: number;
}

/** The fleet with a store: the replicas one by one, and what they did together. */
export interface StoreFleetResult extends StoreFleetTotals {
  readonly replicas: MemberResult[];
}

export interface HourBucket {
  readonly hour: number;
  stsOk: number;
  stsFailed: number;
  visibleErrors: number;
  servedStale: number;
  maxCallerWaitMs: number;
}

export interface SoakResult {
  readonly options: {
    days: number;
    faultRate: number;
    outages: boolean;
    seed: number;
    callEveryMs: number;
    checkEveryMs: number;
    latencyMs: number;
  };
  readonly simulatedMs: number;
  wallMs: number;
  readonly members: MemberResult[];
  readonly hours: HourBucket[];
  readonly outages: Outage[];
  readonly errorSamples: ErrorSample[];
  /** Injected faults that fired, by kind. */
  readonly faultsFired: Record<string, number>;
  /** Engine attempts that started less than a second after a failed one, with the reason of the new one. */
  readonly quickAttempts: { member: string; atMs: number; gapMs: number; failed: string; next: string }[];
  /** When (ms into the run) the fleet's callers saw errors; controls aside. */
  readonly errorTimesMs: number[];
  /** STS calls in the log that no member owns (0 unless a member's `owns` is wrong). */
  unattributedCalls: number;
  /** Requests that stayed silent for 10,000 real polls with no simulated timer to explain it (0 expected). */
  stalls: number;
  /** Callers still waiting 10 simulated minutes after their step (each is a finding). */
  hungCallers: number;
  /** The fleet with a store, when `storeFleet` was asked for; its replicas are not in `members`. */
  storeFleet?: StoreFleetResult;
  /** Heap used after gc; `sessions`: credentials sts-local had issued so far (it keeps them all). */
  readonly memory: {
    gc: boolean;
    startHeapBytes: number;
    endHeapBytes: number;
    endSessions: number;
    daily: { day: number; heapBytes: number; sessions: number }[];
  };
}

/** The seeded fault rules: a latency spike and four failures, at a combined `rate`, on credential operations only. */
export function faultRules(rate: number, latencyMs: number): FaultRule[] {
  const kinds: FaultKind[] = ['latency', 'throttle', 'server-error', 'unavailable', 'drop'];
  const each = 1 - Math.pow(1 - rate, 1 / kinds.length);
  return CREDENTIAL_OPERATIONS.flatMap((operation) =>
    kinds.map((kind): FaultRule => ({ kind, operation, rate: each, ...(kind === 'latency' ? { latencyMs } : {}) })),
  );
}

/** Outages of 1, 10 and 30 minutes in turn, one every 8 hours at a drifting minute. */
export function outageSchedule(durationMs: number): Outage[] {
  const lengths = [1, 10, 30];
  const kinds: Outage['kind'][] = ['unavailable', 'drop', 'throttle'];
  const out: Outage[] = [];
  for (let k = 0; ; k++) {
    const startMs = 2 * HOUR + k * 8 * HOUR + ((k * 53) % 120) * MINUTE;
    const minutes = lengths[k % 3]!;
    if (startMs + minutes * MINUTE >= durationMs) break;
    out.push({ startMs, minutes, kind: kinds[k % 3]! });
  }
  return out;
}

const heap = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error).slice(0, 300);

/** Real turns the I/O may stay silent while a request is in flight before the soak calls it waiting on a timer. */
const STUCK_POLLS = 20;
/** Real polls after which a silent request is given up on (counted in `stalls`). */
const STALL_POLLS = 10_000;
/** A caller still waiting this long (simulated) after its step counts as hung. */
const HANG_MS = 10 * MINUTE;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const seed = options.seed ?? 1;
  const callEveryMs = options.callEveryMs ?? MINUTE;
  const checkEveryMs = options.checkEveryMs ?? 30 * MINUTE;
  const latencyMs = options.latencyMs ?? 8_000;
  const durationMs = Math.round(options.days * DAY);
  const baseRules = options.faultRate > 0 ? faultRules(options.faultRate, latencyMs) : [];
  const outages = options.outages ? outageSchedule(durationMs) : [];
  const wallStart = performance.now();
  const start = SOAK_START;

  const result: SoakResult = {
    options: {
      days: options.days,
      faultRate: options.faultRate,
      outages: options.outages,
      seed,
      callEveryMs,
      checkEveryMs,
      latencyMs,
    },
    simulatedMs: durationMs,
    wallMs: 0,
    members: [],
    hours: [],
    outages,
    errorSamples: [],
    quickAttempts: [],
    errorTimesMs: [],
    unattributedCalls: 0,
    stalls: 0,
    faultsFired: {},
    hungCallers: 0,
    memory: {
      gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
      startHeapBytes: 0,
      endHeapBytes: 0,
      endSessions: 0,
      daily: [],
    },
  };

  // The engine's jitter, p-retry's and the SDK's backoff draw from Math.random: seed it too, so a
  // run replays as closely as concurrent I/O allows.
  const realRandom = Math.random;
  Math.random = seededRandom(seed);
  const sim = installSimTime(start);
  const handler = new CountingHandler();
  let sts: StsLocal | undefined;
  let fleet: ReturnType<typeof buildFleet> | undefined;
  let storeFleet: StoreFleet | undefined;
  try {
    sts = await startStsLocal({ clock: sim, faults: baseRules, faultSeed: seed, region: REGION });
    const server = sts;
    const byName = new Map<string, MemberResult>();
    const engine = new Map<string, { failedInARow: number; lastFailureAt: number | undefined; lastFailure: string }>();
    const validUntil = new Map<string, number>();
    const minuteCount = new Map<string, { minute: number; count: number }>();
    const sf = options.storeFleet;
    const storeOutages = sf !== undefined && (sf.outages ?? options.outages) ? storeOutageSchedule(durationMs) : [];
    const storeFaultRate = sf?.faultRate ?? (options.faultRate > 0 ? 0.2 : 0);
    let totals: StoreFleetTotals | undefined;
    const replicaNames = new Set<string>();

    const hourOf = (atMs: number): HourBucket => {
      const hour = Math.floor((atMs - start) / HOUR);
      while (result.hours.length <= hour)
        result.hours.push({
          hour: result.hours.length,
          stsOk: 0,
          stsFailed: 0,
          visibleErrors: 0,
          servedStale: 0,
          maxCallerWaitMs: 0,
        });
      return result.hours[hour]!;
    };

    // The hourly series are the fleet's: the control providers' and the store fleet's calls and errors
    // stay out of them.
    const scratch: HourBucket = {
      hour: -1,
      stsOk: 0,
      stsFailed: 0,
      visibleErrors: 0,
      servedStale: 0,
      maxCallerWaitMs: 0,
    };
    const ownSeries = (member: Member): boolean => member.control !== true && member.group === undefined;
    const bucketOf = (member: Member, atMs: number): HourBucket => (ownSeries(member) ? hourOf(atMs) : scratch);

    const onEvent = (name: string, event: CredentialEvent): void => {
      const m = byName.get(name);
      const e = engine.get(name);
      if (m === undefined || e === undefined) return;
      const now = sim.now();
      switch (event.type) {
        case 'refresh-start':
          if (e.lastFailureAt !== undefined) {
            const gap = now - e.lastFailureAt;
            // The first call in the mandatory window tries at once, backoff or not (docs/ARCHITECTURE.md,
            // engine rule 6): once per credentials, by design. Every other attempt waits out the backoff.
            if (gap < 1_000 && result.quickAttempts.length < 100) {
              result.quickAttempts.push({
                member: name,
                atMs: now - start,
                gapMs: gap,
                failed: e.lastFailure,
                next: event.reason,
              });
            }
            if (event.reason !== 'mandatory') {
              m.minGapAfterFailureMs = m.minGapAfterFailureMs === null ? gap : Math.min(m.minGapAfterFailureMs, gap);
            }
            e.lastFailureAt = undefined;
          }
          break;
        case 'refresh-success':
          m.refreshes++;
          e.failedInARow = 0;
          break;
        case 'refresh-failure':
          m.refreshFailures++;
          e.failedInARow++;
          e.lastFailureAt = now;
          e.lastFailure = `${event.reason} #${event.attempt}: ${describe(event.error).slice(0, 160)}`;
          m.maxFailedAttemptsInARow = Math.max(m.maxFailedAttemptsInARow, e.failedInARow);
          break;
        case 'served-stale':
          m.servedStale++;
          if (!replicaNames.has(name)) hourOf(now).servedStale++;
          break;
        case 'store-hit':
          m.storeHits = (m.storeHits ?? 0) + 1;
          if (totals !== undefined) totals.storeHits++;
          break;
        case 'store-error': {
          m.storeErrors = (m.storeErrors ?? 0) + 1;
          const what = `${event.action} ${event.kind}`;
          if (totals !== undefined) totals.storeErrors[what] = (totals.storeErrors[what] ?? 0) + 1;
          break;
        }
        case 'expired':
          m.expiredEvents++;
          break;
        default:
          break;
      }
    };

    // Work that is neither HTTP nor a timer (minting tokens and assertions may use a crypto thread).
    let busy = 0;
    const work = <T>(run: () => Promise<T>): Promise<T> => {
      busy++;
      return run().finally(() => busy--);
    };
    fleet = buildFleet(server, handler, onEvent, work);
    if (sf !== undefined) {
      storeFleet = buildStoreFleet(server, handler, onEvent, {
        processes: sf.processes,
        faultRate: storeFaultRate,
        seed,
      });
      totals = {
        processes: sf.processes,
        faultRate: storeFaultRate,
        outages: storeOutages,
        lifetimeMs: STORE_FLEET_LIFETIME_MS,
        stsCalls: 0,
        stsCallsFailed: 0,
        maxStsCallsPerMinute: 0,
        storeHits: 0,
        storeErrors: {},
        store: storeFleet.store.counts,
      };
      for (const member of storeFleet.members) replicaNames.add(member.name);
    }
    const members = [
      ...fleet.members,
      ...(options.controls === true ? buildControls(server, handler) : []),
      ...(storeFleet?.members ?? []),
    ];
    for (const member of members) {
      byName.set(member.name, {
        name: member.name,
        kind: member.kind,
        control: member.control === true,
        callerCalls: 0,
        visibleErrors: 0,
        visibleErrorsWhileValid: 0,
        expiredHandedOut: 0,
        maxCallerWaitMs: 0,
        stsCalls: 0,
        stsCallsFailed: 0,
        stsCallsPerDay: 0,
        maxStsCallsPerMinute: 0,
        refreshes: 0,
        refreshFailures: 0,
        maxFailedAttemptsInARow: 0,
        minGapAfterFailureMs: null,
        servedStale: 0,
        expiredEvents: 0,
        signedChecks: 0,
        signedCheckFailures: 0,
      });
      engine.set(member.name, { failedInARow: 0, lastFailureAt: undefined, lastFailure: '' });
      validUntil.set(member.name, Number.NEGATIVE_INFINITY);
    }

    /**
     * Waits until no request is in flight and the promise chains behind them have run; returns early
     * when a request waits on a (simulated) timer.
     */
    const settle = async (): Promise<void> => {
      let idleTurns = 0;
      let quiet = 0;
      let marker = '';
      while (idleTurns < 3) {
        if (handler.inFlight === 0 && busy === 0) {
          await realTurn();
          idleTurns++;
          continue;
        }
        idleTurns = 0;
        await realPause();
        const now = `${handler.completed}:${handler.inFlight}:${server.calls.length}:${busy}`;
        if (now === marker) {
          quiet++;
          // With requests in flight, they wait on simulated time only when sts-local holds every one of them
          // on a latency spike (a timer armed with exactly latencyMs each); otherwise some I/O is just slow
          // (a loaded machine): keep waiting for it. Firing timers then (store timeouts, lock polls) made
          // simulated seconds pass during one real HTTP round trip: on a loaded CI the store fleet gave up
          // its waits and went to STS itself (598 calls against 516 alone; 210 against 834 on a quiet
          // machine). With none in flight, a caller waits on a timer of the engine's (backoff, a timeout).
          const due = sim.nextDue();
          const onTimer =
            due !== undefined &&
            (handler.inFlight === 0 ? due - sim.now() <= latencyMs : sim.armedWith(latencyMs) >= handler.inFlight);
          if (quiet >= STUCK_POLLS && onTimer) return;
          if (quiet >= STALL_POLLS) {
            result.stalls++;
            return;
          }
        } else {
          marker = now;
          quiet = 0;
        }
      }
    };

    const advanceTo = async (target: number): Promise<void> => {
      for (;;) {
        await settle();
        const due = sim.nextDue();
        if (due === undefined || due > target) break;
        sim.fireNext();
      }
      sim.jumpTo(target);
    };

    let pending = 0;
    const drainCallers = async (): Promise<void> => {
      const stepAt = sim.now();
      while (pending > 0) {
        await settle();
        if (pending === 0) break;
        const due = sim.nextDue();
        if (due === undefined || due > stepAt + HANG_MS) {
          result.hungCallers += pending;
          break;
        }
        sim.fireNext();
      }
    };

    const sample = (s: ErrorSample): void => {
      if (result.errorSamples.length < 200) result.errorSamples.push(s);
    };
    const signedCheck = async (member: Member, m: MemberResult, creds: AwsCredentialIdentity): Promise<void> => {
      m.signedChecks++;
      const failed = (error: string): void => {
        m.signedCheckFailures++;
        const at = sim.now();
        sample({
          member: member.name,
          where: 'signed-check',
          atMs: at - start,
          error,
          validCredentialsExisted: validUntil.get(member.name)! > at,
        });
      };
      const client = new STSClient({
        endpoint: server.endpoint,
        region: REGION,
        credentials: creds,
        requestHandler: handler,
        maxAttempts: 1,
      });
      try {
        const identity = await client.send(new GetCallerIdentityCommand({}));
        if (!member.arn.test(identity.Arn ?? '')) failed(`signed as ${identity.Arn}`);
      } catch (error) {
        failed(`GetCallerIdentity: ${describe(error)}`);
      }
    };

    const callOnce = (member: Member, check: boolean): void => {
      const m = byName.get(member.name)!;
      m.callerCalls++;
      const calledAt = sim.now();
      pending++;
      member
        .call()
        .then(
          async (creds) => {
            const now = sim.now();
            const wait = now - calledAt;
            m.maxCallerWaitMs = Math.max(m.maxCallerWaitMs, wait);
            const bucket = bucketOf(member, calledAt);
            bucket.maxCallerWaitMs = Math.max(bucket.maxCallerWaitMs, wait);
            const expiresAt = creds.expiration?.getTime();
            if (expiresAt === undefined || expiresAt <= now) m.expiredHandedOut++;
            else validUntil.set(member.name, Math.max(validUntil.get(member.name)!, expiresAt));
            if (check) await signedCheck(member, m, creds);
          },
          (error: unknown) => {
            const now = sim.now();
            const valid = validUntil.get(member.name)! > now;
            m.visibleErrors++;
            if (valid) m.visibleErrorsWhileValid++;
            bucketOf(member, now).visibleErrors++;
            if (ownSeries(member) && result.errorTimesMs.length < 100_000) result.errorTimesMs.push(now - start);
            sample({
              member: member.name,
              where: 'caller',
              atMs: now - start,
              error: describe(error),
              validCredentialsExisted: valid,
            });
          },
        )
        .finally(() => pending--);
    };

    let sessions = 0;
    const consumeCalls = (): void => {
      const batch = server.calls.slice();
      server.clearCalls();
      for (const call of batch) {
        for (const fault of call.faults) result.faultsFired[fault] = (result.faultsFired[fault] ?? 0) + 1;
        if (call.operation === 'GetCallerIdentity') continue;
        const ok = call.outcome === 'success';
        const perMinute = (owner: string): number => {
          const minute = Math.floor(call.time / MINUTE);
          const seen = minuteCount.get(owner);
          const count = seen !== undefined && seen.minute === minute ? seen.count + 1 : 1;
          minuteCount.set(owner, { minute, count });
          return count;
        };
        // The replicas share one RoleSessionName: their calls are counted together.
        if (totals !== undefined && storeFleet?.owns(call) === true) {
          if (ok) sessions++;
          totals.stsCalls++;
          if (!ok) totals.stsCallsFailed++;
          totals.maxStsCallsPerMinute = Math.max(totals.maxStsCallsPerMinute, perMinute('store-fleet'));
          continue;
        }
        const member = members.find((candidate) => candidate.owns(call));
        if (member === undefined) {
          result.unattributedCalls++;
          continue;
        }
        const bucket = bucketOf(member, call.time);
        if (ok) sessions++;
        if (ok) bucket.stsOk++;
        else bucket.stsFailed++;
        const m = byName.get(member.name)!;
        m.stsCalls++;
        if (!ok) m.stsCallsFailed++;
        m.maxStsCallsPerMinute = Math.max(m.maxStsCallsPerMinute, perMinute(member.name));
      }
    };

    const setFaults = (rules: readonly FaultRule[]): void => {
      server.clearFaults();
      for (const rule of rules) server.injectFault(rule);
    };

    for (let at = 0; at < durationMs; at += callEveryMs) {
      await advanceTo(start + at);
      for (const outage of outages) {
        if (at === outage.startMs) {
          setFaults(CREDENTIAL_OPERATIONS.map((operation): FaultRule => ({ kind: outage.kind, operation, rate: 1 })));
        }
        if (at === outage.startMs + outage.minutes * MINUTE) setFaults(baseRules);
      }
      for (const outage of storeOutages) {
        if (at === outage.startMs) storeFleet!.store.outage = outage.kind;
        if (at === outage.startMs + outage.minutes * MINUTE) storeFleet!.store.outage = undefined;
      }
      const check = at % checkEveryMs === 0;
      for (const member of members) callOnce(member, check);
      await drainCallers();
      consumeCalls();
      if (at === HOUR) result.memory.startHeapBytes = heap();
      if (at % DAY === 0 && at > 0) result.memory.daily.push({ day: at / DAY, heapBytes: heap(), sessions });
      if (at % HOUR === 0) options.onProgress?.(at);
    }
    await advanceTo(start + durationMs);
    await drainCallers();
    consumeCalls();
    result.memory.endHeapBytes = heap();
    result.memory.endSessions = sessions;
    const replicas: MemberResult[] = [];
    for (const m of byName.values()) {
      m.stsCallsPerDay = m.stsCalls / options.days;
      (replicaNames.has(m.name) ? replicas : result.members).push(m);
    }
    if (totals !== undefined) result.storeFleet = { ...totals, replicas };
    return result;
  } finally {
    fleet?.close();
    storeFleet?.close();
    await sts?.stop();
    handler.destroy();
    sim.uninstall();
    Math.random = realRandom;
    result.wallMs = Math.round(performance.now() - wallStart);
  }
}
