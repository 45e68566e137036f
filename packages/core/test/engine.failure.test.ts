import { CredentialsExpiredError, createRefreshingProvider } from '../src';
import type { CredentialEvent, RefreshFailureEvent, TemporaryCredentials } from '../src';
import { HOUR, MINUTE, SECOND, T0, makeCreds, nextTurn, stsError } from './helpers';

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** A fetch that succeeds once, then fails with `error` until `recover()` is called. */
function failingAfterFirst(error: () => Error) {
  let calls = 0;
  let healthy = false;
  const fetch = jest.fn(async () => {
    calls += 1;
    if (calls === 1 || healthy) return makeCreds(HOUR);
    throw error();
  });
  return { fetch, recover: () => (healthy = true) };
}

function collect() {
  const events: CredentialEvent[] = [];
  return { events, onEvent: (e: CredentialEvent) => events.push(e) };
}

describe('when STS fails', () => {
  test('a fetch failing for the whole advisory and mandatory windows is invisible to callers', async () => {
    const { fetch } = failingAfterFirst(() => stsError('Throttling', 'Rate exceeded'));
    const { events, onEvent } = collect();
    const provider = createRefreshingProvider(fetch, { onEvent });
    const first = await provider();

    const errors: unknown[] = [];
    const served: TemporaryCredentials[] = [];
    // A caller every 10 s until one second before expiry.
    while (Date.now() < first.expiration.getTime() - SECOND) {
      await jest.advanceTimersByTimeAsync(10 * SECOND);
      if (Date.now() >= first.expiration.getTime()) break;
      await provider().then(
        (c) => served.push(c),
        (e: unknown) => errors.push(e),
      );
    }
    expect(errors).toEqual([]);
    expect(served.length).toBeGreaterThan(300);
    expect(served.every((c) => c.accessKeyId === first.accessKeyId)).toBe(true);
    expect(events.filter((e) => e.type === 'refresh-failure').length).toBeGreaterThan(5);
    expect(events.some((e) => e.type === 'served-stale')).toBe(true);
    provider.close();
  });

  test('callers get an error only after expiry, and it carries the cause', async () => {
    const { fetch } = failingAfterFirst(() => stsError('Throttling', 'Rate exceeded'));
    const provider = createRefreshingProvider(fetch);
    const first = await provider();

    jest.setSystemTime(first.expiration.getTime() - SECOND);
    await nextTurn();
    await expect(provider()).resolves.toMatchObject({ accessKeyId: first.accessKeyId });

    await jest.advanceTimersByTimeAsync(2 * SECOND);
    const error = await provider().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CredentialsExpiredError);
    expect((error as Error).message).toMatch(/expired at .* Throttling: Rate exceeded/);
    expect(((error as Error).cause as Error).name).toBe('Throttling');
    provider.close();
  });

  test('background retries back off exponentially with jitter, bounded by maxDelayMs', async () => {
    const { fetch } = failingAfterFirst(() => stsError('ServiceUnavailable'));
    const { events, onEvent } = collect();
    const minDelayMs = SECOND;
    const maxDelayMs = 30 * SECOND;
    const provider = createRefreshingProvider(fetch, {
      onEvent,
      refresh: { jitter: 0 },
      retry: { minDelayMs, maxDelayMs },
    });
    const first = await provider();
    // Let the background loop run through the advisory window without any caller.
    await jest.advanceTimersByTimeAsync(first.expiration.getTime() - MINUTE - Date.now() - SECOND);

    const starts = events.filter((e) => e.type === 'refresh-start' && e.reason !== 'initial').map((e) => e.at);
    expect(starts.length).toBeGreaterThan(8);
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
    gaps.forEach((gap, k) => {
      const base = minDelayMs * 2 ** k;
      expect(gap).toBeGreaterThanOrEqual(Math.min(base, maxDelayMs));
      expect(gap).toBeLessThanOrEqual(Math.min(2 * base, maxDelayMs));
    });
    expect(gaps.slice(-3).every((gap) => gap === maxDelayMs)).toBe(true);
    // 15 minutes of failures: a bounded number of attempts, no tight loop.
    expect(starts.length).toBeLessThan(15 * 2 + 10);
    provider.close();
  });

  test('an error STS marks final is not retried in the background', async () => {
    const { fetch } = failingAfterFirst(() => stsError('AccessDenied', 'not authorized to perform sts:AssumeRole'));
    const { events, onEvent } = collect();
    const provider = createRefreshingProvider(fetch, { onEvent });
    const first = await provider();

    const errors: unknown[] = [];
    while (Date.now() < first.expiration.getTime() - 5 * SECOND) {
      await jest.advanceTimersByTimeAsync(5 * SECOND);
      await provider().catch((e: unknown) => errors.push(e));
    }
    expect(errors).toEqual([]);
    const attempts = events.filter((e) => e.type === 'refresh-start' && e.reason !== 'initial');
    // One in the advisory window, one more on entering the mandatory window; nothing else.
    const reasons = attempts.map((e) => (e as { reason: string }).reason);
    expect(reasons).toHaveLength(2);
    expect(['timer', 'advisory']).toContain(reasons[0]);
    expect(reasons[1]).toBe('mandatory');
    const failures = events.filter((e): e is RefreshFailureEvent => e.type === 'refresh-failure');
    expect(failures.every((e) => e.final)).toBe(true);
    provider.close();
  });

  test('after expiry, callers fail fast while the background loop waits out its backoff', async () => {
    const { fetch, recover } = failingAfterFirst(() => stsError('InternalFailure'));
    const provider = createRefreshingProvider(fetch, {
      refresh: { background: false },
      retry: { minDelayMs: 10 * SECOND, maxDelayMs: 10 * SECOND },
    });
    const first = await provider();
    jest.setSystemTime(first.expiration.getTime() + SECOND);
    await nextTurn();

    await expect(provider()).rejects.toThrow(CredentialsExpiredError);
    const callsAfterFirstFailure = fetch.mock.calls.length;
    // Within the backoff: no new STS call per caller.
    for (let i = 0; i < 20; i++) await expect(provider()).rejects.toThrow(CredentialsExpiredError);
    expect(fetch.mock.calls.length).toBe(callsAfterFirstFailure);

    recover();
    await jest.advanceTimersByTimeAsync(20 * SECOND);
    const renewed = await provider();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(renewed.expiration.getTime()).toBeGreaterThan(Date.now());
    provider.close();
  });

  test('a fetch that throws instead of rejecting fails that call only', async () => {
    let broken = true;
    const fetch = jest.fn((): Promise<TemporaryCredentials> => {
      if (broken) throw new Error('fetch threw');
      return Promise.resolve(makeCreds());
    });
    const provider = createRefreshingProvider(fetch);
    await expect(provider()).rejects.toThrow('fetch threw');
    broken = false;
    await expect(provider()).resolves.toHaveProperty('accessKeyId');
    expect(fetch).toHaveBeenCalledTimes(2);
    provider.close();
  });

  test('a listener that throws does not break the provider', async () => {
    const provider = createRefreshingProvider(async () => makeCreds(), {
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    await expect(provider()).resolves.toHaveProperty('accessKeyId');
    provider.close();
  });
});

describe('suspend and stalls: expired credentials are never handed out', () => {
  test('after the wall clock jumps past expiry with no timer fired, the next call fetches anew', async () => {
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch);
    const first = await provider();
    await provider(); // a reading taken and reused on the hot path

    // The machine sleeps for two hours: the wall clock moves, Node's timers do not.
    jest.setSystemTime(T0 + 2 * HOUR);
    await nextTurn();
    const after = await provider();
    expect(after.accessKeyId).not.toBe(first.accessKeyId);
    expect(after.expiration.getTime()).toBeGreaterThan(Date.now());
    expect(fetch).toHaveBeenCalledTimes(2);
    provider.close();
  });

  test('waking inside the mandatory window waits for new credentials instead of serving the old', async () => {
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch);
    const first = await provider();
    jest.setSystemTime(first.expiration.getTime() - 20 * SECOND);
    await nextTurn();
    const after = await provider();
    expect(after.accessKeyId).not.toBe(first.accessKeyId);
    provider.close();
  });

  test('waking inside the advisory window serves the cached credentials and refreshes in the background', async () => {
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const { events, onEvent } = collect();
    const provider = createRefreshingProvider(fetch, { onEvent });
    const first = await provider();
    jest.setSystemTime(first.expiration.getTime() - 5 * MINUTE);
    await nextTurn();
    expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    expect(events.some((e) => e.type === 'refresh-start' && e.reason === 'advisory')).toBe(true);
    await nextTurn();
    expect((await provider()).accessKeyId).not.toBe(first.accessKeyId);
    provider.close();
  });
});

