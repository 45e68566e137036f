import { createRefreshingProvider } from '../src';
import type { CredentialEvent, RefreshReason } from '../src';
import { HOUR, MINUTE, SECOND, T0, makeCreds } from './helpers';

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

// 1-hour credentials fetched at T0: a 15-minute advisory window before the 1-minute mandatory one.
const EXPIRES_AT = T0 + HOUR;
const MANDATORY_AT = EXPIRES_AT - MINUTE;
const ADVISORY_AT = MANDATORY_AT - 15 * MINUTE;

/** Refresh starts other than the first fetch: when, and why. */
function refreshStarts() {
  const starts: Array<{ at: number; reason: RefreshReason }> = [];
  const onEvent = (e: CredentialEvent): void => {
    if (e.type === 'refresh-start' && e.reason !== 'initial') starts.push({ at: e.at, reason: e.reason });
  };
  return { starts, onEvent };
}

describe('the refresh point (drawn once per credentials, inside the jittered stretch)', () => {
  test('a caller in the advisory window before the refresh point is served from cache and starts nothing', async () => {
    // The draw lands at 90 % of the jittered stretch: 0.9 × 0.5 × 15 min = 6.75 min into the window.
    jest.spyOn(Math, 'random').mockReturnValue(0.9);
    const refreshAt = ADVISORY_AT + 6.75 * MINUTE;
    const { starts, onEvent } = refreshStarts();
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch, { refresh: { background: false }, onEvent });
    const first = await provider();

    for (const at of [ADVISORY_AT, ADVISORY_AT + MINUTE, refreshAt - SECOND]) {
      jest.setSystemTime(at);
      await jest.advanceTimersByTimeAsync(0);
      expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    }
    expect(starts).toEqual([]);
    expect(fetch).toHaveBeenCalledTimes(1);

    jest.setSystemTime(refreshAt);
    await jest.advanceTimersByTimeAsync(0);
    expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    expect(starts).toEqual([{ at: refreshAt, reason: 'advisory' }]);
    provider.close();
  });

  test('steady callers and the background timer start the refresh at the same drawn point', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.4);
    const refreshAt = ADVISORY_AT + 0.4 * 0.5 * 15 * MINUTE;
    const { starts, onEvent } = refreshStarts();
    const provider = createRefreshingProvider(async () => makeCreds(HOUR), { onEvent });
    await provider();
    // A caller every second, across the whole advisory window.
    while (Date.now() < MANDATORY_AT) {
      await jest.advanceTimersByTimeAsync(SECOND);
      await provider();
    }
    expect(starts).toHaveLength(1);
    expect(starts[0]!.at).toBe(refreshAt);
    provider.close();
  });

  test('a fleet with steady callers spreads its refreshes over the first jitter fraction of the window', async () => {
    const { starts, onEvent } = refreshStarts();
    const fleet = Array.from({ length: 200 }, () =>
      createRefreshingProvider(async () => makeCreds(HOUR), { refresh: { jitter: 0.5 }, onEvent }),
    );
    await Promise.all(fleet.map((p) => p()));
    // Every provider called every 10 s until the mandatory window.
    while (Date.now() < MANDATORY_AT) {
      await jest.advanceTimersByTimeAsync(10 * SECOND);
      await Promise.all(fleet.map((p) => p()));
    }
    expect(starts).toHaveLength(200);
    const offsets = starts.map((s) => s.at - ADVISORY_AT);
    for (const offset of offsets) {
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThanOrEqual(0.5 * 15 * MINUTE);
    }
    // Uniform over 7.5 minutes: each 1.5-minute fifth holds about 40 of the 200 (15 is over 4 σ below).
    for (let fifth = 0; fifth < 5; fifth++) {
      const inFifth = offsets.filter((o) => Math.min(4, Math.floor(o / (1.5 * MINUTE))) === fifth);
      expect(inFifth.length).toBeGreaterThanOrEqual(15);
    }
    fleet.forEach((p) => p.close());
  });
});
