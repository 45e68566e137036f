import fc from 'fast-check';

import { createRefreshingProvider } from '../src';
import type { CredentialEvent, TemporaryCredentials } from '../src';
import { MAX_SERVER_OFFSET_MS, serverOffset } from '../src/engine/serverOffset';
import { observeServerTime, recordServerTime } from '../src/sts/serverTime';
import { HOUR, MINUTE, SECOND, T0, makeCreds } from './helpers';

// Engine rule 9: the engine's time line is its clock plus the offset to STS's clock that the answers
// bringing its credentials showed (their Date header against the local send and receive times).

/** The HTTP date a server whose clock reads `serverMs` writes: whole seconds. */
const httpDate = (serverMs: number): string => new Date(serverMs).toUTCString();

describe('the offset one answer shows', () => {
  test('an answer is dated between sending and receiving, in the second its Date header names', () => {
    const sent = T0 + 200;
    expect(observeServerTime(sent, sent + 300, httpDate(T0 + 10 * MINUTE + 400))).toEqual({
      minMs: 10 * MINUTE - 500,
      maxMs: 10 * MINUTE + 800,
    });
  });

  test('a missing or unparsable Date header, or a clock that ran backwards, shows nothing', () => {
    expect(observeServerTime(T0, T0 + 10, undefined)).toBeUndefined();
    expect(observeServerTime(T0, T0 + 10, 'yesterday-ish')).toBeUndefined();
    expect(observeServerTime(T0 + 10, T0, httpDate(T0))).toBeUndefined();
  });

  test('a host in step with STS keeps offset 0, wherever in the second and however long the round trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 5_000 }), (at, rtt) => {
        const sent = T0 + at;
        // The server answers at some instant of the round trip, on the same clock.
        const observation = observeServerTime(sent, sent + rtt, httpDate(sent + Math.floor(rtt / 2)))!;
        expect(serverOffset(observation, 0)).toBe(0);
      }),
    );
  });

  test('bounded: the sign of the true skew, never larger, off by a round trip and a second at most', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -6 * HOUR, max: 6 * HOUR }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (skew, at, rtt, when) => {
          const sent = T0 + at;
          const answeredAt = sent + Math.floor(when * rtt);
          const offset = serverOffset(observeServerTime(sent, sent + rtt, httpDate(answeredAt + skew))!, 0)!;
          expect(Math.sign(offset) * Math.sign(skew)).toBeGreaterThanOrEqual(0);
          expect(Math.abs(offset)).toBeLessThanOrEqual(Math.abs(skew));
          expect(Math.abs(skew - offset)).toBeLessThanOrEqual(rtt + SECOND);
        },
      ),
    );
  });

  test('an offset of more than a day is not believed', () => {
    const sent = T0;
    const observation = observeServerTime(sent, sent, httpDate(sent + MAX_SERVER_OFFSET_MS + 2 * SECOND))!;
    expect(serverOffset(observation, 0)).toBeUndefined();
    expect(serverOffset(observeServerTime(sent, sent, httpDate(sent - 25 * HOUR))!, 0)).toBeUndefined();
  });

  test("an engine with a clock of its own gets the offset to that clock, not to Date's", () => {
    // The observation is taken on Date.now(); the engine's clock runs 3 hours behind Date, the server on
    // the engine's clock: the two agree.
    const observation = observeServerTime(T0, T0 + 40, httpDate(T0 - 3 * HOUR + 20))!;
    expect(serverOffset(observation, 3 * HOUR)).toBe(0);
  });
});

