import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { observe, until, useFakeTimers } from '@credchain/testkit';
import { callsOf, localConfig, useStsLocal } from '@credchain/testkit/sts-local';

import { CASES, buildLive } from './cases';

// What every provider promises about refresh (docs/ARCHITECTURE.md, the engine rules, through a real provider):
// a daemon signing a call every minute never sends an expired key and never waits on STS. Jest's
// fake timers move the provider, the SDK's signer and sts-local (its clock reads Date) together, and
// sts-local refuses anything signed with credentials past their expiration.

const sts = useStsLocal();
beforeEach(() => useFakeTimers());
afterEach(() => jest.useRealTimers());

const MINUTE = 60_000;

describe.each(CASES)('$factory', (c) => {
  test('two hours of signed calls on 15-minute credentials: all accepted, each renewal in the background', async () => {
    const seen = observe();
    const target = { sts: sts() };
    const provider = await buildLive(c, target, seen.onEvent);
    const client = new STSClient({ ...localConfig(sts()), credentials: provider, maxAttempts: 1 });
    try {
      for (let minute = 0; minute < 120; minute++) {
        await client.send(new GetCallerIdentityCommand({}));
        await jest.advanceTimersByTimeAsync(MINUTE);
        await until(seen.settled);
      }
    } finally {
      client.destroy();
      provider.close();
    }
    expect(callsOf(sts(), 'GetCallerIdentity').filter((call) => call.outcome === 'success')).toHaveLength(120);
    const issued = callsOf(sts(), c.operation);
    expect(issued.every((call) => call.outcome === 'success')).toBe(true);
    expect(issued.length).toBeGreaterThanOrEqual(8);
    // Each renewal ran in the advisory window of the credentials before it: after their first five
    // minutes of use (900 s, less the 60 s mandatory window, less the 5-minute advisory window; STS
    // states expirations in whole seconds), and before callers would have had to wait for one.
    for (let i = 1; i < issued.length; i++) {
      const gap = issued[i]!.time - issued[i - 1]!.time;
      expect(gap).toBeGreaterThanOrEqual(539_000);
      expect(gap).toBeLessThan(840_000);
    }
    const reasons = seen.events.flatMap((e) => (e.type === 'refresh-start' ? [e.reason] : []));
    expect(reasons.filter((reason) => reason !== 'timer' && reason !== 'advisory')).toEqual(['initial']);
    expect(seen.events.filter((e) => e.type === 'refresh-failure' || e.type === 'served-stale')).toEqual([]);
  });
});
