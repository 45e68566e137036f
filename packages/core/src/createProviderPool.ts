import { LRUCache } from 'lru-cache';

import { InvalidParameterError } from './errors';
import { INSPECT } from './redact';

/** Anything the pool can hold: it closes what it evicts. */
export interface Closeable {
  close(): void;
}

export interface ProviderPoolOptions<P, V extends Closeable> {
  /** How many providers to keep; the least recently used beyond it is closed and dropped. */
  readonly max: number;
  /** Builds the provider for parameters seen for the first time. Must not do I/O (factories don't). */
  readonly create: (params: P) => V;
}

/** A bounded set of providers keyed by their parameters, for daemons that serve many roles. */
export interface ProviderPool<P, V extends Closeable> {
  /** The provider for `params`, built on first use; equal parameters in any key order share one. */
  get(params: P): V;
  /** Closes and drops the provider for `params`, if any. */
  delete(params: P): boolean;
  readonly size: number;
  /** Closes every provider. */
  close(): void;
  [Symbol.dispose](): void;
}

/**
 * A stable text for parameters: object keys sorted at every depth, so `{RoleArn, ExternalId}` and
 * `{ExternalId, RoleArn}` are one key, while array order (PolicyArns, Tags) still counts.
 * Undefined members are dropped, as the SDK drops them from the request.
 */
export function canonicalKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * One provider per distinct set of parameters (RoleArn, ExternalId, session name, policy…),
 * bounded with an LRU: a multi-tenant daemon holds one refreshing provider per customer role
 * without growing without bound. Providers are built synchronously, so concurrent `get`s of one key
 * always share one provider.
 */
export function createProviderPool<P, V extends Closeable>(options: ProviderPoolOptions<P, V>): ProviderPool<P, V> {
  const { max, create } = options;
  if (!Number.isInteger(max) || max < 1) throw new InvalidParameterError('max', 'must be a whole number ≥ 1');
  if (typeof create !== 'function') throw new InvalidParameterError('create', 'must be a function');
  const cache = new LRUCache<string, V>({
    max,
    dispose: (provider) => provider.close(),
  });
  const pool: ProviderPool<P, V> = {
    get(params) {
      const key = canonicalKey(params);
      let provider = cache.get(key);
      if (provider === undefined) {
        provider = create(params);
        cache.set(key, provider);
      }
      return provider;
    },
    delete: (params) => cache.delete(canonicalKey(params)),
    get size() {
      return cache.size;
    },
    close: () => cache.clear(),
    [Symbol.dispose]: () => cache.clear(),
  };
  Object.defineProperty(pool, INSPECT, { value: () => `ProviderPool(${cache.size}/${max})` });
  return pool;
}
