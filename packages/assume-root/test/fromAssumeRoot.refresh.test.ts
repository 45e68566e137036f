import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CredentialsExpiredError, StsError } from '@credchain/core';
import type { CredentialEvent } from '@credchain/core';
import { fromAssumeRoot } from '@credchain/assume-root';
import type { StsLocal } from '@credchain/sts-local';
import { FAKE_TIMERS } from '@credchain/testkit';
import { globalDateClock, useStsLocal } from '@credchain/testkit/sts-local';

import { AUDIT_TASK, DEMO_ACCOUNT, DEMO_MEMBER_ACCOUNT, MANAGEMENT_USER, errorOf, regional } from './demoIdentities';

// Time moves by jest's modern fake timers, which move `Date` too: the provider's engine, the SDK's
// signer and sts-local (whose default clock is Date) all see the same simulated time. nextTick and
// setImmediate stay real so HTTP to sts-local runs while the fake clock stands still.

const local = useStsLocal({ clock: globalDateClock });
let sts: StsLocal;
const params = { TargetPrincipal: DEMO_MEMBER_ACCOUNT, TaskPolicyArn: AUDIT_TASK };
const SESSION_MS = 900_000;
const MANDATORY_MS = 60_000;

beforeEach(() => {
  sts = local();
  jest.useFakeTimers(FAKE_TIMERS);
});
afterEach(() => jest.useRealTimers());

/** Lets real I/O run (setImmediate turns) until `condition` holds; no timers, no sleeping. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 50_000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}

/** A provider whose events are recorded, and a count of fetches still under way. */
function observed(init: Partial<Parameters<typeof fromAssumeRoot>[0]> = {}) {
  const events: CredentialEvent[] = [];
  let running = 0;
  const credentials = fromAssumeRoot({
    params,
    sourceCredentials: MANAGEMENT_USER,
    // One attempt per fetch: the SDK's own retry delays would wait on the fake clock.
    clientConfig: { ...regional(sts), maxAttempts: 1 },
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'refresh-start') running++;
      if (e.type === 'refresh-success' || e.type === 'refresh-failure') running--;
    },
    ...init,
  });
  return { credentials, events, idle: () => running === 0 };
}

const assumeRootTimes = () => sts.calls.filter((c) => c.operation === 'AssumeRoot').map((c) => c.time);

test('900 s root sessions are renewed in the background, before the mandatory window, for an hour of signed calls', async () => {
  const { credentials, events, idle } = observed();
  const client = new STSClient({ ...regional(sts), credentials, maxAttempts: 1 });
  const start = Date.now();
  let calls = 0;
  while (Date.now() - start < 3_600_000) {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root`);
    calls++;
    jest.advanceTimersByTime(15_000);
    await until(idle);
  }
  client.destroy();
  credentials.close();

  expect(calls).toBe(240);
  // Every signed call was accepted: sts-local refuses an expired session with ExpiredToken.
  expect(sts.calls.filter((c) => c.outcome !== 'success')).toEqual([]);
  const times = assumeRootTimes();
  expect(times.length).toBeGreaterThanOrEqual(5);
  // Each renewal ran in the advisory window of the session before it: after the first five
  // minutes of use were over, and before callers would have had to wait (the last 60 s).
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    expect(gap).toBeGreaterThanOrEqual(SESSION_MS - MANDATORY_MS - 300_000);
    expect(gap).toBeLessThan(SESSION_MS - MANDATORY_MS);
  }
  const reasons = new Set(
    events.filter((e) => e.type === 'refresh-start').map((e) => (e as { reason: string }).reason),
  );
  expect([...reasons].sort()).toEqual(expect.arrayContaining(['initial']));
  expect(reasons.has('mandatory')).toBe(false);
  expect(reasons.has('expired')).toBe(false);
});

test('an idle process renews too: the background timer alone keeps a root session ready', async () => {
  const { credentials, idle } = observed();
  const first = await credentials();
  for (let t = 0; t < 1_800_000; t += 10_000) {
    jest.advanceTimersByTime(10_000);
    await until(idle);
  }
  const renewals = assumeRootTimes().length;
  expect(renewals).toBeGreaterThanOrEqual(3);
  const now = await credentials();
  expect(now.accessKeyId).not.toBe(first.accessKeyId);
  expect(now.expiration.getTime() - Date.now()).toBeGreaterThan(MANDATORY_MS);
  // Served from the cache: the call made no request.
  expect(assumeRootTimes()).toHaveLength(renewals);
  credentials.close();
});

test('while STS is down, the session is served until it expires, then callers get an error, never an expired key', async () => {
  const { credentials, events, idle } = observed({ retry: { minDelayMs: 5_000, maxDelayMs: 20_000 } });
  const client = new STSClient({ ...regional(sts), credentials, maxAttempts: 1 });
  const issued = await credentials();
  sts.injectFault({ kind: 'unavailable', operation: 'AssumeRoot', count: Number.POSITIVE_INFINITY });
  let accepted = 0;
  let refused: unknown;
  while (refused === undefined) {
    try {
      await client.send(new GetCallerIdentityCommand({}));
      accepted++;
    } catch (error) {
      refused = error;
    }
    jest.advanceTimersByTime(10_000);
    await until(idle);
  }
  sts.clearFaults();
  client.destroy();
  credentials.close();

  // The cached session served every call up to its expiry…
  expect(accepted).toBeGreaterThanOrEqual(Math.floor((SESSION_MS - 10_000) / 10_000));
  expect(events.some((e) => e.type === 'served-stale')).toBe(true);
  // …and after it, the caller got the engine's error with STS's answer as the cause.
  expect(refused).toBeInstanceOf(CredentialsExpiredError);
  expect((refused as Error).cause).toBeInstanceOf(StsError);
  expect(Date.now()).toBeGreaterThanOrEqual(issued.expiration.getTime());
  // Not one request was signed with the expired session.
  const signedWithIt = sts.calls.filter((c) => c.accessKeyId === issued.accessKeyId);
  expect(signedWithIt.length).toBe(accepted);
  expect(signedWithIt.every((c) => c.outcome === 'success' && c.time < issued.expiration.getTime())).toBe(true);
});

test('source credentials that expired: STS answers ExpiredToken, typed', async () => {
  const client = new STSClient({ ...regional(sts), credentials: MANAGEMENT_USER });
  const role = await client.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`,
      RoleSessionName: 'ops',
      DurationSeconds: 900,
    }),
  );
  client.destroy();
  const session = role.Credentials!;
  jest.advanceTimersByTime(SESSION_MS + 1_000);
  const { credentials } = observed({
    sourceCredentials: {
      accessKeyId: session.AccessKeyId!,
      secretAccessKey: session.SecretAccessKey!,
      sessionToken: session.SessionToken!,
    },
  });
  const error = await errorOf(() => credentials());
  expect(error).toBeInstanceOf(StsError);
  expect(error).toMatchObject({ operation: 'AssumeRoot', code: 'ExpiredToken' });
  credentials.close();
});
