import { createClient } from '@redis/client';

import type { Logger } from '@credchain/core';
import { describeError } from '@credchain/core/provider-kit';

/**
 * The three node-redis (v5 or later) commands the store sends, as a client, cluster or sentinel from
 * `createClient`, `createCluster` or `createSentinel` has them. Any object with these methods works:
 * for ioredis or another client, write the three as an adapter.
 */
export interface RedisClientLike {
  /** `GET key`: a string (or a Buffer, with a type mapping), null when there is none. */
  get(key: string): Promise<unknown>;
  /** `SET key value [NX] PX ms`: `'OK'`, or null when NX found the key. */
  set(
    key: string,
    value: string,
    options: { expiration: { type: 'PX'; value: number }; condition?: 'NX' },
  ): Promise<unknown>;
  /** `EVAL script 1 key arg`. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The client of one store, and whether the store owns it (created it from a URL). */
export interface RedisConnection {
  /** The client, connected when the store owns it (bounded by the caller's timeout). */
  ready(): Promise<RedisClientLike>;
  /** Closes the client the store created; leaves a user's client alone. */
  close(): Promise<void>;
}

/** A user's client: used as given (connected and configured by the user), never closed by the store. */
export function userConnection(client: RedisClientLike): RedisConnection {
  return { ready: async () => client, close: async () => undefined };
}

/** How long a connection attempt may take before it counts as failed. */
const CONNECT_TIMEOUT_MS = 1_000;
/** Reconnection delays: 50 ms, doubling, at most 2 s, with up to 20% jitter so a fleet does not align. */
const reconnectDelay = (retries: number): number => Math.min(50 * 2 ** retries, 2_000) * (1 + Math.random() / 5);

/**
 * A client created from `url`, connected on first use. While Redis is unreachable, commands fail at once
 * (no offline queue grows) and the client reconnects in the background with backoff. Its 'error' events
 * (one per failed attempt) go to the logger: a node-redis client without an 'error' listener would end
 * the process at the first disconnect.
 */
export function urlConnection(url: string, logger: Logger, tag: string): RedisConnection {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
  });
  let down = false;
  client.on('error', (error: unknown) => {
    if (!down) logger.warn(`${tag} connection to Redis failed; reconnecting: ${describeError(error)}`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info(`${tag} connected to Redis again`);
    down = false;
  });

  let connecting: Promise<unknown> | undefined;
  let closed = false;
  return {
    ready: async () => {
      if (closed) throw new Error('the store is closed');
      // connect() settles once the first connection is up; later drops are the client's to mend.
      connecting ??= client.connect().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      });
      if (!client.isReady) await connecting;
      return client;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      connecting?.catch(() => undefined);
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}
