import { observe, until, useFakeTimers } from '@credchain/testkit';
import { callsOf, useStsLocal } from '@credchain/testkit/sts-local';

import { CASES } from './cases';

// What every provider promises about close(): every timer it started stops (the background
// refresh, the retry after a failed one), and nothing is fetched afterwards until someone calls.

const sts = useStsLocal();
beforeEach(() => useFakeTimers());
afterEach(() => {
  sts().clearFaults();
  jest.useRealTimers();
});

const HOUR = 3_600_000;

describe.each(CASES)('$factory', (c) => {
  test('close() stops the background refresh timer: nothing is fetched after it', async () => {
    const provider = c.build(await c.validInit({ sts: sts() }));
    await provider();
    // Control: the provider keeps a timer to refresh 900 s credentials before they expire.
    expect(jest.getTimerCount()).toBeGreaterThan(0);
    provider.close();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(callsOf(sts(), c.operation)).toHaveLength(1);
  });

  test('close() stops the retry timer a failed background refresh left', async () => {
    const seen = observe();
    const provider = c.build({ ...(await c.validInit({ sts: sts() })), onEvent: seen.onEvent });
    await provider();
    sts().injectFault({ kind: 'unavailable', operation: c.operation, count: Number.POSITIVE_INFINITY });
    // 700 s into 900 s credentials: inside the advisory window, before the mandatory one; then the
    // retry under way, if any, is let finish (real I/O, the fake clock standing still).
    await jest.advanceTimersByTimeAsync(700_000);
    await until(seen.settled);
    const failures = seen.events.filter((e) => e.type === 'refresh-failure');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((e) => !e.final)).toBe(true);
    // Control: the engine retries a failure that is not final.
    expect(jest.getTimerCount()).toBeGreaterThan(0);
    const calls = callsOf(sts(), c.operation).length;
    provider.close();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(callsOf(sts(), c.operation)).toHaveLength(calls);
  });

  test('close() while the first fetch is under way: once it lands, no timer is left', async () => {
    const seen = observe();
    const provider = c.build({ ...(await c.validInit({ sts: sts() })), onEvent: seen.onEvent });
    const pending = provider();
    provider.close();
    await pending;
    await until(seen.settled);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(callsOf(sts(), c.operation)).toHaveLength(1);
  });
});
