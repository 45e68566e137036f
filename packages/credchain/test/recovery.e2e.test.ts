import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { observe, until, useFakeTimers } from '@credchain/testkit';
import { ALICE, callsOf, localConfig, roleArn, useStsLocal } from '@credchain/testkit/sts-local';

import { credentialRecoveryPlugin, fromAssumeRole, withCredentialRecovery } from '../src';
import type { CredentialProvider } from '../src';

// End to end (issue 12): credchain's credentials in a real STSClient against sts-local, GetCallerIdentity
// standing for any service. sts-local revokes the session mid-run (revokeSession: InvalidClientTokenId,
// as STS answers for a token it no longer accepts) or revokes the role's sessions (AccessDenied, explicit
// deny). Jest's fake timers move the provider, the SDK and sts-local together.

const sts = useStsLocal();
beforeEach(() => useFakeTimers());
afterEach(() => jest.useRealTimers());

const SECOND = 1_000;

function provider(onEvent?: ReturnType<typeof observe>['onEvent']): CredentialProvider {
  return fromAssumeRole({
    params: { RoleArn: roleArn('demo-role'), RoleSessionName: 'recovery', DurationSeconds: 3600 },
    sourceCredentials: { ...ALICE },
    clientConfig: { ...localConfig(sts()), maxAttempts: 1 },
    ...(onEvent === undefined ? {} : { onEvent }),
  });
}

function client(credentials: CredentialProvider): STSClient {
  return new STSClient({ ...localConfig(sts()), credentials, maxAttempts: 1 });
}

const whoAmI = (c: STSClient) => c.send(new GetCallerIdentityCommand({}));
const assumed = () => callsOf(sts(), 'AssumeRole').filter((call) => call.params.RoleArn === roleArn('demo-role'));
const identityCalls = () => callsOf(sts(), 'GetCallerIdentity');

/**
 * A daemon calling the "service" every 10 s for 30 minutes; sts-local revokes its session at minute 5.
 * Returns how many requests failed.
 */
async function revokedMidRun(c: STSClient, p: CredentialProvider): Promise<number> {
  let failed = 0;
  for (let tick = 0; tick < 180; tick++) {
    if (tick === 30) expect(sts().revokeSession((await p()).accessKeyId)).toBe(true);
    await whoAmI(c).catch(() => failed++);
    await jest.advanceTimersByTimeAsync(10 * SECOND);
  }
  return failed;
}

describe('a session revoked mid-run', () => {
  test('with the plugin: no request fails; one refresh, and the rejected request is sent once more', async () => {
    const seen = observe();
    using p = provider(seen.onEvent);
    const c = client(p);
    c.middlewareStack.use(credentialRecoveryPlugin(p));
    try {
      expect(await revokedMidRun(c, p)).toBe(0);
    } finally {
      c.destroy();
    }
    expect(assumed()).toHaveLength(2);
    expect(identityCalls()).toHaveLength(181);
    expect(identityCalls().filter((call) => call.outcome === 'error')).toEqual([
      expect.objectContaining({ errorCode: 'InvalidClientTokenId' }),
    ]);
    await until(seen.settled);
    expect(seen.events.filter((e) => e.type === 'credentials-rejected')).toEqual([
      expect.objectContaining({ provider: 'assume-role', code: 'InvalidClientTokenId' }),
    ]);
  });

  test('without the plugin: every request fails until the provider refreshes on its own schedule', async () => {
    using p = provider();
    const c = client(p);
    try {
      // 1-hour credentials: the engine's own refresh is 44 minutes away or more; all 150 later requests fail.
      expect(await revokedMidRun(c, p)).toBe(150);
    } finally {
      c.destroy();
    }
    expect(assumed()).toHaveLength(1);
  });
});

test('1,000 concurrent requests rejected together cause one refresh, and all succeed on their retry', async () => {
  using p = provider();
  const c = withCredentialRecovery(client(p));
  try {
    await whoAmI(c);
    sts().revokeSession((await p()).accessKeyId);
    const results = await Promise.all(Array.from({ length: 1_000 }, () => whoAmI(c)));
    expect(results.every((r) => r.Arn?.includes('assumed-role/demo-role/recovery') === true)).toBe(true);
  } finally {
    c.destroy();
  }
  expect(assumed()).toHaveLength(2);
  expect(identityCalls().filter((call) => call.outcome === 'error')).toHaveLength(1_000);
  expect(identityCalls().filter((call) => call.outcome === 'success')).toHaveLength(1_001);
});

test("AccessDenied (the role's sessions revoked by policy) is not retried and refreshes nothing", async () => {
  using p = provider();
  const c = withCredentialRecovery(client(p));
  try {
    await whoAmI(c);
    await jest.advanceTimersByTimeAsync(SECOND);
    sts().revokeRoleSessions(roleArn('demo-role'));
    const chained = c.send(new AssumeRoleCommand({ RoleArn: roleArn('chained-role'), RoleSessionName: 'denied' }));
    await expect(chained).rejects.toMatchObject({ name: 'AccessDenied' });
  } finally {
    c.destroy();
  }
  expect(assumed()).toHaveLength(1);
  expect(callsOf(sts(), 'AssumeRole').filter((call) => call.params.RoleArn === roleArn('chained-role'))).toHaveLength(
    1,
  );
});

test('a key a refresh already replaced: no invalidation, no second refresh, the request is just retried', async () => {
  const seen = observe();
  using p = provider(seen.onEvent);
  // The first request is signed with the first key; while it is on the way the provider refreshes and
  // sts-local revokes the old session, so it arrives rejected with a key that is no longer cached.
  const c = withCredentialRecovery(client(p));
  const handler = c.config.requestHandler;
  const send = handler.handle.bind(handler);
  let raced = false;
  handler.handle = async (...args: Parameters<typeof send>) => {
    // The provider inherits this handler from the client (callerClientConfig): its AssumeRole goes
    // through here too, and must not wait on itself.
    const body: unknown = (args[0] as { body?: unknown }).body;
    if (!raced && String(body).includes('Action=GetCallerIdentity')) {
      raced = true;
      const old = (await p()).accessKeyId;
      await p.refresh();
      sts().revokeSession(old);
    }
    return send(...args);
  };
  try {
    await expect(whoAmI(c)).resolves.toMatchObject({ Arn: expect.stringContaining('demo-role/recovery') as unknown });
  } finally {
    c.destroy();
  }
  expect(assumed()).toHaveLength(2);
  expect(identityCalls().map((call) => call.outcome)).toEqual(['error', 'success']);
  await until(seen.settled);
  expect(seen.events.filter((e) => e.type === 'credentials-rejected')).toEqual([]);
});
