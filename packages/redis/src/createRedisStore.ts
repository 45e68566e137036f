import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { ErrorReply } from '@redis/client';

import { InvalidParameterError } from '@credchain/core';
import type {
  CredentialStore,
  StoreCallOptions,
  StoreLock,
  StoreLockOptions,
  StoreSetOptions,
  TemporaryCredentials,
} from '@credchain/core';
import { noopLogger } from '@credchain/core/provider-kit';

import { entryName, keyRingSource } from './encryptionKeys';
import { open, seal } from './envelope';
import { RedisStoreError } from './RedisStoreError';
import { checkOptions } from './RedisStoreOptions';
import type { RedisStoreOptions } from './RedisStoreOptions';
import { urlConnection, userConnection } from './redisConnection';
import type { RedisClientLike, RedisConnection } from './redisConnection';

/** A credential store in Redis; `close()` (or `await using`) closes the client it created. */
export interface RedisStore extends CredentialStore {
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

// Deletes the lock only if it still holds this holder's token: after its TTL it may be another's.
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
const TAG = 'credchain:redis -';

const isReply = (error: unknown): boolean =>
  error instanceof ErrorReply || (error instanceof Error && /ErrorReply|SimpleError/.test(error.constructor.name));

/**
 * A credential store in Redis 7 or Valkey (docs: packages/redis/README.md). Entries are encrypted and
 * authenticated; key names are keyed hashes; locks are released only by their holder. Checks its options
 * now (InvalidParameterError naming the option), connects on first use.
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  checkOptions(options);
  const keys = keyRingSource(options.encryptionKey, options.previousKeys);
  const prefix = options.keyPrefix ?? 'credchain:';
  const timeoutMs = options.timeoutMs ?? 2_000;
  const clock = options.clock ?? Date;
  const connection: RedisConnection =
    options.client === undefined
      ? urlConnection(options.url!, options.logger ?? noopLogger, TAG)
      : userConnection(options.client);

  /**
   * Runs `action` against the client, bounded by `timeoutMs` (connecting and asking a key function
   * included); what fails is a RedisStoreError.
   */
  async function call<R>(action: string, run: (client: RedisClientLike) => Promise<R>): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new RedisStoreError(`${action}: no answer from Redis within ${timeoutMs} ms`, 'unavailable'));
      }, timeoutMs);
      // Not unref'd: a caller awaits it, and a process waiting for nothing else must not exit under it.
    });
    try {
      const client = await Promise.race([connection.ready(), timeout]);
      return await Promise.race([run(client), timeout]);
    } catch (error) {
      if (error instanceof RedisStoreError || error instanceof InvalidParameterError) throw error;
      const kind = isReply(error) ? 'error' : 'unavailable';
      const reason = error instanceof Error ? error.message : 'unknown error';
      throw new RedisStoreError(
        `${action}: ${kind === 'error' ? 'Redis answered' : 'Redis unavailable'}: ${reason}`,
        kind,
        {
          cause: error,
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  const text = (raw: unknown): string | undefined =>
    typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : undefined;

  async function get(key: string, callOptions: StoreCallOptions): Promise<TemporaryCredentials | undefined> {
    return call('get', async (client) => {
      const keyRing = await keys();
      // The current key's name first; then the names older keys gave the same entry (written by
      // processes not yet rotated).
      for (const nameKey of [keyRing.current, ...keyRing.previous]) {
        const name = entryName(prefix, nameKey, key);
        const raw = await client.get(name);
        if (raw === null || raw === undefined) continue;
        const value = text(raw);
        const opened = value === undefined ? { problem: 'it is not text' } : open(value, name, keyRing, clock.now());
        if ('credentials' in opened) return opened.credentials;
        // A TTL starts when Redis receives the SET, up to timeoutMs after keepUntil was measured: an entry
        // that outlived its keepUntil by less is what Redis keeps as told, nothing to report.
        if (opened.expiredMs !== undefined && opened.expiredMs < timeoutMs) continue;
        callOptions.report?.({ action: 'get', kind: 'bad-entry', message: `ignored entry ${name}: ${opened.problem}` });
      }
      return undefined;
    });
  }

  async function set(key: string, credentials: TemporaryCredentials, setOptions: StoreSetOptions): Promise<void> {
    await call('set', async (client) => {
      const keyRing = await keys();
      const keepUntil = Math.min(setOptions.keepUntil, credentials.expiration.getTime());
      const ttl = Math.floor(keepUntil - clock.now());
      if (!(ttl > 0)) {
        setOptions.report?.({ action: 'set', kind: 'error', message: 'not written: already past keepUntil' });
        return;
      }
      const name = entryName(prefix, keyRing.current, key);
      const value = seal(credentials, keepUntil, name, keyRing.current);
      await client.set(name, value, { expiration: { type: 'PX', value: ttl } });
    });
  }

  async function lock(key: string, lockOptions: StoreLockOptions): Promise<StoreLock | undefined> {
    const ttl = Math.ceil(lockOptions.ttlMs);
    if (!(ttl > 0)) throw new InvalidParameterError('ttlMs', 'must be a positive number of milliseconds');
    return call('lock', async (client) => {
      const keyRing = await keys();
      const name = `${entryName(prefix, keyRing.current, key)}:lock`;
      const token = randomBytes(16).toString('hex');
      const taken = await client.set(name, token, { condition: 'NX', expiration: { type: 'PX', value: ttl } });
      if (taken === null || taken === undefined) return undefined;
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await call('release', (owner) => owner.eval(RELEASE, { keys: [name], arguments: [token] }));
        },
      };
    });
  }

  const close = (): Promise<void> => connection.close();
  const shown = { name: 'redis', keyPrefix: prefix };
  return {
    name: 'redis',
    get,
    set,
    lock,
    close,
    [Symbol.asyncDispose]: close,
    // What a log line or a debugger shows: no key, no client (its options may hold a password).
    toJSON: () => shown,
    [inspect.custom]: () => `RedisStore ${inspect(shown)}`,
  } as RedisStore;
}
