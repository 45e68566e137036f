import { MIN_SECONDS, runDaemon } from '../src';
import type { DaemonSummary, RunDaemonOptions } from '../src';

// The demo's own loop in fake time: jest's timers move Date, performance and setTimeout, so
// sts-local's clock, its injected STS latency, the providers' refresh timers and the demo's
// latency measurements all run on one fake clock, while sockets (nextTick, setImmediate) stay real.
const FAKE_TIMERS: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
};

/** Runs the demo, advancing fake time in small steps and letting real I/O through between them. */
async function inFakeTime(
  options: Omit<RunDaemonOptions, 'log'>,
): Promise<{ summary: DaemonSummary; lines: string[] }> {
  const lines: string[] = [];
  let outcome: { summary: DaemonSummary } | { error: unknown } | undefined;
  runDaemon({ ...options, log: (line) => lines.push(line) }).then(
    (summary) => (outcome = { summary }),
    (error: unknown) => (outcome = { error }),
  );
  while (outcome === undefined) {
    await jest.advanceTimersByTimeAsync(5);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if ('error' in outcome) throw outcome.error;
  return { summary: outcome.summary, lines };
}

// Real I/O under fake time: each run takes about a second alone, longer on a loaded machine.

// Each test's fake clock starts a minute after the previous one ended. Started at the real time
// instead, every test replayed the same few TOTP steps, and core's process-wide MFA coordinator,
// which rightly remembers the codes already used, ran out of fresh steps by the fourth test.
let startAt = Date.now();
beforeEach(() => jest.useFakeTimers({ ...FAKE_TIMERS, now: startAt }));
afterEach(() => {
  startAt = Date.now() + 60_000;
  jest.useRealTimers();
});

test(
  'no signed call waits on STS across several background refreshes, ' + 'and sts-local verifies every request',
  async () => {
    const { summary, lines } = await inFakeTime({ durationMs: 15_000 });

    expect(summary.calls).toBeGreaterThan(100);
    expect(summary.failedCalls).toBe(0);
    expect(summary.providerCalls).toBeGreaterThan(50);
    expect(summary.waitedCalls).toBe(0);
    expect(summary.maxProviderLatencyMs).toBeLessThan(10);
    expect(summary.roleRefreshes).toBeGreaterThanOrEqual(2);
    // MFA once: the 12-hour session outlives the run, so its one code serves every role refresh.
    expect(summary.sessionRefreshes).toBe(0);
    expect(summary.mfaPrompts).toBe(1);
    expect(summary.stsCalls).toEqual({
      GetSessionToken: { success: 1, failed: 0 },
      AssumeRole: { success: summary.roleRefreshes + 1, failed: 0 },
      GetCallerIdentity: { success: summary.calls, failed: 0 },
    });
    expect(summary.identitiesChecked).toBe(true);
    expect(summary.ok).toBe(true);
    expect(
      lines.filter(
        (l) => l.includes('assume-role: refreshed (advisory)') || l.includes('assume-role: refreshed (timer)'),
      ),
    ).toHaveLength(summary.roleRefreshes);
  },
);

test('the summary catches waiting: without background refresh, callers wait out the STS latency', async () => {
  const { summary } = await inFakeTime({ durationMs: 15_000, backgroundRefresh: false });

  expect(summary.failedCalls).toBe(0);
  expect(summary.roleRefreshes).toBeGreaterThanOrEqual(2);
  expect(summary.waitedCalls).toBeGreaterThanOrEqual(summary.roleRefreshes);
  expect(summary.maxProviderLatencyMs).toBeGreaterThanOrEqual(300);
  expect(summary.ok).toBe(false);
});

describe('the shortest run npm start accepts', () => {
  // Every refresh point drawn at the latest the jitter allows: the slowest the refreshes can come.
  beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0.999_999));
  afterEach(() => jest.restoreAllMocks());

  test(`${MIN_SECONDS} s passes even when every refresh comes as late as it may`, async () => {
    const { summary } = await inFakeTime({ durationMs: MIN_SECONDS * 1000 });
    expect(summary.roleRefreshes).toBeGreaterThanOrEqual(2);
    expect(summary.ok).toBe(true);
  });

  test('5 s (the README once offered any value) cannot show two refreshes: why there is a minimum', async () => {
    const { summary } = await inFakeTime({ durationMs: 5_000 });
    expect(summary.failedCalls).toBe(0);
    expect(summary.roleRefreshes).toBeLessThan(2);
    expect(summary.ok).toBe(false);
  });
});
