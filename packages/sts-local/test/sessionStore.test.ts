import { EXPIRED_SESSION_RETENTION_MS, SessionStore } from '../src/model/SessionStore';
import type { Caller } from '../src/model/Caller';

const caller = (accessKeyId: string, expiration: number): Caller => ({
  origin: 'role-session',
  account: '111122223333',
  arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
  userId: 'AROAEXAMPLE:s',
  isRootUser: false,
  mfaAuthenticated: false,
  transitiveTags: [],
  accessKeyId,
  expiration,
});

describe('SessionStore', () => {
  test('a server running for weeks forgets sessions a day after they expired, and keeps the rest', () => {
    const store = new SessionStore();
    const start = Date.UTC(2031, 0, 1);
    const old = store.issue('111122223333', start, 3600_000, caller);
    // Three days of one-hour sessions, one every 10 minutes: the sweep runs as they are issued.
    let now = start;
    let latest = old;
    for (let i = 0; i < 3 * 24 * 6; i++) {
      now += 600_000;
      latest = store.issue('111122223333', now, 3600_000, caller);
    }
    store.sweep(now);
    expect(store.get(old.accessKeyId)).toBeUndefined();
    expect(store.get(latest.accessKeyId)).toBe(latest);
    // Kept: everything that expired less than the retention ago (answers ExpiredToken, not InvalidClientTokenId).
    const kept = store.size();
    const expectedKept = Math.floor((EXPIRED_SESSION_RETENTION_MS + 3600_000) / 600_000) + 1;
    expect(kept).toBeGreaterThanOrEqual(expectedKept - 1);
    expect(kept).toBeLessThanOrEqual(expectedKept + 1);
  });
});
