import { createRefreshingProvider, InvalidCredentialsError, InvalidParameterError } from '../src';
import type { CredentialEvent, TemporaryCredentials } from '../src';
import { HOUR, MINUTE, SECOND, T0, makeCreds, nextTurn, slowFetch } from './helpers';

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('caching and single flight', () => {
  test('does nothing until first called', async () => {
    const fetch = jest.fn(async () => makeCreds());
    const provider = createRefreshingProvider(fetch);
    await jest.advanceTimersByTimeAsync(10 * MINUTE);
    expect(fetch).not.toHaveBeenCalled();
    await provider();
    expect(fetch).toHaveBeenCalledTimes(1);
    provider.close();
  });

  test('fetches at creation when asked to start eagerly', async () => {
    const fetch = jest.fn(async () => makeCreds());
    const provider = createRefreshingProvider(fetch, { refresh: { eager: true } });
    expect(fetch).toHaveBeenCalledTimes(1);
    await provider();
    expect(fetch).toHaveBeenCalledTimes(1);
    provider.close();
  });

  test('10,000 concurrent callers on a cold provider cause exactly one fetch', async () => {
    const fetch = slowFetch(300);
    const provider = createRefreshingProvider(fetch);
    const callers = Array.from({ length: 10_000 }, () => provider());
    await jest.advanceTimersByTimeAsync(300);
    const results = await Promise.all(callers);
    expect(fetch).toHaveBeenCalledTimes(1);
    const keys = new Set(results.map((c) => c.accessKeyId));
    expect(keys.size).toBe(1);
    provider.close();
  });

  test('serves the cached credentials outside both windows without fetching', async () => {
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch, { refresh: { background: false } });
    const first = await provider();
    for (let minute = 1; minute <= 40; minute++) {
      await jest.advanceTimersByTimeAsync(MINUTE);
      expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    }
    expect(fetch).toHaveBeenCalledTimes(1);
    provider.close();
  });

  test('forceRefresh and refresh() fetch now, shared by concurrent callers', async () => {
    const fetch = slowFetch(100);
    const provider = createRefreshingProvider(fetch);
    const first = provider();
    await jest.advanceTimersByTimeAsync(100);
    const original = await first;

    const forced = [provider({ forceRefresh: true }), provider.refresh(), provider({ forceRefresh: true })];
    await jest.advanceTimersByTimeAsync(100);
    const renewed = await Promise.all(forced);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(new Set(renewed.map((c) => c.accessKeyId)).size).toBe(1);
    expect(renewed[0]!.accessKeyId).not.toBe(original.accessKeyId);
    expect((await provider()).accessKeyId).toBe(renewed[0]!.accessKeyId);
    provider.close();
  });
});

describe('the advisory window', () => {
  test('callers get the cached credentials at once while a slow background refresh runs', async () => {
    const fetch = slowFetch(5 * MINUTE);
    const provider = createRefreshingProvider(fetch, { refresh: { background: false } });
    const firstCall = provider();
    await jest.advanceTimersByTimeAsync(5 * MINUTE);
    const first = await firstCall;

    // 1-hour credentials: advisory window 15 min before the 1-min mandatory window; the refresh
    // point lies in its first half, which ends 8.5 min before expiry.
    await jest.advanceTimersByTimeAsync(first.expiration.getTime() - 8 * MINUTE - Date.now());
    const during: TemporaryCredentials[] = [];
    for (let i = 0; i < 5; i++) during.push(await provider());
    // No fake time passed: nobody waited for the 5-minute fetch.
    expect(during.every((c) => c.accessKeyId === first.accessKeyId)).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(2);

    await jest.advanceTimersByTimeAsync(5 * MINUTE);
    expect((await provider()).accessKeyId).not.toBe(first.accessKeyId);
    expect(fetch).toHaveBeenCalledTimes(2);
    provider.close();
  });

  test('an idle provider refreshes on its own timer, at a point inside the jittered stretch', async () => {
    const starts: number[] = [];
    const providers = Array.from({ length: 50 }, () =>
      createRefreshingProvider(async () => makeCreds(HOUR), {
        refresh: { jitter: 0.5 },
        onEvent: (e) => {
          if (e.type === 'refresh-start' && e.reason === 'timer') starts.push(e.at);
        },
      }),
    );
    await Promise.all(providers.map((p) => p()));
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(starts).toHaveLength(50);
    // Advisory window of 1-hour credentials: 15 min before the 1-min mandatory window.
    const windowStart = T0 + HOUR - MINUTE - 15 * MINUTE;
    const jitterEnd = windowStart + 0.5 * 15 * MINUTE;
    for (const at of starts) {
      expect(at).toBeGreaterThanOrEqual(windowStart);
      expect(at).toBeLessThanOrEqual(jitterEnd);
    }
    // Jitter spreads the fleet: not everyone at the same instant.
    expect(new Set(starts).size).toBeGreaterThan(40);
    providers.forEach((p) => p.close());
  });

  test('jitter 0 starts the background refresh exactly when the advisory window opens', async () => {
    const events: CredentialEvent[] = [];
    const provider = createRefreshingProvider(async () => makeCreds(HOUR), {
      refresh: { jitter: 0, advisoryWindowMs: 10 * MINUTE, mandatoryWindowMs: 2 * MINUTE },
      onEvent: (e) => events.push(e),
    });
    await provider();
    await jest.advanceTimersByTimeAsync(HOUR);
    const timerStart = events.find((e) => e.type === 'refresh-start' && e.reason === 'timer');
    expect(timerStart?.at).toBe(T0 + HOUR - 2 * MINUTE - 10 * MINUTE);
    provider.close();
  });

  test('the advisory window follows the lifetime and never exceeds half of the usable life', async () => {
    const cases: Array<[number, number]> = [
      [15 * MINUTE, 5 * MINUTE],
      [HOUR, 15 * MINUTE],
      [12 * HOUR, 60 * MINUTE],
      [4 * MINUTE, 1.5 * MINUTE], // (4 min − 1 min mandatory) / 2
    ];
    for (const [lifetime, advisory] of cases) {
      const starts: number[] = [];
      const fetch = jest.fn(async () => makeCreds(lifetime));
      const provider = createRefreshingProvider(fetch, {
        refresh: { jitter: 0 },
        onEvent: (e) => {
          if (e.type === 'refresh-start' && e.reason === 'timer') starts.push(e.at);
        },
      });
      const begin = Date.now();
      await provider();
      await jest.advanceTimersByTimeAsync(lifetime - MINUTE);
      expect(starts[0]).toBe(begin + lifetime - MINUTE - advisory);
      provider.close();
    }
  });
});

