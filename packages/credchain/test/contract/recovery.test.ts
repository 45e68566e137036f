import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { observe, until, useFakeTimers } from '@credchain/testkit';
import { callsOf, localConfig, useStsLocal } from '@credchain/testkit/sts-local';

import { withCredentialRecovery } from '../../src';
import { CASES, buildLive } from './cases';

// What every provider promises about credentials a service rejects (issue 12): it is marked memoized, so
// an SDK client asks it on every request instead of caching in front of it; invalidate(accessKeyId) drops
// exactly the rejected credentials; and with withCredentialRecovery a client whose session sts-local
// revoked recovers on the request that met the rejection.

const sts = useStsLocal();
beforeEach(() => useFakeTimers());
afterEach(() => jest.useRealTimers());

/** The key that signed each GetCallerIdentity call, and how sts-local answered it. */
const signed = () => callsOf(sts(), 'GetCallerIdentity').map((call) => [call.accessKeyId, call.outcome]);

describe.each(CASES)('$factory', (c) => {
  test('is marked memoized: a client signs with what the provider holds now, not a copy of its own', async () => {
    const target = { sts: sts() };
    using provider = await buildLive(c, target);
    expect(provider.memoized).toBe(true);
    const client = new STSClient({ ...localConfig(sts()), credentials: provider, maxAttempts: 1 });
    try {
      await client.send(new GetCallerIdentityCommand({}));
      const first = (await provider()).accessKeyId;
      expect(provider.invalidate(first)).toBe(true);
      await client.send(new GetCallerIdentityCommand({}));
      const second = (await provider()).accessKeyId;
      expect(second).not.toBe(first);
      expect(signed()).toEqual([
        [first, 'success'],
        [second, 'success'],
      ]);
    } finally {
      client.destroy();
    }
  });

  test('invalidate drops only the rejected credentials: one fetch follows, an old key changes nothing', async () => {
    const seen = observe();
    using provider = await buildLive(c, { sts: sts() }, seen.onEvent);
    const first = await provider();
    expect(provider.invalidate(first.accessKeyId, 'ExpiredToken')).toBe(true);
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a.accessKeyId).not.toBe(first.accessKeyId);
    expect(b.accessKeyId).toBe(a.accessKeyId);
    expect(provider.invalidate(first.accessKeyId, 'ExpiredToken')).toBe(false);
    expect((await provider()).accessKeyId).toBe(a.accessKeyId);
    expect(callsOf(sts(), c.operation)).toHaveLength(2);
    await until(seen.settled);
    expect(seen.events.filter((e) => e.type === 'credentials-rejected')).toEqual([
      expect.objectContaining({ code: 'ExpiredToken' }),
    ]);
  });

  test('a session sts-local revoked: withCredentialRecovery refreshes once and the request succeeds', async () => {
    using provider = await buildLive(c, { sts: sts() });
    const client = withCredentialRecovery(
      new STSClient({ ...localConfig(sts()), credentials: provider, maxAttempts: 1 }),
    );
    try {
      await client.send(new GetCallerIdentityCommand({}));
      const revoked = (await provider()).accessKeyId;
      expect(sts().revokeSession(revoked)).toBe(true);
      await client.send(new GetCallerIdentityCommand({}));
      const renewed = (await provider()).accessKeyId;
      expect(signed()).toEqual([
        [revoked, 'success'],
        [revoked, 'error'],
        [renewed, 'success'],
      ]);
      expect(callsOf(sts(), c.operation)).toHaveLength(2);
    } finally {
      client.destroy();
    }
  });
});
