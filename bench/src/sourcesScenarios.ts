/**
 * The source scenarios (issue 11, "Figures"), for an IMDS source and a container source: the hot path,
 * callers across a refresh with the source answering in 300 ms, and callers through a source outage
 * while the credentials are valid. Ours (`fromDefaultChain`, and the source's own provider) and the SDK's
 * (`fromNodeProviderChain`, and its own provider of the source), each as a real SDK client's `credentials`.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { StsLocal } from '@credchain/sts-local';
import type { AwsCredentialIdentity } from '@smithy/types';

import { type Sample, type Tally, call, newTally } from './providerScenarios';
import {
  CREDENTIALS_OPERATION,
  type HttpInFlight,
  IssuedExpirations,
  OUTAGE_OPERATION,
  type Source,
  type SourceImpl,
  type Via,
  settleSources,
  sourceClient,
} from './sourcesBench';
import { makeLoop, median } from './hotPath';
import { type Provider, TrackingHandler, identityOf, nextTurn, sleep } from './stsBench';
import type { WarpClock } from './warpClock';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

export interface SourceRow {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly source: Source;
  readonly via: Via;
}

const rowOf = (impl: SourceImpl): SourceRow => ({
  id: impl.id,
  label: impl.label,
  ours: impl.ours,
  source: impl.source,
  via: impl.via,
});

/** What one scenario run is given: the server, the clock, the request counter. */
export interface Bench {
  readonly sts: StsLocal;
  readonly warp: WarpClock;
  readonly http: HttpInFlight;
}

/** Builds the implementation's provider and an SDK client around it on a fresh HTTP handler; runs `body`; cleans up. */
async function withClient<R>(
  b: Bench,
  impl: SourceImpl,
  body: (identity: () => Promise<AwsCredentialIdentity>, handler: TrackingHandler, provider: Provider) => Promise<R>,
): Promise<R> {
  const handler = new TrackingHandler();
  b.sts.clearFaults();
  const provider = impl.make(handler);
  try {
    b.sts.clearCalls();
    return await body(identityOf(sourceClient(b.sts, handler, provider)), handler, provider);
  } finally {
    provider.close?.();
    await settleSources(b.warp, b.http, handler, impl.ours);
    handler.destroy();
    b.sts.clearFaults();
    b.sts.clearCalls();
  }
}

/** Requests of any kind to the source's endpoint (IMDS: token, role name, credentials). */
const endpointCalls = (sts: StsLocal, source: Source): number => {
  const prefix = OUTAGE_OPERATION[source].slice(0, -1);
  return sts.calls.filter((c) => c.operation?.startsWith(prefix) === true).length;
};

/**
 * Moves the warped clock to each of `times`; at each, `perStep` callers arrive `spacingMs` apart (real time)
 * and are awaited, then everything they and the providers started lands before time moves on.
 */
async function walk(
  b: Bench,
  impl: SourceImpl,
  handler: TrackingHandler,
  identity: () => Promise<AwsCredentialIdentity>,
  times: readonly number[],
  step: { readonly perStep: number; readonly spacingMs: number },
  tally: Tally,
): Promise<void> {
  const between = (): Promise<void> => settleSources(b.warp, b.http, handler, impl.ours);
  for (const t of times) {
    await b.warp.runTo(t, between);
    await nextTurn();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < step.perStep; i++) {
      if (i > 0 && step.spacingMs > 0) await sleep(step.spacingMs);
      pending.push(call(identity, tally));
    }
    const answered = Promise.all(pending);
    await settleSources(b.warp, b.http, handler, impl.ours, answered);
    await answered;
  }
}

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let t = from; t <= to; t += step) out.push(t);
  return out;
};

// ---------------------------------------------------------------------------------------------
// 1. The hot path: a cached credentials lookup, real clock.

export interface SourceHotPathResult extends SourceRow {
  /** `provider` called itself, or the SDK client's identity cache around it (what every request awaits). */
  readonly called: 'directly' | 'through an SDK client' | 'floor';
  readonly nsPerOp: number;
  readonly ratioToFloor: number;
  readonly rounds: number[];
  /** The SDK client signed a GetCallerIdentity with what it got and sts-local answered the source's role session. */
  readonly verified: boolean;
}

export const HOT_PATH = { ops: 200_000, rounds: 15, warmupRounds: 3 };

interface HotCandidate {
  readonly row: SourceRow;
  readonly called: SourceHotPathResult['called'];
  readonly call: () => Promise<AwsCredentialIdentity>;
  readonly verified: boolean;
}

/**
 * Every implementation of the source, called directly (the SDK's own provider caches nothing: it is not
 * measured directly, each call would be a request to the endpoint) and through an SDK client, after a first
 * call and a signed GetCallerIdentity; rounds interleaved, the median reported, against an `async () => creds`
 * floor. Runs on the real clock, before the warp is installed.
 */
