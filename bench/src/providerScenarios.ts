/**
 * Scenarios 1–5 of the provider bench (issue 4, "Benchmark"): ours and the SDK's providers, each
 * wrapped by a real SDK client, against one real sts-local. Each scenario runs every
 * implementation in turn on a fresh provider, client and HTTP handler; sts-local's call log says
 * how many STS calls each made. Time jumps come from the warp clock (see warpClock.ts).
 */
import type { StsLocal } from '@credchain/sts-local';
import type { AwsCredentialIdentity } from '@smithy/types';

import {
  type Impl,
  type MakeOptions,
  OPERATION,
  type Provider,
  TrackingHandler,
  callerArn,
  identityOf,
  mintToken,
  nextTurn,
  sdkClient,
  sessionArn,
  settle,
  sleep,
  stsCalls,
} from './stsBench';
import type { WarpClock } from './warpClock';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface Row {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly kind: string;
}

const rowOf = (impl: Impl): Row => ({ id: impl.id, label: impl.label, ours: impl.ours, kind: impl.kind });

/** Builds one implementation's provider on a fresh HTTP handler; runs `body`; cleans up. */
export async function withProvider<R>(
  sts: StsLocal,
  impl: Impl,
  sessionName: string,
  body: (o: MakeOptions, provider: Provider) => Promise<R>,
): Promise<R> {
  const handler = new TrackingHandler();
  const token = impl.kind === 'web-identity' ? await mintToken() : undefined;
  const o: MakeOptions = { sts, handler, sessionName, ...(token === undefined ? {} : { token }) };
  sts.clearFaults();
  const provider = impl.make(o);
  try {
    sts.clearCalls();
    return await body(o, provider);
  } finally {
    provider.close?.();
    await settle(handler);
    handler.destroy();
    sts.clearFaults();
    sts.clearCalls();
  }
}

/** What callers saw. Waits are real (wall) milliseconds, from `performance.now()`. */
export interface Tally {
  callers: number;
  waitedGe10ms: number;
  maxWaitMs: number;
  errors: number;
  /** Credentials handed out whose expiration was ≤ the (warped) time the caller got them. */
  expiredHandedOut: number;
  /** Distinct credentials (access key IDs) callers got, in order of first sight. */
  readonly keys: string[];
  /** Callers per access key ID. */
  readonly perKey: Record<string, number>;
  /** Every caller, in order of arrival, when the scenario records them (scenario 2: the latency chart). */
  readonly samples?: Sample[];
}

/** One caller: when it arrived (warped `Date.now()`), how long it waited (real ms), what it got. */
export interface Sample {
  readonly atMs: number;
  readonly waitMs: number;
  /** The access key ID it got; undefined for an error. */
  readonly accessKeyId?: string;
}

export const newTally = (samples?: Sample[]): Tally => ({
  callers: 0,
  waitedGe10ms: 0,
  maxWaitMs: 0,
  errors: 0,
  expiredHandedOut: 0,
  keys: [],
  perKey: {},
  ...(samples === undefined ? {} : { samples }),
});

/** One caller: asks `identity` for credentials and counts what it got, and how long it waited, in `tally`. */
export async function call(identity: () => Promise<AwsCredentialIdentity>, tally: Tally): Promise<void> {
  tally.callers++;
  const atMs = Date.now();
  const arrived = performance.now();
  try {
    const creds = await identity();
    const wait = performance.now() - arrived;
    tally.samples?.push({ atMs, waitMs: wait, accessKeyId: creds.accessKeyId });
    if (wait >= 10) tally.waitedGe10ms++;
    tally.maxWaitMs = Math.max(tally.maxWaitMs, Math.round(wait));
    if (creds.expiration !== undefined && creds.expiration.getTime() <= Date.now()) tally.expiredHandedOut++;
    if (tally.perKey[creds.accessKeyId] === undefined) {
      tally.keys.push(creds.accessKeyId);
      tally.perKey[creds.accessKeyId] = 0;
    }
    tally.perKey[creds.accessKeyId]!++;
  } catch {
    tally.samples?.push({ atMs, waitMs: performance.now() - arrived });
    tally.errors++;
  }
}

/**
 * Moves the warped clock to each of `times` (firing due virtual timers, settling after each); at
 * each, `perStep` callers arrive `spacingMs` apart (real time) and are awaited before time moves on.
 */
async function walk(
  warp: WarpClock,
  handler: TrackingHandler,
  identities: readonly (() => Promise<AwsCredentialIdentity>)[],
  times: readonly number[],
  perStep: number,
  spacingMs: number,
  tally: Tally,
): Promise<void> {
  const between = (): Promise<void> => settle(handler);
  for (const t of times) {
    await warp.runTo(t, between);
    await nextTurn();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < perStep; i++) {
      if (i > 0 && spacingMs > 0) await sleep(spacingMs);
      for (const identity of identities) pending.push(call(identity, tally));
    }
    await Promise.all(pending);
    await settle(handler);
  }
}

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let t = from; t <= to; t += step) out.push(t);
  return out;
};

