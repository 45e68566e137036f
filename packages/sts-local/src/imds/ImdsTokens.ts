import { randomBytes } from 'node:crypto';

/** The TTL bounds IMDS accepts in `x-aws-ec2-metadata-token-ttl-seconds`. */
export const MIN_TOKEN_TTL_SECONDS = 1;
export const MAX_TOKEN_TTL_SECONDS = 21600;
const SWEEP_EVERY = 256;

/** What a presented token turned out to be. */
export type TokenCheck = 'valid' | 'expired' | 'unknown';

/**
 * IMDSv2 session tokens: opaque, random, valid for the TTL the PUT asked for on sts-local's clock (not scaled by
 * timeScale: the client chose the TTL and expects it to hold). Expired ones are swept as new ones are issued.
 */
export class ImdsTokens {
  readonly #tokens = new Map<string, number>();
  #issuedSinceSweep = 0;

  issue(now: number, ttlSeconds: number): string {
    // Real tokens are opaque base64 of ~56 characters starting AQAEA; the shape only needs to look alike.
    const token = `AQAEA${randomBytes(39).toString('base64url')}==`;
    this.#tokens.set(token, now + ttlSeconds * 1000);
    if (++this.#issuedSinceSweep >= SWEEP_EVERY) {
      this.#issuedSinceSweep = 0;
      for (const [t, expires] of this.#tokens) if (expires <= now) this.#tokens.delete(t);
    }
    return token;
  }

  /** Tokens are looked up by value: a hash lookup, no character-by-character compare to time. */
  check(token: string, now: number): TokenCheck {
    const expires = this.#tokens.get(token);
    if (expires === undefined) return 'unknown';
    return expires > now ? 'valid' : 'expired';
  }
}
