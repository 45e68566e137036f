import { randomBytes } from 'node:crypto';
import { makeAccessKeyId } from './accessKeyId';
import type { Caller } from './Caller';

/** Temporary credentials as issued, with the caller they stand for. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Epoch ms, whole seconds (the XML carries no milliseconds). */
  readonly expiration: number;
  /** When they were issued (epoch ms, the server's clock): `aws:TokenIssueTime`. */
  readonly issuedAt: number;
  readonly caller: Caller;
}

/**
 * How long an expired session is still known (so its key answers ExpiredToken rather than
 * InvalidClientTokenId); after that it is forgotten, so a server that runs for weeks stays small.
 */
export const EXPIRED_SESSION_RETENTION_MS = 24 * 60 * 60_000;
const SWEEP_EVERY = 256;

/** The temporary credentials sts-local has issued, by access key ID (expired ones for a day). */
export class SessionStore {
  readonly #sessions = new Map<string, IssuedCredentials>();
  #issuedSinceSweep = 0;

  /**
   * Issues credentials for `build(accessKeyId, expiration)`'s caller, valid `lifetimeMs` from `now`.
   * The key ID encodes the caller's account, as AWS's do.
   */
  issue(
    account: string,
    now: number,
    lifetimeMs: number,
    build: (accessKeyId: string, expiration: number) => Caller,
  ): IssuedCredentials {
    const accessKeyId = makeAccessKeyId('ASIA', account);
    const expiration = Math.floor((now + lifetimeMs) / 1000) * 1000;
    const issued: IssuedCredentials = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      // STS tokens are opaque and of no fixed size; this one is long and base64 like theirs.
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString('base64')}`,
      expiration,
      issuedAt: now,
      caller: build(accessKeyId, expiration),
    };
    this.#sessions.set(accessKeyId, issued);
    if (++this.#issuedSinceSweep >= SWEEP_EVERY) this.sweep(now);
    return issued;
  }

  /** Forgets sessions expired more than {@link EXPIRED_SESSION_RETENTION_MS} before `now`. */
  sweep(now: number): void {
    this.#issuedSinceSweep = 0;
    for (const [id, session] of this.#sessions) {
      if (session.expiration + EXPIRED_SESSION_RETENTION_MS < now) this.#sessions.delete(id);
    }
  }

  get(accessKeyId: string): IssuedCredentials | undefined {
    return this.#sessions.get(accessKeyId);
  }

  /** The sessions still known, oldest first (for revocation by role; secrets stay inside sts-local). */
  values(): IterableIterator<IssuedCredentials> {
    return this.#sessions.values();
  }

  /** Every issued credential, newest last (for helpers and the CLI; secrets stay inside). */
  size(): number {
    return this.#sessions.size;
  }
}
