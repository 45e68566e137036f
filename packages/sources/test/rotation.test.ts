import { noopLogger } from '@credchain/core/provider-kit';
import type { FetchContext, TemporaryCredentials } from '@credchain/core';
import { observe, until, useFakeTimers } from '@credchain/testkit';

import { ROTATION_LEAD_MS, checkRotated, rotatingProvider, rotationAdvisoryWindowMs } from '../src/rotation';

// The rotation rule of IMDS and container credentials, against a source that behaves as EC2 promises
// at worst: the same credentials until 5 minutes before they expire, new ones from then on. (sts-local's
// endpoints rotate with 15 minutes left; the tests of fromInstanceMetadata run against them.)

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeEach(() => useFakeTimers(Date.UTC(2026, 5, 1)));
afterEach(() => jest.useRealTimers());

/** A source of 6-hour role credentials that rotates them `rotatesAt` before expiry (never, with 0). */
function rotatingSource(rotatesAt: number) {
  let serial = 0;
  let current: TemporaryCredentials | undefined;
  const answer = () => {
    const now = Date.now();
    if (current === undefined || (rotatesAt > 0 && current.expiration.getTime() - now <= rotatesAt)) {
      serial++;
      current = {
        accessKeyId: `ASIAROTATION${String(serial).padStart(8, '0')}`,
        secretAccessKey: 'rotationSecret/credchain/EXAMPLEKEY00000',
        sessionToken: 'rotationSessionToken',
        expiration: new Date(now + 6 * HOUR),
      };
    }
    return current;
  };
  const calls: number[] = [];
  const fetch = async (context: FetchContext) => {
    calls.push(Date.now());
    const credentials = answer();
    checkRotated(credentials, context, {
      source: 'instance-metadata',
      where: 'IMDS',
      logger: noopLogger,
      tag: 'test',
      now: Date.now(),
    });
    return credentials;
  };
  return { fetch, calls };
}

test('the window: the default over 90 minutes, then where new credentials are due', () => {
  const window = rotationAdvisoryWindowMs(MINUTE);
  expect(window(6 * HOUR)).toBe(HOUR);
  expect(window(2 * HOUR)).toBe(HOUR);
  expect(window(90 * MINUTE)).toBe(ROTATION_LEAD_MS - MINUTE);
  expect(window(HOUR)).toBe(ROTATION_LEAD_MS - MINUTE);
  expect(window(20 * MINUTE)).toBe(4 * MINUTE);
  expect(rotationAdvisoryWindowMs(10 * MINUTE)(HOUR)).toBe(0);
});

test("a source rotating at EC2's latest: asked twice per rotation at most, callers never wait", async () => {
  const source = rotatingSource(ROTATION_LEAD_MS);
  const seen = observe();
  using provider = rotatingProvider(source.fetch, { onEvent: seen.onEvent });
  const keys = new Set<string>();
  for (let minute = 0; minute < 24 * 60; minute++) {
    const credentials = await provider();
    expect(credentials.expiration.getTime() - Date.now()).toBeGreaterThan(MINUTE);
    keys.add(credentials.accessKeyId);
    await jest.advanceTimersByTimeAsync(MINUTE);
    await until(seen.settled);
  }
  // Four rotations in 24 hours; per rotation one early attempt (same credentials) and one at the lead.
  expect(keys.size).toBe(5);
  expect(source.calls.length).toBeLessThanOrEqual(1 + 4 * 2);
  expect(seen.events.filter((e) => e.type === 'refresh-failure' || e.type === 'served-stale')).toEqual([]);
  expect(seen.events.flatMap((e) => (e.type === 'refresh-start' ? [e.reason] : []))).not.toContain('mandatory');
});

test('a source that never rotates: past the lead a failure with backoff, valid credentials served', async () => {
  const source = rotatingSource(0);
  const seen = observe();
  using provider = rotatingProvider(source.fetch, { onEvent: seen.onEvent });
  const first = await provider();
  const expiresAt = first.expiration.getTime();
  while (Date.now() < expiresAt - 30_000) {
    expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    await jest.advanceTimersByTimeAsync(10_000);
    await until(seen.settled);
  }
  const late = source.calls.filter((at) => at >= expiresAt - ROTATION_LEAD_MS);
  // Backoff (1 s, 2 s, 4 s … up to 60 s) over the last 5 minutes, not one call per caller or per tick.
  expect(late.length).toBeGreaterThan(2);
  expect(late.length).toBeLessThan(15);
  const failure = seen.events.find((e) => e.type === 'refresh-failure');
  expect(failure).toMatchObject({ final: false, error: { source: 'instance-metadata' } });
  expect(String((failure as { error: Error }).error.message)).toMatch(/still serves the credentials that expire at/);
});