// ---------------------------------------------------------------------------------------------
// 1. Concurrent cold callers.

export interface ColdResult extends Row {
  readonly callers: number;
  /** STS calls when every caller goes through one SDK client's identity cache. */
  readonly stsCallsThroughClient: number;
  readonly errorsThroughClient: number;
  /** sts-local verified a GetCallerIdentity the client signed with what it got. */
  readonly verified: boolean;
  /** Informational: callers calling the provider itself, each (no client cache in between). */
  readonly directCallers: number;
  readonly stsCallsDirect: number;
  readonly errorsDirect: number;
}

export async function runColdCallers(
  sts: StsLocal,
  impl: Impl,
  callers: number,
  directCallers: number,
): Promise<ColdResult> {
  const session = `bench-cold-${impl.id}`.slice(0, 64);
  const through = await withProvider(sts, impl, session, async (o, provider) => {
    const client = sdkClient(o, provider);
    const identity = identityOf(client);
    const results = await Promise.allSettled(Array.from({ length: callers }, () => identity()));
    const calls = stsCalls(sts, impl.kind);
    const arn = await callerArn(client);
    return {
      calls,
      errors: results.filter((r) => r.status === 'rejected').length,
      verified: arn === sessionArn(impl.kind, session),
    };
  });
  const direct = await withProvider(sts, impl, `${session}-direct`.slice(0, 64), async (_o, provider) => {
    const results = await Promise.allSettled(Array.from({ length: directCallers }, () => provider()));
    return { calls: stsCalls(sts, impl.kind), errors: results.filter((r) => r.status === 'rejected').length };
  });
  return {
    ...rowOf(impl),
    callers,
    stsCallsThroughClient: through.calls,
    errorsThroughClient: through.errors,
    verified: through.verified,
    directCallers,
    stsCallsDirect: direct.calls,
    errorsDirect: direct.errors,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Callers across a refresh, STS answering in 300 ms.

export interface AcrossRefreshResult extends Row, Omit<Tally, 'keys' | 'perKey'> {
  /** STS calls during the walk (the first issue excluded). */
  readonly stsCalls: number;
  /** Distinct credentials callers got during the walk. */
  readonly credentialsSeen: number;
  /** Every caller of the walk, for the latency chart (written to latency.json, not providers.json). */
  readonly timeline: AcrossRefreshTimeline;
}

/** Per-caller latency across the refresh: times relative to the first credentials' expiry. */
export interface AcrossRefreshTimeline {
  /**
   * [ms relative to expiry, wait in real ms rounded to µs, 1 if the caller got renewed credentials
   * else 0 (−1: error)].
   */
  readonly samples: readonly (readonly [number, number, number])[];
  /** ms relative to expiry of the first caller that got renewed credentials, if any did. */
  readonly firstRenewedAtMs: number | null;
  /** ms relative to expiry at which sts-local received each STS call of the walk (the refreshes). */
  readonly stsCallsAtMs: readonly number[];
}

export const ACROSS_REFRESH = {
  latencyMs: 300,
  /** The walk: from 20 minutes before the first credentials expire to 1 minute after, 60 s steps. */
  fromBeforeExpiryMs: 20 * MINUTE,
  toAfterExpiryMs: 1 * MINUTE,
  stepMs: MINUTE,
  callersPerStep: 6,
  spacingMs: 50,
};

export async function runAcrossRefresh(sts: StsLocal, warp: WarpClock, impl: Impl): Promise<AcrossRefreshResult> {
  const c = ACROSS_REFRESH;
  return withProvider(sts, impl, `bench-refresh-${impl.id}`.slice(0, 64), async (o, provider) => {
    sts.injectFault({
      kind: 'latency',
      operation: OPERATION[impl.kind],
      latencyMs: c.latencyMs,
      count: Number.POSITIVE_INFINITY,
    });
    const identity = identityOf(sdkClient(o, provider));
    const first = await identity();
    await settle(o.handler);
    const before = stsCalls(sts, impl.kind);
    const expiry = first.expiration!.getTime();
    const samples: Sample[] = [];
    const tally = newTally(samples);
    const times = range(expiry - c.fromBeforeExpiryMs, expiry + c.toAfterExpiryMs, c.stepMs);
    await walk(warp, o.handler, [identity], times, c.callersPerStep, c.spacingMs, tally);
    const { callers, waitedGe10ms, maxWaitMs, errors, expiredHandedOut, keys } = tally;
    const renewed = (x: Sample): number =>
      x.accessKeyId === undefined ? -1 : x.accessKeyId === first.accessKeyId ? 0 : 1;
    const firstRenewed = samples.find((x) => renewed(x) === 1);
    const refreshCalls = sts.calls.filter((x) => x.operation === OPERATION[impl.kind]).slice(before);
    return {
      ...rowOf(impl),
      callers,
      waitedGe10ms,
      maxWaitMs,
      errors,
      expiredHandedOut,
      stsCalls: stsCalls(sts, impl.kind) - before,
      credentialsSeen: keys.length,
      timeline: {
        samples: samples.map((x) => [x.atMs - expiry, Math.round(x.waitMs * 1000) / 1000, renewed(x)] as const),
        firstRenewedAtMs: firstRenewed === undefined ? null : firstRenewed.atMs - expiry,
        stsCallsAtMs: refreshCalls.map((x) => x.time - expiry),
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 3. STS failing from the first issue on, through the advisory window, until expiry.

export interface OutageResult extends Row {
  readonly callers: number;
  readonly errors: number;
  /** Callers served the credentials issued before the outage, still valid. */
  readonly servedCached: number;
  readonly expiredHandedOut: number;
  /** STS calls during the outage (all answered with a 5xx). */
  readonly stsCalls: number;
  /** Minutes before expiry at which the first caller got an error, if any. */
  readonly firstErrorMinutesBeforeExpiry: number | null;
}

export const OUTAGE = {
  /** sts-local answers every call of the operation with one of these after the first issue. */
  faults: ['unavailable (503) for half the calls, drawn from a seeded generator', 'server-error (500) for the rest'],
  fromBeforeExpiryMs: 20 * MINUTE,
  /** Last step: 5 s before expiry. */
  toBeforeExpiryMs: 5 * SECOND,
  stepMs: 30 * SECOND,
  callersPerStep: 3,
  spacingMs: 20,
};

export async function runOutage(sts: StsLocal, warp: WarpClock, impl: Impl): Promise<OutageResult> {
  const c = OUTAGE;
  return withProvider(sts, impl, `bench-outage-${impl.id}`.slice(0, 64), async (o, provider) => {
    const identity = identityOf(sdkClient(o, provider));
    const first = await identity();
    await settle(o.handler);
    const operation = OPERATION[impl.kind];
    sts.injectFault({ kind: 'unavailable', operation, rate: 0.5 });
    sts.injectFault({ kind: 'server-error', operation, count: Number.POSITIVE_INFINITY });
    const before = stsCalls(sts, impl.kind);
    const expiry = first.expiration!.getTime();
    const times = range(expiry - c.fromBeforeExpiryMs, expiry - c.toBeforeExpiryMs, c.stepMs);
    if (times[times.length - 1] !== expiry - c.toBeforeExpiryMs) times.push(expiry - c.toBeforeExpiryMs);
    let firstErrorAt: number | undefined;
    const tally = newTally();
    for (const t of times) {
      const errorsBefore = tally.errors;
      await walk(warp, o.handler, [identity], [t], c.callersPerStep, c.spacingMs, tally);
      if (firstErrorAt === undefined && tally.errors > errorsBefore) firstErrorAt = t;
    }
    return {
      ...rowOf(impl),
      callers: tally.callers,
      errors: tally.errors,
      servedCached: tally.perKey[first.accessKeyId] ?? 0,
      expiredHandedOut: tally.expiredHandedOut,
      stsCalls: stsCalls(sts, impl.kind) - before,
      firstErrorMinutesBeforeExpiry:
        firstErrorAt === undefined ? null : Math.round(((expiry - firstErrorAt) / MINUTE) * 10) / 10,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 4 and 5. STS calls over simulated hours, with one client or with one provider shared by ten.

export interface HoursResult extends Row {
  readonly clients: number;
  readonly hours: number;
  /** STS calls for the clients' first, concurrent request (a signed GetCallerIdentity each). */
  readonly stsCallsCold: number;
  /** Every client's GetCallerIdentity was verified by sts-local as the assumed role. */
  readonly verified: boolean;
  /** STS calls over the simulated hours, the cold start included. */
  readonly stsCalls: number;
  readonly callers: number;
  readonly errors: number;
  readonly expiredHandedOut: number;
  readonly waitedGe10ms: number;
}

export const HOURS = { callerEveryMs: MINUTE };

export async function runHours(
  sts: StsLocal,
  warp: WarpClock,
  impl: Impl,
  clients: number,
  hours: number,
): Promise<HoursResult> {
  return withProvider(sts, impl, `bench-${clients}x${hours}h-${impl.id}`.slice(0, 64), async (o, provider) => {
    const sdkClients = Array.from({ length: clients }, () => sdkClient(o, provider));
    const arns = await Promise.all(sdkClients.map(callerArn));
    await settle(o.handler);
    const stsCallsCold = stsCalls(sts, impl.kind);
    const expected = sessionArn(impl.kind, o.sessionName);
    const start = Date.now();
    const times = range(start + HOURS.callerEveryMs, start + hours * HOUR, HOURS.callerEveryMs);
    const tally = newTally();
    await walk(warp, o.handler, sdkClients.map(identityOf), times, 1, 0, tally);
    return {
      ...rowOf(impl),
      clients,
      hours,
      stsCallsCold,
      verified: arns.every((a) => a === expected),
      stsCalls: stsCalls(sts, impl.kind),
      callers: tally.callers,
      errors: tally.errors,
      expiredHandedOut: tally.expiredHandedOut,
      waitedGe10ms: tally.waitedGe10ms,
    };
  });
}
