/**
 * Scenario 1: the cached hot path. A sequential `await provider()` loop, real timers, real clock.
 *
 * Every implementation gets its own copy of the loop (compiled with `new Function`), so each call
 * site stays monomorphic: with one shared loop, V8 would see several callees at `p()` and every
 * implementation would pay for the others. Rounds are interleaved (a, b, c, d, a, b, …) so that
 * drift of the machine (frequency, the other core's load) spreads over all of them; the median of
 * the rounds is reported.
 */
import { fromEnv } from '@aws-sdk/credential-providers';

import { ours, sdkClientCache, smithyMemoize, type Provider } from './implementations';

export interface HotPathResult {
  readonly id: string;
  readonly label: string;
  readonly reference: boolean;
  readonly nsPerOp: number;
  readonly ratioToFloor: number;
  readonly rounds: number[];
}

interface Candidate {
  readonly id: string;
  readonly label: string;
  /** A reference row: explains the figures, is not one of the four compared implementations. */
  readonly reference: boolean;
  readonly provider: Provider;
}

/** A timed loop: `n` sequential awaits of `p`, reading one field of each answer. */
export type Loop = (p: () => Promise<{ readonly accessKeyId: string }>, n: number) => Promise<number>;

/** A loop of its own per implementation; every part of the bench that times a hot path uses this one. */
export function makeLoop(): Loop {
  // A fresh function literal per implementation: its own feedback vector, its own inline caches.
  // The loop reads one field of what it gets, as a caller signing a request would.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(
    'p',
    'n',
    `return (async () => {
       let sink = 0;
       for (let i = 0; i < n; i++) sink += (await p()).accessKeyId.length;
       return sink;
     })();`,
  ) as Loop;
}

/** The median of timed rounds (the middle two averaged for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const HOUR = 3_600_000;

export async function runHotPath(opts: {
  ops: number;
  rounds: number;
  warmupRounds: number;
}): Promise<HotPathResult[]> {
  const expiration = new Date(Date.now() + HOUR);
  const creds = {
    accessKeyId: 'ASIABENCHMARKEXAMPLE',
    secretAccessKey: 'bench/secret/not/a/real/key/0000000000',
    sessionToken: 'bench-session-token',
    expiration,
  };
  // The SDK's inner provider: fromEnv() resolves locally, and with AWS_CREDENTIAL_EXPIRATION set it
  // yields expiring credentials, so both SDK caches take their "may need refresh" path on each call.
  process.env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
  process.env.AWS_SESSION_TOKEN = creds.sessionToken;
  process.env.AWS_CREDENTIAL_EXPIRATION = expiration.toISOString();

  const oursDefault = ours(async () => ({ ...creds, expiration: new Date(Date.now() + HOUR) }));
  const oursClockEveryCall = ours(async () => ({ ...creds, expiration: new Date(Date.now() + HOUR) }), {
    clock: { now: () => Date.now() },
  });
  const candidates: Candidate[] = [
    { id: 'floor', label: 'floor: async () => creds', reference: false, provider: async () => creds },
    { id: 'ours', label: 'ours: createRefreshingProvider', reference: false, provider: oursDefault },
    {
      id: 'smithy-memoize',
      label: '@smithy/property-provider memoize(fromEnv())',
      reference: false,
      provider: smithyMemoize(fromEnv()),
    },
    {
      id: 'sdk-client-cache',
      label: '@smithy/core memoizeIdentityProvider(fromEnv())',
      reference: false,
      provider: sdkClientCache(fromEnv()),
    },
    {
      id: 'floor-date-now',
      label: '(ref) floor + Date.now() check per call',
      reference: true,
      provider: async () => {
        if (Date.now() >= expiration.getTime()) throw new Error('expired');
        return creds;
      },
    },
    {
      id: 'ours-injected-clock',
      label: '(ref) ours, injected clock: read every call',
      reference: true,
      provider: oursClockEveryCall,
    },
  ];

  const loops = new Map<string, Loop>();
  for (const c of candidates) {
    await c.provider(); // first call: fetch and cache
    loops.set(c.id, makeLoop());
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  const samples = new Map<string, number[]>(candidates.map((c) => [c.id, []]));
  for (let round = 0; round < opts.warmupRounds + opts.rounds; round++) {
    for (const c of candidates) {
      gc?.();
      const loop = loops.get(c.id)!;
      const start = process.hrtime.bigint();
      await loop(c.provider, opts.ops);
      const ns = Number(process.hrtime.bigint() - start) / opts.ops;
      if (round >= opts.warmupRounds) samples.get(c.id)!.push(ns);
    }
  }
  oursDefault.close?.();
  oursClockEveryCall.close?.();

  const floor = median(samples.get('floor')!);
  return candidates.map((c) => {
    const rounds = samples.get(c.id)!;
    const nsPerOp = median(rounds);
    return {
      id: c.id,
      label: c.label,
      reference: c.reference,
      nsPerOp,
      ratioToFloor: nsPerOp / floor,
      rounds: rounds.map((x) => Math.round(x * 10) / 10),
    };
  });
}
