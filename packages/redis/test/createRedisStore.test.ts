import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { InvalidParameterError } from '@credchain/core';
import { expectNoSecret, parameterOf, rejectionOf } from '@credchain/testkit';

import { createRedisStore } from '../src';
import type { RedisClientLike, RedisStoreOptions } from '../src';
import { CACHE_KEY, credentials, keep, newKey } from './fixtures';

/** A client that keeps entries in a Map and ignores TTLs: enough where Redis itself is not the subject. */
function mapClient(): RedisClientLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (key) => entries.get(key) ?? null,
    set: async (key, value, options) => {
      if (options.condition === 'NX' && entries.has(key)) return null;
      entries.set(key, value);
      return 'OK';
    },
    eval: async () => 0,
  };
}

const client = mapClient();
const key = newKey();
const build = (options: Partial<RedisStoreOptions>) => () =>
  createRedisStore({ client, encryptionKey: key, ...options });

// What createRedisStore promises before Redis is involved: options checked at once, naming the bad one,
// no I/O until the first call, the caller's key copied, and no key or password shown anywhere.
describe('createRedisStore', () => {
  test.each([
    ['neither client nor url', { client: undefined }, 'client'],
    ['both client and url', { url: 'redis://localhost' }, 'client'],
    ['a client without eval', { client: { get: async () => null, set: async () => 'OK' } }, 'client'],
    ['an http URL', { client: undefined, url: 'http://localhost:6379' }, 'url'],
    ['no URL at all', { client: undefined, url: 'localhost:6379' }, 'url'],
    ['a 16-byte key', { encryptionKey: newKey().subarray(0, 16) }, 'encryptionKey'],
    ['a passphrase', { encryptionKey: 'correct horse battery staple' }, 'encryptionKey'],
    ['base64 of 24 bytes', { encryptionKey: newKey().subarray(0, 24).toString('base64') }, 'encryptionKey'],
    ['no key', { encryptionKey: undefined }, 'encryptionKey'],
    ['a bad old key', { previousKeys: [newKey(), newKey().subarray(1)] }, 'previousKeys[1]'],
    ['old keys not in a list', { previousKeys: newKey() }, 'previousKeys'],
    ['a prefix that is not text', { keyPrefix: 7 }, 'keyPrefix'],
    ['a zero timeout', { timeoutMs: 0 }, 'timeoutMs'],
    ['a clock without now', { clock: {} }, 'clock'],
  ])('rejects %s, naming the option', (_, options, parameter) => {
    expect(parameterOf(build(options as Partial<RedisStoreOptions>))).toBe(parameter);
  });

  test('a key function that answers a bad key fails the call, naming encryptionKey', async () => {
    const store = createRedisStore({ client, encryptionKey: async () => newKey().subarray(0, 31) });
    const error = await rejectionOf(store.get(CACHE_KEY, {}));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).parameter).toBe('encryptionKey');
  });

  test('does no I/O before the first call', async () => {
    let connections = 0;
    const listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const store = createRedisStore({
        url: `redis://127.0.0.1:${(listener.address() as AddressInfo).port}`,
        encryptionKey: key,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(connections).toBe(0);
      await store.close();
    } finally {
      listener.close();
    }
  });

  test("copies the caller's key: changing the buffer afterwards changes nothing", async () => {
    const mine = newKey();
    const shared = mapClient();
    const writer = createRedisStore({ client: shared, encryptionKey: mine });
    const reader = createRedisStore({ client: shared, encryptionKey: Buffer.from(mine) });
    mine.fill(0);
    const value = credentials();
    await writer.set(CACHE_KEY, value, { keepUntil: keep() });
    expect(await reader.get(CACHE_KEY, {})).toEqual(value);
  });

  test('shows no key, key text or URL password in util.inspect, JSON.stringify or errors', async () => {
    const store = createRedisStore({
      url: 'redis://app:hunter2-password@127.0.0.1:1',
      encryptionKey: key,
      previousKeys: [key.toString('base64')],
      timeoutMs: 100,
    });
    const error = await rejectionOf(store.get(CACHE_KEY, {}));
    const secrets = [key.toString('base64'), key.toString('hex'), 'hunter2-password', 'redis-test-role'];
    expectNoSecret(store, secrets);
    expectNoSecret(error, secrets);
    expect(JSON.stringify(store)).toBe('{"name":"redis","keyPrefix":"credchain:"}');
    await store.close();
  });

  test('a wrong-length key is reported by length, not echoed', () => {
    const wrong = newKey().subarray(0, 20);
    const error = (() => {
      try {
        createRedisStore({ client, encryptionKey: wrong.toString('hex') });
      } catch (caught) {
        return caught;
      }
    })();
    expectNoSecret(error, [wrong.toString('hex')]);
  });
});
