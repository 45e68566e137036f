import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CredentialsExpiredError, StsError } from '@credchain/core';
import { fromAssumeRoot } from '@credchain/assume-root';
import { DEMO_ACCOUNT, DEMO_MEMBER_ACCOUNT } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { observe, rejectionOf, until, useFakeTimers } from '@credchain/testkit';
import { ALICE as MANAGEMENT_USER, localConfig as regional, useStsLocal } from '@credchain/testkit/sts-local';

// Time moves by jest's modern fake timers, which move `Date` too: the provider's engine, the SDK's
// signer and sts-local (whose default clock is Date) all see the same simulated time. nextTick and
// setImmediate stay real so HTTP to sts-local runs while the fake clock stands still. Renewal in the
// background under steady callers is in the contract suite (packages/credchain/test/contract).

const local = useStsLocal();
let sts: StsLocal;
const params = {
  TargetPrincipal: DEMO_MEMBER_ACCOUNT,
  TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
};
const SESSION_MS = 900_000;
const MANDATORY_MS = 60_000;

beforeEach(() => {
  sts = local();
  useFakeTimers();
});
afterEach(() => jest.useRealTimers());

/** A provider whose events are recorded, and whether no fetch is under way. */
function observed(init: Partial<Parameters<typeof fromAssumeRoot>[0]> = {}) {
  const seen = observe();
  const credentials = fromAssumeRoot({
    params,
    sourceCredentials: MANAGEMENT_USER,
    // One attempt per fetch: the SDK's own retry delays would wait on the fake clock.
    clientConfig: { ...regional(sts), maxAttempts: 1 },
    onEvent: seen.onEvent,
    ...init,
  });
  return { credentials, events: seen.events, idle: seen.settled };
}

const assumeRootTimes = () => sts.calls.filter((c) => c.operation === 'AssumeRoot').map((c) => c.time);

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

test('while STS is down, the session is served until it expires, then an error, never an expired key', async () => {
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
  const error = await rejectionOf(credentials());
  expect(error).toBeInstanceOf(StsError);
  expect(error).toMatchObject({ operation: 'AssumeRoot', code: 'ExpiredToken' });
  credentials.close();
});
