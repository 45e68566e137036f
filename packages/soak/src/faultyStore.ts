/**
 * The credential store the soak's store fleet shares (storeFleet.ts): a `CredentialStore` in memory that
 * injects faults at a seeded rate and has whole outages.
 *
 * In memory, not Redis: a real Redis keeps its TTLs and lock expiries on the wall clock, which cannot follow
 * the soak's simulated time (days pass in seconds), so its entries would outlive the credentials they hold
 * and its locks would never expire. Its answers come back as a real store's do, through promises; a hang is a
 * promise that never settles, which only the engine's timeout (a simulated `setTimeout`) ends.
 */
import type {
  CredentialStore,
  StoreCallOptions,
  StoreLock,
  StoreLockOptions,
  StoreSetOptions,
  TemporaryCredentials,
} from '@credchain/core';

import { seededRandom } from './seededRandom';

/**
 * `refused`: the call throws (connection refused); `hang`: it never answers (for `set`, `lock` and
 * `release` the request arrived and took effect, only the answer is lost); `garbage`: `get` answers
 * something that is not credentials; `lost-write`: `set` answers but keeps nothing.
 */
export type StoreFaultKind = 'refused' | 'hang' | 'garbage' | 'lost-write';
export type StoreAction = 'get' | 'set' | 'lock' | 'release';

/** A whole outage: every call refused, or every call unanswered. */
export type StoreOutageKind = 'refused' | 'hang';

const FAULTS_OF: Record<StoreAction, readonly StoreFaultKind[]> = {
  get: ['refused', 'hang', 'garbage'],
  set: ['refused', 'hang', 'lost-write'],
  lock: ['refused', 'hang'],
  release: ['refused', 'hang'],
};

/** What a broken store might answer to `get`: nothing a caller could sign with. */
const GARBAGE: readonly unknown[] = [
  'OK',
  {},
  { accessKeyId: 42, expiration: '2030-01-01T00:00:00Z' },
  { accessKeyId: 'ASIA-NOT-A-KEY', expiration: new Date(Number.NaN) },
];

export interface FaultyStoreOptions {
  /** Probability that a call (outside outages) meets an injected fault. */
  readonly faultRate: number;
  readonly seed: number;
}

/** What the store saw, for the report. */
export interface StoreCounts {
  calls: Record<StoreAction, number>;
  /** Faults injected outside outages, by kind. */
  faults: Record<StoreFaultKind, number>;
  /** Calls met by an outage. */
  outageCalls: number;
  /** `get` calls that answered with an entry. */
  entriesServed: number;
  /** Locks granted, and lock calls that found the lock held by another. */
  locksGranted: number;
  locksBusy: number;
}

// A copy, as a store that serialises entries hands back: no two processes share an object.
const copy = (c: TemporaryCredentials): TemporaryCredentials => ({ ...c, expiration: new Date(c.expiration) });

const never = (): Promise<never> => new Promise<never>(() => undefined);

class Refused extends Error {
  override readonly name = 'StoreConnectionError';
  constructor(action: StoreAction) {
    super(`connect ECONNREFUSED (soak store, ${action})`);
  }
}

/** The soak's in-memory store with seeded faults; `outage` is set and cleared by the soak's schedule. */
export class FaultyStore implements CredentialStore {
  readonly name = 'soak-memory';
  /** The outage under way, if any. */
  outage: StoreOutageKind | undefined;
  readonly counts: StoreCounts = {
    calls: { get: 0, set: 0, lock: 0, release: 0 },
    faults: { refused: 0, hang: 0, garbage: 0, 'lost-write': 0 },
    outageCalls: 0,
    entriesServed: 0,
    locksGranted: 0,
    locksBusy: 0,
  };
  private readonly entries = new Map<string, { credentials: TemporaryCredentials; keepUntil: number }>();
  private readonly locks = new Map<string, { token: number; until: number }>();
  private readonly random: () => number;
  private readonly faultRate: number;
  private nextToken = 1;

  constructor(options: FaultyStoreOptions) {
    this.faultRate = options.faultRate;
    // Its own sequence, apart from the engine's Math.random, so that store faults replay on their own.
    this.random = seededRandom(options.seed ^ 0x5bd1e995);
  }

  /** The fault this call meets, if any; counts the call. */
  private fault(action: StoreAction): StoreFaultKind | undefined {
    this.counts.calls[action]++;
    if (this.outage !== undefined) {
      this.counts.outageCalls++;
      return this.outage;
    }
    if (this.faultRate <= 0 || this.random() >= this.faultRate) return undefined;
    const kinds = FAULTS_OF[action];
    const kind = kinds[Math.floor(this.random() * kinds.length)]!;
    this.counts.faults[kind]++;
    return kind;
  }

  // In an outage a hang loses the request; a single hang loses only the answer, after the call took effect.
  private lostRequest(kind: StoreFaultKind | undefined): boolean {
    return kind === 'hang' && this.outage !== undefined;
  }

  // `options.report` is for entries a store ignores (unreadable, another key's): this store keeps only
  // what it was given, so it has none to report.
  async get(key: string, _options: StoreCallOptions): Promise<TemporaryCredentials | undefined> {
    const kind = this.fault('get');
    if (kind === 'refused') throw new Refused('get');
    if (kind === 'hang') return never();
    if (kind === 'garbage') {
      return GARBAGE[Math.floor(this.random() * GARBAGE.length)] as TemporaryCredentials;
    }
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.keepUntil <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    this.counts.entriesServed++;
    return copy(entry.credentials);
  }

  async set(key: string, credentials: TemporaryCredentials, options: StoreSetOptions): Promise<void> {
    const kind = this.fault('set');
    if (kind === 'refused') throw new Refused('set');
    if (kind === 'lost-write') return;
    if (this.lostRequest(kind)) return never();
    this.entries.set(key, { credentials: copy(credentials), keepUntil: options.keepUntil });
    if (kind === 'hang') return never();
  }

  async lock(key: string, options: StoreLockOptions): Promise<StoreLock | undefined> {
    const kind = this.fault('lock');
    if (kind === 'refused') throw new Refused('lock');
    if (this.lostRequest(kind)) return never();
    const now = Date.now();
    const held = this.locks.get(key);
    if (held !== undefined && held.until > now) {
      this.counts.locksBusy++;
      return kind === 'hang' ? never() : undefined;
    }
    const token = this.nextToken++;
    this.locks.set(key, { token, until: now + options.ttlMs });
    this.counts.locksGranted++;
    if (kind === 'hang') return never();
    return { release: () => this.release(key, token) };
  }

  private async release(key: string, token: number): Promise<void> {
    const kind = this.fault('release');
    if (kind === 'refused') throw new Refused('release');
    if (this.lostRequest(kind)) return never();
    if (this.locks.get(key)?.token === token) this.locks.delete(key);
    if (kind === 'hang') return never();
  }
}
