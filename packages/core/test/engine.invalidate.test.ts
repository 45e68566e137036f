import { createRefreshingProvider } from '../src';
import type { CredentialEvent, FetchContext, TemporaryCredentials } from '../src';
import { HOUR, MINUTE, T0, makeCreds, nextTurn, slowFetch, stsError } from './helpers';

// invalidate(accessKeyId): what a client plugin calls when a service rejects credentials (Go's
// InvalidateCredentials). Only the rejected credentials are dropped; the next call fetches, single flight.

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

function collect() {
  const events: CredentialEvent[] = [];
  return { events, onEvent: (e: CredentialEvent) => events.push(e) };
}

describe('invalidate(accessKeyId)', () => {
  test('drops the cached credentials when they are the rejected ones: the next call fetches new ones', async () => {
    const fetch = jest.fn(async (_context: FetchContext) => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch, { name: 'test' });
    const first = await provider();
    expect(provider.invalidate(first.accessKeyId, 'InvalidClientTokenId')).toBe(true);
    const second = await provider();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch.mock.calls[1]![0]).toMatchObject({ reason: 'rejected' });
    // The new credentials are cached again.
    expect((await provider()).accessKeyId).toBe(second.accessKeyId);
    expect(fetch).toHaveBeenCalledTimes(2);
    provider.close();
  });

  test('does nothing when a refresh already replaced the rejected credentials: the caller just retries', async () => {
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch);
    const old = await provider();
    const current = await provider.refresh();
    expect(provider.invalidate(old.accessKeyId, 'ExpiredToken')).toBe(false);
    expect((await provider()).accessKeyId).toBe(current.accessKeyId);
    expect(fetch).toHaveBeenCalledTimes(2);
    provider.close();
  });

  test('does nothing before the first fetch, or for a key it never handed out', async () => {
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch);
    expect(provider.invalidate('ASIANEVERSEEN')).toBe(false);
    const creds = await provider();
    expect(provider.invalidate('ASIANEVERSEEN')).toBe(false);
    expect((await provider()).accessKeyId).toBe(creds.accessKeyId);
    expect(fetch).toHaveBeenCalledTimes(1);
    provider.close();
  });

  test('1,000 callers after one invalidation share one fetch, however many invalidate the same key', async () => {
    const fetch = slowFetch(200);
    const provider = createRefreshingProvider(fetch);
    const pending = provider();
    await jest.advanceTimersByTimeAsync(200);
    const rejected = await pending;

    const outcomes = Array.from({ length: 1_000 }, () => provider.invalidate(rejected.accessKeyId, 'ExpiredToken'));
    const callers = Array.from({ length: 1_000 }, () => provider());
    await jest.advanceTimersByTimeAsync(200);
    const renewed = await Promise.all(callers);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(new Set(renewed.map((c) => c.accessKeyId)).size).toBe(1);
    expect(renewed[0]!.accessKeyId).not.toBe(rejected.accessKeyId);
    // Late rejections of the old key (requests signed before the refresh) change nothing now.
    expect(provider.invalidate(rejected.accessKeyId, 'ExpiredToken')).toBe(false);
    expect(fetch).toHaveBeenCalledTimes(2);
    provider.close();
  });

  test('joins a background refresh already under way instead of starting a second fetch', async () => {
    // 15-minute credentials, a fetch that takes a minute: the background refresh runs when the key is rejected.
    const fetch = slowFetch(MINUTE, 15 * MINUTE);
    const provider = createRefreshingProvider(fetch, { refresh: { jitter: 0 } });
    const pending = provider();
    await jest.advanceTimersByTimeAsync(MINUTE);
    const first = await pending;
    // The advisory window of 15-minute credentials opens 5 minutes before the mandatory one.
    await jest.advanceTimersByTimeAsync(9 * MINUTE);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(provider.invalidate(first.accessKeyId)).toBe(true);
    const caller = provider();
    await jest.advanceTimersByTimeAsync(MINUTE);
    expect((await caller).accessKeyId).not.toBe(first.accessKeyId);
    expect(fetch).toHaveBeenCalledTimes(2);
    provider.close();
  });

  test('stops the timer of the dropped credentials: no background refresh for them', async () => {
    const fetch = jest.fn(async () => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch);
    const first = await provider();
    expect(jest.getTimerCount()).toBeGreaterThan(0);
    provider.invalidate(first.accessKeyId);
    await nextTurn();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(2 * HOUR);
    expect(fetch).toHaveBeenCalledTimes(1);
    // The next credentials get a timer again.
    await provider();
    expect(jest.getTimerCount()).toBeGreaterThan(0);
    provider.close();
  });

  test('after the refetch fails, callers get the error, never the rejected credentials', async () => {
    let healthy = true;
    const fetch = jest.fn(async () => {
      if (healthy) return makeCreds(HOUR);
      throw stsError('ServiceUnavailable');
    });
    const provider = createRefreshingProvider(fetch);
    const first = await provider();
    healthy = false;
    provider.invalidate(first.accessKeyId);
    await expect(provider()).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    healthy = true;
    expect((await provider()).accessKeyId).not.toBe(first.accessKeyId);
    provider.close();
  });

  test('emits credentials-rejected once, with the provider and the code, never the key or the secret', async () => {
    const { events, onEvent } = collect();
    const logged: string[] = [];
    const log = (...content: unknown[]): void => {
      logged.push(content.join(' '));
    };
    const logger = { debug: log, info: log, warn: log, error: log };
    const provider = createRefreshingProvider(async () => makeCreds(HOUR), { name: 'assume-role', onEvent, logger });
    const creds: TemporaryCredentials = await provider();
    provider.invalidate(creds.accessKeyId, 'ExpiredTokenException');
    provider.invalidate(creds.accessKeyId, 'ExpiredTokenException');
    const rejected = events.filter((e) => e.type === 'credentials-rejected');
    expect(rejected).toEqual([
      { type: 'credentials-rejected', provider: 'assume-role', code: 'ExpiredTokenException', at: T0 },
    ]);
    const text = JSON.stringify(events) + logged.join('\n');
    for (const secret of [creds.accessKeyId, creds.secretAccessKey, creds.sessionToken]) {
      expect(text).not.toContain(secret);
    }
    expect(logged.join('\n')).toContain('ExpiredTokenException');
    provider.close();
  });
});

describe('the memoized marker', () => {
  test('every engine is marked memoized, writable as the SDK assigns it, and its calls are unchanged', async () => {
    const provider = createRefreshingProvider(async () => makeCreds(HOUR));
    expect(provider.memoized).toBe(true);
    (provider as { memoized: boolean }).memoized = true;
    expect(Object.keys(provider)).toEqual([]);
    await provider();
    provider.close();
  });
});
