import type { TemporaryCredentials } from '../types';

/**
 * A second cache level below a provider's in-process cache, shared between processes (and hosts):
 * the AWS CLI's file cache, Redis (`@credchain/redis`), or your own. docs/ARCHITECTURE.md, "Stores".
 *
 * The engine calls a store only on a refresh, never on the hot path. Every method may fail or hang:
 * the engine bounds each call with `timeoutMs`, reports a failure through the `store-error` event and
 * goes on as if there were no store. A store never sees a key in clear that it did not ask for: `key`
 * is the engine's canonical text of what the credentials depend on (operation, parameters, source
 * principal); a store that keeps it outside the process names its entries by a keyed hash of it.
 */
export interface CredentialStore {
  /** Names the store in log lines and events, e.g. `redis` or `aws-cli-cache`. */
  readonly name: string;
  /**
   * The entry under `key`, or undefined when there is none. An entry the store cannot read (does not
   * parse, fails authentication, belongs to another key, has expired) is undefined too: the store
   * reports it through `options.report` and never returns it.
   */
  get(key: string, options: StoreCallOptions): Promise<TemporaryCredentials | undefined>;
  /**
   * Keeps `credentials` under `key` until `keepUntil` (ms since the epoch; the engine passes the start
   * of the mandatory window), replacing any entry.
   */
  set(key: string, credentials: TemporaryCredentials, options: StoreSetOptions): Promise<void>;
  /**
   * Tries once to take the lock for `key`, held for at most `ttlMs` unless released: a held lock,
   * or undefined when another holder has it. Only the holder's `release` frees it.
   */
  lock(key: string, options: StoreLockOptions): Promise<StoreLock | undefined>;
}

/** A lock taken from a store. */
export interface StoreLock {
  /** Frees the lock if this holder still has it; after its TTL it may already be another's. */
  release(): Promise<void>;
}

/** What the engine hands to every store call. */
export interface StoreCallOptions {
  /** Called with what the store ignored or could not do (an unreadable entry, …); never a secret. */
  readonly report?: (problem: StoreProblem) => void;
}

export interface StoreSetOptions extends StoreCallOptions {
  /** Ms since the epoch after which the entry must not be served. */
  readonly keepUntil: number;
}

export interface StoreLockOptions extends StoreCallOptions {
  /** How long the lock holds unless released, in ms. */
  readonly ttlMs: number;
}

/** Something a store ignored or failed to do, as the `store-error` event reports it. */
export interface StoreProblem {
  /** What was being done. */
  readonly action: 'get' | 'set' | 'lock' | 'release';
  /**
   * `unavailable`: the store did not answer (down, timed out); `bad-entry`: an entry was ignored
   * (unreadable, failed authentication, another key's, expired); `error`: anything else.
   */
  readonly kind: 'unavailable' | 'bad-entry' | 'error';
  /** A sentence without secrets. */
  readonly message: string;
}