describe('the mandatory window', () => {
  test('callers wait for the refresh and get the new credentials', async () => {
    const fetch = slowFetch(2 * SECOND);
    const provider = createRefreshingProvider(fetch, { refresh: { background: false } });
    const firstCall = provider();
    await jest.advanceTimersByTimeAsync(2 * SECOND);
    const first = await firstCall;

    jest.setSystemTime(first.expiration.getTime() - 30 * SECOND);
    await nextTurn();
    let settled = false;
    const waiting = provider().then((c) => {
      settled = true;
      return c;
    });
    await jest.advanceTimersByTimeAsync(SECOND);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(SECOND);
    const renewed = await waiting;
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(renewed.expiration.getTime()).toBeGreaterThan(Date.now() + 50 * MINUTE);
    provider.close();
  });
});

describe('credentials the engine refuses (engine rule 7)', () => {
  test('credentials that arrive expired are an error', async () => {
    const provider = createRefreshingProvider(async () => makeCreds(-SECOND));
    await expect(provider()).rejects.toThrow(InvalidCredentialsError);
    await expect(provider()).rejects.toThrow(/already expired/);
  });

  test('credentials shorter than the mandatory window are an error', async () => {
    const provider = createRefreshingProvider(async () => makeCreds(30 * SECOND));
    await expect(provider()).rejects.toThrow(/30 s left, within the 60 s mandatory window/);
  });

  test('credentials without a secret or an expiration are an error that names the field', async () => {
    const noSecret = createRefreshingProvider(async () => ({ ...makeCreds(), secretAccessKey: '' }));
    await expect(noSecret()).rejects.toThrow(/no secretAccessKey/);
    const noExpiry = createRefreshingProvider(
      async () => ({ ...makeCreds(), expiration: undefined }) as unknown as TemporaryCredentials,
    );
    await expect(noExpiry()).rejects.toThrow(/no valid expiration/);
  });
});

describe('options', () => {
  test.each([
    [{ refresh: { jitter: 2 } }, 'refresh.jitter'],
    [{ refresh: { mandatoryWindowMs: -1 } }, 'refresh.mandatoryWindowMs'],
    [{ refresh: { advisoryWindowMs: Number.NaN } }, 'refresh.advisoryWindowMs'],
    [{ retry: { minDelayMs: 5_000, maxDelayMs: 1_000 } }, 'retry.maxDelayMs'],
    [{ retry: { factor: 0.5 } }, 'retry.factor'],
    [{ refresh: { clock: {} } }, 'refresh.clock'],
  ])('a bad option is refused at creation, naming it (%j)', (options, parameter) => {
    const fetch = jest.fn(async () => makeCreds());
    let caught: unknown;
    try {
      createRefreshingProvider(fetch, options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidParameterError);
    expect((caught as InvalidParameterError).parameter).toBe(parameter);
    expect((caught as Error).message.startsWith(parameter)).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });

  test('an injected clock drives every decision', async () => {
    let now = T0;
    const clock = { now: () => now };
    const fetch = jest.fn(async () => ({
      accessKeyId: 'ASIACLOCK',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date(now + HOUR),
    }));
    const provider = createRefreshingProvider(fetch, { refresh: { clock, background: false } });
    await provider();
    now += HOUR + SECOND; // no timer runs, no event-loop turn: the clock alone says they expired
    await provider();
    expect(fetch).toHaveBeenCalledTimes(2);
    provider.close();
  });
});
