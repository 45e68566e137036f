import { InvalidParameterError } from '@credchain/core';
import type { Clock, Logger } from '@credchain/core';

import type { EncryptionKeyInput } from './encryptionKeys';
import type { RedisClientLike } from './redisConnection';

/** Options of `createRedisStore`: one of `client` or `url`, and the encryption key. */
export interface RedisStoreOptions {
  /**
   * Your node-redis client, cluster or sentinel (`createClient`, `createCluster`, `createSentinel`; TLS,
   * ACL user, … as you configure them), connected by you. Used as given; `close()` leaves it open.
   */
  readonly client?: RedisClientLike;
  /**
   * `redis://` or `rediss://` URL: the store creates its own client, connects on first use, reconnects
   * with backoff and fails commands at once while Redis is unreachable. `close()` closes it.
   */
  readonly url?: string;
  /**
   * The key entries are encrypted under (AES-256-GCM) and their names derived from: 32 bytes, or their
   * base64 text; or a function returning them, called on every store call (a KMS data key, a secret
   * manager: cache in the function if its source is slow). Changing it changes every entry's name.
   */
  readonly encryptionKey: EncryptionKeyInput | (() => EncryptionKeyInput | Promise<EncryptionKeyInput>);
  /**
   * Keys rotated out, still accepted for reading (entries written by processes not yet rotated), never
   * for writing. Values or a function, as `encryptionKey`.
   * @default []
   */
  readonly previousKeys?:
    readonly EncryptionKeyInput[] | (() => readonly EncryptionKeyInput[] | Promise<readonly EncryptionKeyInput[]>);
  /**
   * Put before every Redis key name the store writes.
   * @default 'credchain:'
   */
  readonly keyPrefix?: string;
  /**
   * Each store call (connecting included) rejects with a RedisStoreError after this long. The engine
   * bounds its store calls too (`store.timeoutMs`); this bound is for direct use.
   * @default 2_000
   */
  readonly timeoutMs?: number;
  /**
   * Decides whether an entry has expired; give it the engine's clock when you inject one.
   * @default Date
   */
  readonly clock?: Clock;
  /**
   * Connection losses and recoveries of a client the store created (`url`).
   * @default no logging
   */
  readonly logger?: Logger;
}

/** Checks `options` as JavaScript callers may pass them: InvalidParameterError naming the bad one. */
export function checkOptions(options: RedisStoreOptions): void {
  const { client, url, keyPrefix, timeoutMs, clock } = options as Partial<Record<keyof RedisStoreOptions, unknown>>;
  if ((client === undefined) === (url === undefined)) {
    throw new InvalidParameterError('client', 'or url: exactly one of the two must be given');
  }
  if (client !== undefined) {
    const methods = ['get', 'set', 'eval'];
    const record = client as Record<string, unknown> | null;
    if (typeof record !== 'object' || record === null || methods.some((m) => typeof record[m] !== 'function')) {
      throw new InvalidParameterError('client', 'must be a node-redis client, cluster or sentinel (get, set, eval)');
    }
  }
  if (url !== undefined && !(typeof url === 'string' && /^rediss?:\/\//.test(url) && URL.canParse(url))) {
    throw new InvalidParameterError('url', 'must be a redis:// or rediss:// URL');
  }
  if (keyPrefix !== undefined && typeof keyPrefix !== 'string') {
    throw new InvalidParameterError('keyPrefix', 'must be a string');
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new InvalidParameterError('timeoutMs', 'must be a positive number of milliseconds');
  }
  if (
    clock !== undefined &&
    (typeof clock !== 'object' || clock === null || typeof Reflect.get(clock, 'now') !== 'function')
  ) {
    throw new InvalidParameterError('clock', 'must have a now() method');
  }
}
