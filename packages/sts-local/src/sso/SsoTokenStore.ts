import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A client registered with SSO OIDC (RegisterClient, or the one a sign-in registers). */
export interface ClientRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clientName: string;
  /** Epoch ms, whole seconds (RegisterClient answers `clientSecretExpiresAt` in seconds). */
  readonly expiresAt: number;
}

/** One sign-in to the access portal: every token it leads to ends with it. */
interface PortalSession {
  readonly userName: string;
  readonly clientId: string;
  revoked: boolean;
}

interface TokenRecord {
  readonly kind: 'access' | 'refresh';
  readonly session: PortalSession;
  /** Epoch ms (exact: CreateToken's expiresIn counts whole seconds from the request). */
  expiresAt: number;
  /** A refresh token already exchanged: AWS rotates refresh tokens, the old one is spent. */
  spent: boolean;
}

/** What a sign-in or a refresh hands out. */
export interface IssuedTokens {
  readonly accessToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly refreshToken: string | undefined;
}

/** Why a refresh token was refused (all are InvalidGrantException on the wire). */
export type RefreshRefusal = 'unknown' | 'other-client' | 'spent' | 'revoked' | 'expired';

/** Forget tokens expired this long ago, so a server that runs for weeks stays small. */
const RETENTION_MS = 24 * 60 * 60_000;
const SWEEP_EVERY = 256;

const wholeSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The SSO OIDC side of sts-local: registered clients, portal sessions, and the access and refresh
 * tokens it issued, each with an expiry on the server's clock. Tokens are opaque random strings
 * shaped like AWS's (`aoa…` access, `aor…` refresh).
 */
export class SsoTokenStore {
  readonly #clients = new Map<string, ClientRegistration>();
  readonly #tokens = new Map<string, TokenRecord>();
  #issuedSinceSweep = 0;

  registerClient(clientName: string, now: number, lifetimeMs: number): ClientRegistration {
    const registration: ClientRegistration = {
      clientId: randomBytes(16).toString('base64url'),
      clientSecret: `eyJraWQiOiJrZXktc3RzLWxvY2FsIn0.${randomBytes(96).toString('base64url')}`,
      clientName,
      expiresAt: wholeSeconds(now + lifetimeMs),
    };
    this.#clients.set(registration.clientId, registration);
    return registration;
  }

  /** The registration `clientId`/`clientSecret` prove, if it is known, matches and has not expired. */
  authenticateClient(clientId: string, clientSecret: string, now: number): ClientRegistration | undefined {
    const registration = this.#clients.get(clientId);
    if (registration === undefined || !sameSecret(registration.clientSecret, clientSecret)) return undefined;
    return registration.expiresAt > now ? registration : undefined;
  }

  /**
   * Signs `userName` in through `clientId`: an access token valid `accessTtlMs`, and when
   * `refreshable`, a refresh token valid until the portal session ends (`sessionMs`).
   */
  signIn(
    init: { userName: string; clientId: string; refreshable: boolean; accessTtlMs: number; sessionMs: number },
    now: number,
  ): IssuedTokens {
    const session: PortalSession = { userName: init.userName, clientId: init.clientId, revoked: false };
    const sessionEnd = now + init.sessionMs;
    const accessExpiry = Math.min(now + init.accessTtlMs, sessionEnd);
    return this.#issue(session, now, accessExpiry, init.refreshable ? sessionEnd : undefined);
  }

  /**
   * Exchanges a refresh token for a new access token (valid `accessTtlMs`, never past the portal
   * session) and a new refresh token; the old refresh token is spent.
   */
  refresh(refreshToken: string, clientId: string, now: number, accessTtlMs: number): IssuedTokens | RefreshRefusal {
    const record = this.#tokens.get(refreshToken);
    if (record === undefined || record.kind !== 'refresh') return 'unknown';
    if (record.session.clientId !== clientId) return 'other-client';
    if (record.session.revoked) return 'revoked';
    if (record.spent) return 'spent';
    if (record.expiresAt <= now) return 'expired';
    record.spent = true;
    const accessExpiry = Math.min(now + accessTtlMs, record.expiresAt);
    return this.#issue(record.session, now, accessExpiry, record.expiresAt);
  }

  /** The user an access token stands for, if it is one this store issued and still valid at `now`. */
  userOfAccessToken(accessToken: string, now: number): string | undefined {
    const record = this.#tokens.get(accessToken);
    if (record === undefined || record.kind !== 'access' || record.session.revoked || record.expiresAt <= now)
      return undefined;
    return record.session.userName;
  }

  /** Ends the portal session `token` belongs to (as signing out or an administrator's revocation does). */
  revoke(token: string): boolean {
    const record = this.#tokens.get(token);
    if (record === undefined) return false;
    record.session.revoked = true;
    return true;
  }

  /** Makes `token` (access or refresh) expire at `now`; its session's other tokens are untouched. */
  expire(token: string, now: number): boolean {
    const record = this.#tokens.get(token);
    if (record === undefined) return false;
    record.expiresAt = Math.min(record.expiresAt, now);
    return true;
  }

  #issue(session: PortalSession, now: number, accessExpiry: number, refreshExpiry: number | undefined): IssuedTokens {
    if (++this.#issuedSinceSweep >= SWEEP_EVERY) this.#sweep(now);
    const accessToken = `aoa${randomBytes(96).toString('base64url')}`;
    this.#tokens.set(accessToken, { kind: 'access', session, expiresAt: accessExpiry, spent: false });
    let refreshToken: string | undefined;
    if (refreshExpiry !== undefined) {
      refreshToken = `aor${randomBytes(96).toString('base64url')}`;
      this.#tokens.set(refreshToken, { kind: 'refresh', session, expiresAt: refreshExpiry, spent: false });
    }
    return { accessToken, expiresAt: accessExpiry, refreshToken };
  }

  #sweep(now: number): void {
    this.#issuedSinceSweep = 0;
    for (const [token, record] of this.#tokens) if (record.expiresAt + RETENTION_MS < now) this.#tokens.delete(token);
    for (const [id, client] of this.#clients) if (client.expiresAt + RETENTION_MS < now) this.#clients.delete(id);
  }
}
