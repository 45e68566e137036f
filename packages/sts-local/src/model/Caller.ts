import type { Tag } from '../validate/rules';

/**
 * Where a caller's credentials come from. Long-term keys are `user` or `root`; temporary ones
 * record the operation that issued them, which decides what they may call next.
 */
export type CallerOrigin = 'user' | 'root' | 'user-session' | 'role-session' | 'federated' | 'root-session';

/** The principal behind a verified request. */
export interface Caller {
  readonly origin: CallerOrigin;
  readonly account: string;
  /** The ARN GetCallerIdentity answers with. */
  readonly arn: string;
  /** The UserId GetCallerIdentity answers with. */
  readonly userId: string;
  /** The account root user, directly or through its GetSessionToken session. */
  readonly isRootUser: boolean;
  /** The IAM user ARN behind `user` and `user-session` callers. */
  readonly userArn?: string;
  /** The role ARN behind a role session. */
  readonly roleArn?: string;
  /** Authenticated with MFA (this request, or the call that issued the session). */
  readonly mfaAuthenticated: boolean;
  readonly sourceIdentity?: string;
  /** Transitive session tags a chained role session inherits. */
  readonly transitiveTags: readonly Tag[];
  readonly accessKeyId: string;
  /** Epoch ms; undefined for long-term keys. */
  readonly expiration?: number;
}

/** The IAM-style ARN of a caller used in trust decisions (role sessions trust as their role). */
export function principalArnForTrust(caller: Caller): string {
  if (caller.origin === 'role-session' && caller.roleArn !== undefined) return caller.roleArn;
  if (caller.userArn !== undefined) return caller.userArn;
  return caller.arn;
}
