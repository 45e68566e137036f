import { decide } from '../src/engine/decide';
import type { EngineState } from '../src/engine/decide';
import { refreshWindows } from '../src/engine/refreshWindows';
import { HOUR, MINUTE, SECOND, T0 } from './helpers';

// The decision and the windows are pure: no provider, no clock, no timers.

// 1-hour credentials issued at T0 with the defaults: advisory window of 15 min before the 1-min
// mandatory window, the refresh point drawn at 40 % of its first half.
const WINDOWS = refreshWindows(
  T0 + HOUR,
  T0,
  { mandatoryWindowMs: MINUTE, advisoryWindowMs: undefined, jitter: 0.5 },
  0.4,
);
const { advisoryAt, refreshAt, mandatoryAt, expiresAt } = WINDOWS;

const idle = (now: number): EngineState => ({
  now,
  fetching: false,
  backgroundRunning: false,
  lastFetchStartedAt: T0,
});

describe('refreshWindows', () => {
  test('places the windows of 1-hour credentials and draws the refresh point in the jittered stretch', () => {
    expect(WINDOWS).toEqual({
      expiresAt: T0 + HOUR,
      mandatoryAt: T0 + HOUR - MINUTE,
      advisoryAt: T0 + HOUR - 16 * MINUTE,
      refreshAt: T0 + HOUR - 16 * MINUTE + 0.4 * 0.5 * 15 * MINUTE,
    });
  });

  test.each([
    [0, 0.5, 0],
    [0.999, 0, 0],
    [0.5, 1, 0.5],
    [0.999, 1, 0.999],
  ])('draw %p with jitter %p puts the refresh point at %p of the advisory window', (draw, jitter, fraction) => {
    const w = refreshWindows(T0 + HOUR, T0, { mandatoryWindowMs: MINUTE, advisoryWindowMs: 10 * MINUTE, jitter }, draw);
    expect(w.refreshAt - w.advisoryAt).toBeCloseTo(fraction * 10 * MINUTE, 6);
    expect(w.refreshAt).toBeLessThan(w.mandatoryAt);
  });

  test('the advisory window is a function of the lifetime when given one, capped at half the usable life', () => {
    const byLifetime = refreshWindows(
      T0 + 2 * HOUR,
      T0,
      { mandatoryWindowMs: MINUTE, advisoryWindowMs: (lifetime) => lifetime / 4, jitter: 0 },
      0,
    );
    expect(byLifetime.mandatoryAt - byLifetime.advisoryAt).toBe(30 * MINUTE);
    const capped = refreshWindows(
      T0 + 10 * MINUTE,
      T0,
      { mandatoryWindowMs: 2 * MINUTE, advisoryWindowMs: HOUR, jitter: 0 },
      0,
    );
    expect(capped.mandatoryAt - capped.advisoryAt).toBe(4 * MINUTE);
  });
});

describe('decide', () => {
  test('before the advisory window: serve, and the reading may be reused this turn', () => {
    expect(decide(WINDOWS, idle(advisoryAt - SECOND))).toEqual({ kind: 'serve', outsideWindows: true });
  });

  test('in the advisory window before the refresh point: serve, start nothing', () => {
    expect(decide(WINDOWS, idle(advisoryAt))).toEqual({ kind: 'serve', outsideWindows: false });
    expect(decide(WINDOWS, idle(refreshAt - 1))).toEqual({ kind: 'serve', outsideWindows: false });
  });

  test('in the advisory window past the refresh point: serve and refresh in the background', () => {
    expect(decide(WINDOWS, idle(refreshAt))).toEqual({ kind: 'serve-and-refresh-in-background' });
    expect(decide(WINDOWS, idle(mandatoryAt - 1))).toEqual({ kind: 'serve-and-refresh-in-background' });
  });

  test('the first call in the mandatory window fetches now, even while the loop waits out a backoff', () => {
    const state = { ...idle(mandatoryAt), backgroundRunning: true, lastFetchStartedAt: mandatoryAt - SECOND };
    expect(decide(WINDOWS, state)).toEqual({ kind: 'fetch-now', window: 'mandatory' });
  });

  test('in the mandatory window once an attempt there failed: serve the still-valid credentials', () => {
    const state = { ...idle(mandatoryAt + 10 * SECOND), lastFetchStartedAt: mandatoryAt };
    expect(decide(WINDOWS, state)).toEqual({ kind: 'serve-stale' });
  });

  test('in the mandatory window or expired with a fetch under way: join it', () => {
    expect(decide(WINDOWS, { ...idle(mandatoryAt), fetching: true })).toEqual({
      kind: 'join-fetch',
      window: 'mandatory',
    });
    expect(decide(WINDOWS, { ...idle(expiresAt), fetching: true })).toEqual({ kind: 'join-fetch', window: 'expired' });
  });

  test('expired: fetch now, unless the background loop is waiting out a backoff, then fail at once', () => {
    expect(decide(WINDOWS, idle(expiresAt))).toEqual({ kind: 'fetch-now', window: 'expired' });
    expect(decide(WINDOWS, { ...idle(expiresAt + HOUR), backgroundRunning: true })).toEqual({ kind: 'fail-expired' });
  });

  test('what is under way does not change a call outside the urgent windows', () => {
    const busy = { fetching: true, backgroundRunning: true, lastFetchStartedAt: mandatoryAt };
    expect(decide(WINDOWS, { ...idle(advisoryAt - SECOND), ...busy })).toEqual({ kind: 'serve', outsideWindows: true });
    expect(decide(WINDOWS, { ...idle(refreshAt), ...busy })).toEqual({ kind: 'serve-and-refresh-in-background' });
  });
});
