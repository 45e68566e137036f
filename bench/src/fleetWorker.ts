/**
 * One process of the fleet bench (fleet.ts forks 32 of them): `ROLES` AssumeRole providers over one
 * source, each called by a steady caller every `CALL_MS`, sharing credentials through the store the
 * parent names (none, Redis, the AWS CLI file cache). Reports over IPC what callers saw.
 */
import { fromAssumeRole } from '@credchain/assume-role';
import type { CredentialEvent, CredentialProvider, CredentialStore } from '@credchain/core';
import { awsCliCacheStore } from '@credchain/profile';
import { createRedisStore } from '@credchain/redis';

import { ALICE, DEMO_ROLE_ARN, REGION } from './stsBench';

export interface WorkerReport {
  readonly calls: number;
  /** Calls that rejected while the provider held credentials that had not expired. */
  readonly errorsWhileValid: number;
  /** Calls that rejected with no valid credentials anywhere in the process. */
  readonly errorsOther: number;
  /** Credentials handed out that had already expired. */
  readonly expiredHandedOut: number;
  /** Refreshes that took credentials from the store. */
  readonly storeHits: number;
  readonly storeErrors: number;
  /** Store errors by action, kind and the start of their message (what the store steps ran into). */
  readonly storeErrorKinds: Readonly<Record<string, number>>;
  /** Fetches that waited lockWaitMs for a lock's holder and then called STS themselves. */
  readonly gaveUpWaiting: number;
  /** Epoch ms of each store hit (to see when sharing resumes after an outage). */
  readonly hitTimes: readonly number[];
  /** Durations of refreshes a caller waited for (first credentials, mandatory window), store steps included, ms. */
  readonly refreshMs: readonly number[];
  /**
   * Durations of background refreshes (callers served meanwhile), ms: with a store they include the wait
   * for the fleet's shared refresh point.
   */
  readonly backgroundMs: readonly number[];
}

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`fleet worker: ${name} is not set`);
  return value;
};

function storeOf(kind: string): CredentialStore | undefined {
  if (kind === 'redis') {
    return createRedisStore({ url: env('REDIS_URL'), encryptionKey: Buffer.from(env('ENCRYPTION_KEY'), 'base64') });
  }
  if (kind === 'file') return awsCliCacheStore({ dir: env('CACHE_DIR') });
  return undefined;
}

async function main(): Promise<void> {
  const roles = Number(env('ROLES'));
  const runMs = Number(env('RUN_MS'));
  const callMs = Number(env('CALL_MS'));
  const worker = Number(env('WORKER'));
  const store = storeOf(env('STORE'));
  const report = {
    calls: 0,
    errorsWhileValid: 0,
    errorsOther: 0,
    expiredHandedOut: 0,
    storeHits: 0,
    storeErrors: 0,
    storeErrorKinds: {} as Record<string, number>,
    gaveUpWaiting: 0,
    hitTimes: [] as number[],
    refreshMs: [] as number[],
    backgroundMs: [] as number[],
  };
  const onEvent = (event: CredentialEvent): void => {
    if (event.type === 'store-hit') {
      report.storeHits++;
      report.hitTimes.push(event.at);
    } else if (event.type === 'store-error') {
      report.storeErrors++;
      const what = `${event.action} ${event.kind}: ${event.message.replace(/[0-9a-f]{16,}/g, '…').slice(0, 60)}`;
      report.storeErrorKinds[what] = (report.storeErrorKinds[what] ?? 0) + 1;
    } else if (event.type === 'refresh-success') {
      const background = event.reason === 'advisory' || event.reason === 'timer' || event.reason === 'retry';
      (background ? report.backgroundMs : report.refreshMs).push(event.durationMs);
    }
  };
  const providers: CredentialProvider[] = [];
  for (let i = 0; i < roles; i++) {
    providers.push(
      fromAssumeRole({
        params: { RoleArn: DEMO_ROLE_ARN, RoleSessionName: `fleet-role-${i}`, DurationSeconds: 900 },
        sourceCredentials: ALICE,
        clientConfig: { endpoint: env('STS_ENDPOINT'), region: REGION },
        // Lifetimes are scaled down (sts-local --time-scale): a 1-second mandatory window fits them.
        refresh: { mandatoryWindowMs: 1_000 },
        retry: { minDelayMs: 200, maxDelayMs: 2_000 },
        onEvent,
        // Only to count the fetches that gave up waiting for a lock's holder (a debug line).
        logger: {
          debug: (line: unknown) => {
            if (typeof line === 'string' && line.includes('no entry after waiting')) report.gaveUpWaiting++;
          },
          info: () => undefined,
          warn: () => undefined,
          error: () => undefined,
        },
        ...(store === undefined ? {} : { store }),
      }),
    );
  }
  const lastGood = new Map<number, number>();
  const callOne = async (i: number): Promise<void> => {
    report.calls++;
    try {
      const creds = await providers[i]!();
      if (creds.expiration.getTime() <= Date.now()) report.expiredHandedOut++;
      lastGood.set(i, creds.expiration.getTime());
    } catch {
      if ((lastGood.get(i) ?? 0) > Date.now()) report.errorsWhileValid++;
      else report.errorsOther++;
    }
  };
  const end = Date.now() + runMs;
  // Steady callers, spread over the interval so that the fleet does not call in step.
  await Promise.all(
    providers.map(async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, ((i + worker * 7) % roles) * (callMs / roles)));
      while (Date.now() < end) {
        await callOne(i);
        await new Promise((resolve) => setTimeout(resolve, callMs));
      }
    }),
  );
  for (const provider of providers) provider.close();
  // Reported before the store closes: a closing client may leave nothing to keep the process alive, and a
  // process whose event loop empties exits without a word.
  process.send!(report satisfies WorkerReport, () => {
    const closing = (store as { close?: () => Promise<void> } | undefined)?.close?.();
    void Promise.resolve(closing).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}

main().catch((error: unknown) => {
  console.error('fleet worker failed:', error);
  process.exit(1);
});
