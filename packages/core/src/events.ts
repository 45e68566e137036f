import type { RefreshReason } from './types';

interface EventBase {
  /** The provider's name, e.g. `assume-role`. */
  readonly provider: string;
  /** When it happened, by the provider's clock (ms since the epoch). */
  readonly at: number;
}

/** A fetch began. */
export interface RefreshStartEvent extends EventBase {
  readonly type: 'refresh-start';
  readonly reason: RefreshReason;
  /** 1 for the first attempt of a refresh, 2… for background retries. */
  readonly attempt: number;
}

/** New credentials were installed. */
export interface RefreshSuccessEvent extends EventBase {
  readonly type: 'refresh-success';
  readonly reason: RefreshReason;
  readonly expiration: Date;
  /** How long the fetch took, by the provider's clock. */
  readonly durationMs: number;
}

/** A fetch failed. `final` errors are not retried in the background. */
export interface RefreshFailureEvent extends EventBase {
  readonly type: 'refresh-failure';
  readonly reason: RefreshReason;
  readonly attempt: number;
  readonly error: unknown;
  readonly final: boolean;
}

/** A refresh failed in the mandatory window and the caller got the old, still valid credentials. */
export interface ServedStaleEvent extends EventBase {
  readonly type: 'served-stale';
  readonly expiration: Date;
  readonly msLeft: number;
}

/** A requested session duration was lowered (role chaining allows one hour at most). */
export interface DurationCappedEvent extends EventBase {
  readonly type: 'duration-capped';
  readonly requestedSeconds: number;
  readonly grantedSeconds: number;
  readonly why: string;
}

/** An MFA code is being asked for. */
export interface MfaPromptEvent extends EventBase {
  readonly type: 'mfa-prompt';
  readonly serialNumber: string;
}

/** A caller found the cached credentials expired with no replacement ready. */
export interface ExpiredEvent extends EventBase {
  readonly type: 'expired';
  readonly expiration: Date;
}

/**
 * A service rejected the cached credentials (`code`: ExpiredToken, InvalidClientTokenId, …) and they
 * were dropped: the next call fetches new ones. Sent once per credentials, however many requests were
 * rejected with them; never carries the key.
 */
export interface CredentialsRejectedEvent extends EventBase {
  readonly type: 'credentials-rejected';
  /** The service's error code, when the caller of `invalidate` gave one. */
  readonly code: string | undefined;
}

/**
 * A credential store (the `store` option) failed, timed out or held an entry it would not serve; the
 * provider went on without it. `message` never carries a secret.
 */
export interface StoreErrorEvent extends EventBase {
  readonly type: 'store-error';
  /** The store's name, e.g. `redis`. */
  readonly store: string;
  readonly action: 'get' | 'set' | 'lock' | 'release';
  readonly kind: 'unavailable' | 'bad-entry' | 'error';
  readonly message: string;
}

/** A refresh took credentials another process had put in the store, instead of calling STS. */
export interface StoreHitEvent extends EventBase {
  readonly type: 'store-hit';
  readonly store: string;
  readonly expiration: Date;
}

/**
 * The offset between STS's clock and the provider's changed by a second or more: the provider now
 * decides windows and expiry on STS's time line, read from the `Date` of the STS answer that brought
 * its credentials (docs/ARCHITECTURE.md, engine rule 9). Sent when a skew is first seen and when it
 * changes, not for every answer.
 */
export interface ClockSkewEvent extends EventBase {
  readonly type: 'clock-skew';
  /**
   * STS's time minus the provider's clock, in ms: positive when the local clock is behind STS's, 0 when
   * the two agree within what one answer can tell (its round trip and the `Date` header's second).
   */
  readonly offsetMs: number;
}

/** A warning a user should see once, e.g. a federation token without a session policy. */
export interface WarningEvent extends EventBase {
  readonly type: 'warning';
  readonly message: string;
}

/** Everything `onEvent` can receive. Events never carry secrets. */
export type CredentialEvent =
  | RefreshStartEvent
  | RefreshSuccessEvent
  | RefreshFailureEvent
  | ServedStaleEvent
  | DurationCappedEvent
  | MfaPromptEvent
  | ExpiredEvent
  | CredentialsRejectedEvent
  | StoreErrorEvent
  | StoreHitEvent
  | ClockSkewEvent
  | WarningEvent;

/** Receives every event of a provider. A listener that throws is logged and otherwise ignored. */
export type EventListener = (event: CredentialEvent) => void;
