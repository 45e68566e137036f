import type { SessionStore } from '../model/SessionStore';
import type { IdentityCenter } from './IdentityCenter';
import type { SsoTokenStore } from './SsoTokenStore';

/** Lifetime of the access tokens CreateToken issues: an hour, as IAM Identity Center's. */
export const ACCESS_TOKEN_SECONDS = 3600;
/** Lifetime of a client registration: RegisterClient's secrets expire after 90 days. */
export const REGISTRATION_SECONDS = 90 * 24 * 3600;

/** What the SSO endpoint judges requests by. */
export interface SsoState {
  readonly center: IdentityCenter;
  readonly tokens: SsoTokenStore;
  /** sts-local's own session store: the role credentials it issues sign STS requests. */
  readonly sessions: SessionStore;
  /** Default lifetimes (tokens, registrations, role sessions) are multiplied by this. */
  readonly timeScale: number;
}
