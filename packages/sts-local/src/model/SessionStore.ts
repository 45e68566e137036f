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
  readonly caller: Caller;
}

/** Every temporary credential sts-local has issued, by access key ID. */
export class SessionStore {
  readonly #sessions = new Map<string, IssuedCredentials>();

  /**
   * Issues credentials for `build(accessKeyId, expiration)`'s caller, valid `lifetimeMs` from `now`.
   * The key ID encodes the caller's account, as AWS's do.
   */
  issue(account: string, now: number, lifetimeMs: number, build: (accessKeyId: string, expiration: number) => Caller): IssuedCredentials {
    const accessKeyId = makeAccessKeyId('ASIA', account);
    const expiration = Math.floor((now + lifetimeMs) / 1000) * 1000;
    const issued: IssuedCredentials = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      // STS tokens are opaque and of no fixed size; this one is long and base64 like theirs.
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString('base64')}`,
      expiration,
      caller: build(accessKeyId, expiration),
    };
    this.#sessions.set(accessKeyId, issued);
    return issued;
  }

  get(accessKeyId: string): IssuedCredentials | undefined {
    return this.#sessions.get(accessKeyId);
  }

  /** Every issued credential, newest last (for helpers and the CLI; secrets stay inside). */
  size(): number {
    return this.#sessions.size;
  }
}
