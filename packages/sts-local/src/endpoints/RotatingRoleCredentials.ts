import type { RoleConfig } from '../config/types';
import { roleArn, roleId } from '../model/IdentityStore';
import type { IssuedCredentials, SessionStore } from '../model/SessionStore';

/** How long instance and task role credentials last (EC2's last about 6 hours), before timeScale. */
export const SERVED_CREDENTIALS_LIFETIME_MS = 6 * 60 * 60_000;
/**
 * New credentials are served once the current ones have less than this left, before timeScale. EC2 promises new
 * credentials at least 5 minutes before the old ones expire; 15 minutes leaves SDKs that refresh 5 minutes ahead
 * (the JS SDK, the AWS CLI) a window in which the endpoint already has fresh ones.
 */
export const ROTATION_MARGIN_MS = 15 * 60_000;

/** Credentials an endpoint serves, with when they were issued (IMDS's `LastUpdated`). */
export interface ServedCredentials {
  readonly issued: IssuedCredentials;
  readonly issuedAt: number;
}

/**
 * The role session an instance or a task holds: issued through sts-local's own session store (so STS accepts what
 * the endpoint hands out, and AssumeRole from it is role chaining), and the same credentials served until they are
 * within {@link ROTATION_MARGIN_MS} of expiry.
 */
export class RotatingRoleCredentials {
  readonly #sessions: SessionStore;
  readonly #role: RoleConfig;
  readonly #sessionName: string;
  readonly #timeScale: number;
  #current: ServedCredentials | undefined;

  constructor(sessions: SessionStore, role: RoleConfig, sessionName: string, timeScale: number) {
    this.#sessions = sessions;
    this.#role = role;
    this.#sessionName = sessionName;
    this.#timeScale = timeScale;
  }

  /** The role session's ARN, as GetCallerIdentity shows it. */
  get arn(): string {
    return `arn:aws:sts::${this.#role.account}:assumed-role/${this.#role.name}/${this.#sessionName}`;
  }

  /** The credentials to serve at `now`, issuing new ones when the current ones are within the margin. */
  current(now: number): ServedCredentials {
    const margin = ROTATION_MARGIN_MS * this.#timeScale;
    if (this.#current !== undefined && this.#current.issued.expiration - now > margin) return this.#current;
    const role = this.#role;
    const arn = this.arn;
    const issued = this.#sessions.issue(
      role.account,
      now,
      SERVED_CREDENTIALS_LIFETIME_MS * this.#timeScale,
      (accessKeyId, expiration) => ({
        origin: 'role-session',
        account: role.account,
        arn,
        userId: `${roleId(role)}:${this.#sessionName}`,
        isRootUser: false,
        roleArn: roleArn(role),
        mfaAuthenticated: false,
        transitiveTags: [],
        accessKeyId,
        expiration,
      }),
    );
    this.#current = { issued, issuedAt: now };
    return this.#current;
  }
}
