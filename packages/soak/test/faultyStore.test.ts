/**
 * The soak's faulty store: without faults it must behave as a store (or the store fleet's figures would
 * measure the store, not the engine), and its faults must be what the report says they are.
 */
import type { TemporaryCredentials } from '@credchain/core';

import { FaultyStore } from '../src/faultyStore';

const T0 = Date.UTC(2030, 0, 6);
const creds = (expiresAt: number): TemporaryCredentials => ({
  accessKeyId: 'ASIAFAULTYSTORETEST',
  secretAccessKey: 'not-a-secret',
  sessionToken: 'not-a-token',
  expiration: new Date(expiresAt),
});
const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

test('without faults it keeps entries until keepUntil and hands out copies', async () => {
  const store = new FaultyStore({ faultRate: 0, seed: 1 });
  const value = creds(T0 + 3_600_000);
  await store.set('k', value, { keepUntil: T0 + 60_000 });
  const got = await store.get('k', {});
  expect(got).toEqual(value);
  expect(got).not.toBe(value);
  expect(got?.expiration).not.toBe(value.expiration);
  expect(await store.get('other', {})).toBeUndefined();
  jest.setSystemTime(T0 + 60_000);
  expect(await store.get('k', {})).toBeUndefined();
  expect(store.counts.entriesServed).toBe(1);
});

test('a lock is held until its holder releases it or its TTL passes', async () => {
  const store = new FaultyStore({ faultRate: 0, seed: 1 });
  const first = await store.lock('k', { ttlMs: 30_000 });
  expect(first).toBeDefined();
  expect(await store.lock('k', { ttlMs: 30_000 })).toBeUndefined();
  await first!.release();
  const second = await store.lock('k', { ttlMs: 30_000 });
  expect(second).toBeDefined();
  await first!.release(); // not the holder any more: frees nothing
  expect(await store.lock('k', { ttlMs: 30_000 })).toBeUndefined();
  jest.setSystemTime(T0 + 30_000);
  expect(await store.lock('k', { ttlMs: 30_000 })).toBeDefined();
  expect([store.counts.locksGranted, store.counts.locksBusy]).toEqual([3, 2]);
});

test('at a fault rate, every kind of fault happens, and a hang never settles', async () => {
  const store = new FaultyStore({ faultRate: 0.5, seed: 3 });
  const outcomes = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const get = store.get('k', {});
    if (!(await settled(get))) outcomes.add('hang');
    else
      await get.then(
        (v) => outcomes.add(v === undefined ? 'empty' : 'garbage'),
        (e: Error) => outcomes.add(e.message.includes('ECONNREFUSED') ? 'refused' : 'other'),
      );
  }
  for (let i = 0; i < 200; i++) await settled(store.set(`k${i}`, creds(T0 + 3_600_000), { keepUntil: T0 + 60_000 }));
  expect([...outcomes].sort()).toEqual(['empty', 'garbage', 'hang', 'refused']);
  const { faults } = store.counts;
  for (const kind of ['refused', 'hang', 'garbage', 'lost-write'] as const) expect(faults[kind]).toBeGreaterThan(10);
});

test('in an outage every call is refused, or none is answered and nothing takes effect', async () => {
  const store = new FaultyStore({ faultRate: 0, seed: 1 });
  store.outage = 'refused';
  await expect(store.get('k', {})).rejects.toThrow('ECONNREFUSED');
  await expect(store.lock('k', { ttlMs: 30_000 })).rejects.toThrow('ECONNREFUSED');
  store.outage = 'hang';
  expect(await settled(store.set('k', creds(T0 + 3_600_000), { keepUntil: T0 + 60_000 }))).toBe(false);
  expect(await settled(store.lock('k', { ttlMs: 30_000 }))).toBe(false);
  store.outage = undefined;
  expect(await store.get('k', {})).toBeUndefined();
  expect(await store.lock('k', { ttlMs: 30_000 })).toBeDefined();
  expect(store.counts.outageCalls).toBe(4);
});
