import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CredentialEvent, CredentialProvider } from '@credchain/core';
import { installServerTimeMiddleware } from '@credchain/core/provider-kit';
import { ALICE, callsOf, globalDateClock, localConfig, roleArn, useStsLocal } from '@credchain/testkit/sts-local';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RetryStrategyV2, RetryToken } from '@smithy/types';

import { fromAssumeRole } from '../src';

// Engine rule 9 end to end (issue 12): a host whose clock runs behind AWS's. sts-local runs ahead of the
// (fake) local clock; fromAssumeRole's credentials sign a real STSClient's GetCallerIdentity, standing for
// any service, whose signature and session expiry sts-local checks on its own clock. Jest's fake timers
// move the local clock, the provider, the SDK and sts-local together.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 11, 7, 8, 0, 0) + 250;

let skewMs = 10 * MINUTE;
const sts = useStsLocal({ per: 'test', fakeNow: () => START, clock: { now: () => globalDateClock.now() + skewMs } });
afterEach(() => {
  skewMs = 10 * MINUTE;
});

/** The SDK's own HTTP handler, with the `Date` header taken off every answer: STS's clock unseen. */
function withoutDate(): NodeHttpHandler {
  const inner = new NodeHttpHandler();
  return Object.assign(Object.create(inner) as NodeHttpHandler, {
    async handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
      const answer = await inner.handle(...args);
      delete answer.response.headers.date;
      return answer;
    },
  });
}

/**
 * The SDK's retries without their backoff, which would wait on a fake timer: up to 3 attempts, the next at
 * once. The SDK still corrects its signing clock from a SignatureDoesNotMatch answer before retrying.
 */
function immediateRetries(): RetryStrategyV2 {
  const token = (count: number): RetryToken & { getRetryDelay(): number } => ({
    getRetryCount: () => count,
    getRetryDelay: () => 0,
  });
  return {
    acquireInitialRetryToken: () => Promise.resolve(token(0)),
    refreshRetryTokenForRetry: (previous) => {
      const count = previous.getRetryCount() + 1;
      return count < 3 ? Promise.resolve(token(count)) : Promise.reject(new Error('no attempts left'));
    },
    recordSuccess: () => undefined,
  };
}

/**
 * fromAssumeRole on an STSClient of our own, with the server-time middleware (`seesServerTime`) or with
 * STS's clock hidden from it. The advisory window is the SDK's 5 minutes, so that the local clock alone
 * (10 minutes behind) would refresh every session after STS ended it.
 */
function provider(seesServerTime: boolean, onEvent?: (event: CredentialEvent) => void): CredentialProvider {
  const client = new STSClient({
    ...localConfig(sts()),
    credentials: { ...ALICE },
    retryStrategy: immediateRetries(),
    ...(seesServerTime ? {} : { requestHandler: withoutDate() }),
  });
  if (seesServerTime) installServerTimeMiddleware(client);
  return fromAssumeRole({
    params: { RoleArn: roleArn('demo-role'), RoleSessionName: 'skewed-host', DurationSeconds: HOUR / SECOND },
    client,
    refresh: { advisoryWindowMs: 5 * MINUTE },
    ...(onEvent === undefined ? {} : { onEvent }),
  });
}

/** A daemon's requests, one a minute for `hours`: the error names of those that failed. */
async function run(client: STSClient, hours: number): Promise<string[]> {
  const failures: string[] = [];
  for (let minute = 0; minute < hours * 60; minute++) {
    await client.send(new GetCallerIdentityCommand({})).catch((error: Error) => failures.push(error.name));
    await jest.advanceTimersByTimeAsync(MINUTE);
  }
  return failures;
}

const service = (credentials: CredentialProvider): STSClient =>
  new STSClient({ ...localConfig(sts()), credentials, maxAttempts: 1 });

describe('a host whose clock is 10 minutes behind STS, over a simulated day', () => {
  test('no request fails: sessions are refreshed before STS ends them', async () => {
    const events: CredentialEvent[] = [];
    using credentials = provider(true, (event) => events.push(event));
    const client = service(credentials);
    try {
      expect(await run(client, 24)).toEqual([]);
    } finally {
      client.destroy();
    }
    expect(callsOf(sts(), 'GetCallerIdentity').filter((call) => call.outcome === 'error')).toEqual([]);
    // One session per ~55 minutes of STS's time, not one per request.
    expect(callsOf(sts(), 'AssumeRole').length).toBeLessThanOrEqual(27);
    // Learned from the first answer; a later one reports again only when it shows a skew a second or more
    // apart (an answer that took long shows less of it: fake time moves while a background refresh runs).
    const offsets = events.flatMap((event) => (event.type === 'clock-skew' ? [event.offsetMs] : []));
    expect(offsets[0]).toBe(skewMs - 250);
    for (const offset of offsets) expect(skewMs - offset).toBeLessThan(5 * SECOND);
  }, 120_000);

  test('control: with STS’s clock hidden, requests fail with ExpiredToken near every session’s end', async () => {
    using credentials = provider(false);
    const client = service(credentials);
    let failures: string[];
    try {
      failures = await run(client, 24);
    } finally {
      client.destroy();
    }
    // Refreshed 3.5 to 6 minutes before expiry by the local clock: 4 to 6.5 minutes after STS's.
    expect(failures.length).toBeGreaterThanOrEqual(23 * 4);
    expect(new Set(failures)).toEqual(new Set(['ExpiredToken']));
  }, 120_000);
});

test("the engine's offset agrees with the SDK client's own signing correction", async () => {
  skewMs = 20 * MINUTE; // beyond sts-local's 15 minutes: signatures fail until the SDK corrects its clock
  const events: CredentialEvent[] = [];
  using credentials = provider(true, (event) => events.push(event));
  // Retries, as an SDK client has by default: the first attempt's SignatureDoesNotMatch carries the Date.
  const client = new STSClient({ ...localConfig(sts()), credentials, retryStrategy: immediateRetries() });
  try {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toMatch(/assumed-role\/demo-role\/skewed-host$/);
    const learned = events.find((event) => event.type === 'clock-skew');
    expect(learned).toMatchObject({ offsetMs: skewMs - 250 });
    const sdkOffset = await Promise.resolve(client.config.systemClockOffset);
    expect(Math.abs(sdkOffset - (learned as { offsetMs: number }).offsetMs)).toBeLessThanOrEqual(SECOND);
    // Both retried once past the signature check: the provider's AssumeRole and the service request.
    expect(callsOf(sts(), 'AssumeRole').map((call) => call.errorCode ?? call.outcome)).toEqual([
      'SignatureDoesNotMatch',
      'success',
    ]);
  } finally {
    client.destroy();
  }
});