describe('close', () => {
  test('stops background refreshes; calls still fetch on demand', async () => {
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch);
    await provider();
    provider.close();
    await jest.advanceTimersByTimeAsync(HOUR - 30 * SECOND);
    expect(fetch).toHaveBeenCalledTimes(1);
    await provider();
    expect(fetch).toHaveBeenCalledTimes(2);
    provider[Symbol.dispose]();
  });
});

describe('logging', () => {
  test('each decision leaves a debug breadcrumb that names the provider and the reason', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: unknown) => lines.push(String(m)),
      info: () => undefined,
      warn: (m: unknown) => lines.push(String(m)),
      error: () => undefined,
    };
    const provider = createRefreshingProvider(async () => makeCreds(HOUR), { name: 'assume-role', logger });
    const first = await provider();
    jest.setSystemTime(first.expiration.getTime() - 412 * SECOND - MINUTE);
    await nextTurn();
    await provider();
    expect(lines).toContain('credchain:assume-role - fetching (no cached credentials, attempt 1)');
    expect(lines).toContain('credchain:assume-role - refreshing (advisory window, 472 s left)');
    provider.close();
  });
});

describe('one long event-loop turn', () => {
  test('a clock reading is reused for at most 8 calls, even if the turn never ends', async () => {
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch, { refresh: { background: false } });
    const first = await provider();
    await nextTurn();
    await provider(); // takes a reading in this turn

    // CPU-bound work in the same turn: the wall clock passes expiry, no timer or immediate runs.
    jest.setSystemTime(first.expiration.getTime() + MINUTE);
    const served: string[] = [];
    for (let i = 0; i < 40; i++) served.push((await provider()).accessKeyId);
    const stale = served.filter((id) => id === first.accessKeyId).length;
    expect(stale).toBeLessThan(8);
    expect(served[served.length - 1]).not.toBe(first.accessKeyId);
    expect(fetch).toHaveBeenCalledTimes(2);
    provider.close();
  });
});