export async function runSourceHotPath(
  sts: StsLocal,
  impls: readonly SourceImpl[],
  expectedArn: string,
  config: typeof HOT_PATH,
): Promise<SourceHotPathResult[]> {
  const handler = new TrackingHandler();
  const built = impls.map((impl) => ({ impl, provider: impl.make(handler) }));
  const candidates: HotCandidate[] = [];
  try {
    const source = impls[0]!.source;
    const first = await built[0]!.provider();
    const floor = { ...first };
    candidates.push({
      row: { id: `floor-${source}`, label: 'floor: async () => creds', ours: false, source, via: 'source' },
      called: 'floor',
      call: async () => floor,
      verified: true,
    });
    for (const { impl, provider } of built) {
      const client = sourceClient(sts, handler, provider);
      const verified = (await client.send(new GetCallerIdentityCommand({}))).Arn === expectedArn;
      if (impl.ours || impl.via === 'chain') {
        await provider();
        candidates.push({ row: rowOf(impl), called: 'directly', call: () => provider(), verified });
      }
      const identity = identityOf(client);
      await identity();
      candidates.push({ row: rowOf(impl), called: 'through an SDK client', call: identity, verified });
    }
    const loops = candidates.map(() => makeLoop());
    const samples = candidates.map((): number[] => []);
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let round = 0; round < config.warmupRounds + config.rounds; round++) {
      for (const [i, c] of candidates.entries()) {
        gc?.();
        const start = process.hrtime.bigint();
        await loops[i]!(c.call, config.ops);
        const ns = Number(process.hrtime.bigint() - start) / config.ops;
        if (round >= config.warmupRounds) samples[i]!.push(ns);
      }
    }
    const floorNs = median(samples[0]!);
    return candidates.map((c, i) => ({
      ...c.row,
      called: c.called,
      nsPerOp: Math.round(median(samples[i]!) * 10) / 10,
      ratioToFloor: Math.round((median(samples[i]!) / floorNs) * 100) / 100,
      rounds: samples[i]!.map((x) => Math.round(x * 10) / 10),
      verified: c.verified,
    }));
  } finally {
    for (const { provider } of built) provider.close?.();
    handler.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Callers across a refresh, the source answering in 300 ms.

export const SOURCE_REFRESH = {
  latencyMs: 300,
  /**
   * From 62 minutes before the first credentials expire to 1 minute after: 2-minute steps to 10 minutes before,
   * then 1-minute steps. The credentials last 6 hours; ours opens its advisory window an hour before expiry
   * (and gets the same credentials back there: the endpoint rotates them 15 minutes before expiry), then
   * refreshes again in the 5 minutes before expiry; the SDK clients refresh 5 minutes before.
   */
  fromBeforeExpiryMs: 62 * MINUTE,
  coarseStepMs: 2 * MINUTE,
  fineFromBeforeExpiryMs: 10 * MINUTE,
  toAfterExpiryMs: 1 * MINUTE,
  stepMs: MINUTE,
  callersPerStep: 6,
  spacingMs: 50,
};

export interface SourceRefreshResult extends SourceRow, Omit<Tally, 'keys' | 'perKey' | 'samples'> {
  /** Credentials requests to the source during the walk (the first excluded). */
  readonly sourceCalls: number;
  /** Distinct credentials callers got during the walk. */
  readonly credentialsSeen: number;
  /** Minutes before the first credentials' expiry at which a caller first got the renewed ones. */
  readonly firstRenewedMinutesBeforeExpiry: number | null;
  /** Minutes before expiry at which each credentials request of the walk reached the source. */
  readonly sourceCallsMinutesBeforeExpiry: readonly number[];
}

export async function runSourceRefresh(b: Bench, impl: SourceImpl): Promise<SourceRefreshResult> {
  const c = SOURCE_REFRESH;
  return withClient(b, impl, async (identity, handler) => {
    const operation = CREDENTIALS_OPERATION[impl.source];
    b.sts.injectFault({ kind: 'latency', operation, latencyMs: c.latencyMs, count: Number.POSITIVE_INFINITY });
    const first = await identity();
    await settleSources(b.warp, b.http, handler, impl.ours);
    const before = b.sts.calls.length;
    const expiry = first.expiration!.getTime();
    const samples: Sample[] = [];
    const tally = newTally(samples);
    const times = [
      ...range(expiry - c.fromBeforeExpiryMs, expiry - c.fineFromBeforeExpiryMs - c.stepMs, c.coarseStepMs),
      ...range(expiry - c.fineFromBeforeExpiryMs, expiry + c.toAfterExpiryMs, c.stepMs),
    ];
    await walk(b, impl, handler, identity, times, { perStep: c.callersPerStep, spacingMs: c.spacingMs }, tally);
    const renewed = samples.find((x) => x.accessKeyId !== undefined && x.accessKeyId !== first.accessKeyId);
    const minutesBefore = (at: number): number => Math.round(((expiry - at) / MINUTE) * 100) / 100;
    const calls = b.sts.calls.slice(before).filter((x) => x.operation === operation);
    return {
      ...rowOf(impl),
      callers: tally.callers,
      waitedGe10ms: tally.waitedGe10ms,
      maxWaitMs: tally.maxWaitMs,
      errors: tally.errors,
      expiredHandedOut: tally.expiredHandedOut,
      sourceCalls: calls.length,
      credentialsSeen: tally.keys.length,
      firstRenewedMinutesBeforeExpiry: renewed === undefined ? null : minutesBefore(renewed.atMs),
      sourceCallsMinutesBeforeExpiry: calls.map((x) => minutesBefore(x.time)),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 3. The source down from the first credentials on, through every refresh window, until expiry.

export const SOURCE_OUTAGE = {
  faults: ['unavailable (503) for half the requests, drawn from a seeded generator', 'server-error (500) for the rest'],
  /** Every request of the endpoint fails: `imds:*` (token, role name, credentials), `container:*`. */
  operations: OUTAGE_OPERATION,
  fromBeforeExpiryMs: 62 * MINUTE,
  /** Last step while the credentials are valid: 5 s before expiry. */
  toBeforeExpiryMs: 5 * SECOND,
  stepMs: 30 * SECOND,
  callersPerStep: 3,
  spacingMs: 20,
  /** Informational, after the walk: the outage outlasts the credentials; steps at these ms after expiry. */
  afterExpiryMs: [30 * SECOND, 60 * SECOND, 90 * SECOND, 120 * SECOND],
};

export interface SourceOutageResult extends SourceRow {
  readonly callers: number;
  /** Errors handed to callers while the credentials they could have been served were valid. */
  readonly errors: number;
  /** Callers served the credentials issued before the outage. */
  readonly servedCached: number;
  /** Credentials handed out at or past their expiration as issued (see `movedExpirations`). */
  readonly expiredHandedOut: number;
  readonly firstErrorMinutesBeforeExpiry: number | null;
  /** Requests to the source's endpoint during the outage (all failed). */
  readonly endpointCalls: number;
  /** Answers whose expiration was not the one the credentials were issued with (the SDK's static stability). */
  readonly movedExpirations: number;
  /** Informational: the outage outlasting the credentials, callers in the 2 minutes after expiry. */
  readonly afterExpiry: { readonly callers: number; readonly errors: number; readonly expiredHandedOut: number };
}

export async function runSourceOutage(b: Bench, impl: SourceImpl): Promise<SourceOutageResult> {
  const c = SOURCE_OUTAGE;
  return withClient(b, impl, async (client, handler) => {
    const issued = new IssuedExpirations();
    const identity = issued.wrap(client);
    const first = await identity();
    await settleSources(b.warp, b.http, handler, impl.ours);
    const operation = OUTAGE_OPERATION[impl.source];
    b.sts.injectFault({ kind: 'unavailable', operation, rate: 0.5 });
    b.sts.injectFault({ kind: 'server-error', operation, count: Number.POSITIVE_INFINITY });
    const before = endpointCalls(b.sts, impl.source);
    const expiry = first.expiration!.getTime();
    const times = range(expiry - c.fromBeforeExpiryMs, expiry - c.toBeforeExpiryMs, c.stepMs);
    if (times[times.length - 1] !== expiry - c.toBeforeExpiryMs) times.push(expiry - c.toBeforeExpiryMs);
    const step = { perStep: c.callersPerStep, spacingMs: c.spacingMs };
    const tally = newTally();
    let firstErrorAt: number | undefined;
    for (const t of times) {
      const errorsBefore = tally.errors;
      await walk(b, impl, handler, identity, [t], step, tally);
      if (firstErrorAt === undefined && tally.errors > errorsBefore) firstErrorAt = t;
    }
    const calls = endpointCalls(b.sts, impl.source) - before;
    const moved = issued.moved;
    const after = newTally();
    await walk(
      b,
      impl,
      handler,
      identity,
      c.afterExpiryMs.map((ms) => expiry + ms),
      step,
      after,
    );
    return {
      ...rowOf(impl),
      callers: tally.callers,
      errors: tally.errors,
      servedCached: tally.perKey[first.accessKeyId] ?? 0,
      expiredHandedOut: tally.expiredHandedOut,
      firstErrorMinutesBeforeExpiry:
        firstErrorAt === undefined ? null : Math.round(((expiry - firstErrorAt) / MINUTE) * 10) / 10,
      endpointCalls: calls,
      movedExpirations: moved,
      afterExpiry: { callers: after.callers, errors: after.errors, expiredHandedOut: after.expiredHandedOut },
    };
  });
}