describe('the engine on STS’s time line', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  /** Credentials as an STS answer `skewMs` ahead of the local clock issues them: expiring on its time line. */
  function fromSkewedSts(skewMs: number, lifetimeMs: number, tag = true): TemporaryCredentials {
    const creds = makeCreds(skewMs + lifetimeMs);
    if (tag) recordServerTime(creds, observeServerTime(Date.now(), Date.now(), httpDate(Date.now() + skewMs))!);
    return creds;
  }

  function collect() {
    const events: CredentialEvent[] = [];
    return { events, onEvent: (e: CredentialEvent) => events.push(e) };
  }

  test('a host 10 minutes behind refreshes before STS expires the credentials, not 10 minutes after', async () => {
    const skew = 10 * MINUTE;
    const fetch = jest.fn(async () => fromSkewedSts(skew, 15 * MINUTE));
    const seen = collect();
    using provider = createRefreshingProvider(fetch, { name: 'skewed', onEvent: seen.onEvent });
    const first = await provider();
    // By STS's clock: 15 minutes left, advisory window 5 minutes, refresh point within its first half.
    // Past the refresh point by STS's time, still 12.5 minutes before the expiry by the local clock:
    await jest.advanceTimersByTimeAsync(12 * MINUTE);
    expect(fetch).toHaveBeenCalledTimes(2);
    const second = await provider();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(seen.events.filter((e) => e.type === 'clock-skew')).toEqual([
      expect.objectContaining({ provider: 'skewed', offsetMs: skew }),
    ]);
  });

  test('credentials STS sends with less than the mandatory window left by its clock are refused (rule 7)', async () => {
    const fetch = jest.fn(async () => fromSkewedSts(10 * MINUTE, 30 * SECOND));
    using provider = createRefreshingProvider(fetch);
    await expect(provider()).rejects.toThrow(/mandatory window/);
  });

  test('a fresh answer replaces the offset; credentials with no answer behind them keep it', async () => {
    let next: () => TemporaryCredentials = () => fromSkewedSts(10 * MINUTE, HOUR);
    const seen = collect();
    using provider = createRefreshingProvider(async () => next(), { onEvent: seen.onEvent });
    await provider();
    // A source with no server clock (instance metadata, a user's fetch): the offset stays.
    next = () => fromSkewedSts(10 * MINUTE, HOUR, false);
    await provider.refresh();
    // STS in step again (the host's clock was fixed): back to 0.
    next = () => fromSkewedSts(0, HOUR);
    await provider.refresh();
    expect(seen.events.filter((e) => e.type === 'clock-skew').map((e) => e.offsetMs)).toEqual([10 * MINUTE, 0]);
  });

  test('without an answer behind its credentials the engine keeps the local clock', async () => {
    const skew = 10 * MINUTE;
    const fetch = jest.fn(async () => fromSkewedSts(skew, 15 * MINUTE, false));
    const seen = collect();
    using provider = createRefreshingProvider(fetch, { onEvent: seen.onEvent });
    await provider();
    await jest.advanceTimersByTimeAsync(12 * MINUTE);
    // 13 minutes left by the local clock: outside the advisory window, so not refreshed. (This is
    // what a host behind STS did before engine rule 9: these credentials expired 2 minutes ago.)
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(seen.events.some((e) => e.type === 'clock-skew')).toBe(false);
  });

  test('an injected clock: the offset is to that clock, so a server on the same clock shows no skew', async () => {
    // A test's clock, hours from Date; the server (sts-local with the same clock) dates its answers by it.
    let now = Date.now() - 3 * HOUR + 250;
    const clock = { now: () => now };
    const seen = collect();
    using provider = createRefreshingProvider(
      async () => {
        const creds = { ...makeCreds(), expiration: new Date(now + HOUR) };
        recordServerTime(creds, observeServerTime(Date.now(), Date.now(), httpDate(now))!);
        return creds;
      },
      { refresh: { clock }, onEvent: seen.onEvent },
    );
    const first = await provider();
    now += 44 * MINUTE; // before the advisory window by the injected clock: served from the cache
    expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    expect(seen.events.some((e) => e.type === 'clock-skew')).toBe(false);
  });

  test('an engine fetching from another engine learns the offset the other one learned', async () => {
    using inner = createRefreshingProvider(async () => fromSkewedSts(10 * MINUTE, 15 * MINUTE));
    const seen = collect();
    using outer = createRefreshingProvider(() => inner.refresh(), { name: 'outer', onEvent: seen.onEvent });
    await outer();
    expect(seen.events.filter((e) => e.type === 'clock-skew')).toEqual([
      expect.objectContaining({ provider: 'outer', offsetMs: 10 * MINUTE }),
    ]);
  });
});
