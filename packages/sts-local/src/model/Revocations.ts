import type { Caller } from './Caller';
import type { IssuedCredentials } from './SessionStore';

/**
 * Sessions revoked after they were issued, the two ways AWS has:
 *
 * - one session (`revokeSession`): STS no longer knows its token, so a request signed with it answers as
 *   for any token it does not accept, `InvalidClientTokenId`, "The security token included in the request
 *   is invalid." (AWS revokes sessions this way itself, e.g. the keys of a leaked session; IAM has no API
 *   for it.)
 * - a role's sessions issued before a time (`revokeRoleSessions`): what IAM's "Revoke active sessions"
 *   does, an inline policy on the role denying every action with `DateLessThan aws:TokenIssueTime`
 *   (docs: IAM User Guide, "Revoke IAM role temporary security credentials"). The key stays valid:
 *   requests answer `AccessDenied` with an explicit deny, except GetCallerIdentity, which no policy can
 *   deny (STS API Reference, GetCallerIdentity). Sessions of the role issued afterwards are not affected.
 */
export class Revocations {
  readonly #sessions = new Set<string>();
  /** Role ARN → sessions issued before this instant (epoch ms) are denied. */
  readonly #roles = new Map<string, number>();

  revokeSession(accessKeyId: string): void {
    this.#sessions.add(accessKeyId);
  }

  isRevoked(accessKeyId: string): boolean {
    return this.#sessions.has(accessKeyId);
  }

  /** Like the console's button pressed again: the later instant stands. */
  revokeRoleSessions(roleArn: string, issuedBefore: number): void {
    this.#roles.set(roleArn, Math.max(issuedBefore, this.#roles.get(roleArn) ?? Number.NEGATIVE_INFINITY));
  }

  /** True when `caller`, a session `issued` as it is, falls under a role's revocation policy. */
  deniedByRole(caller: Caller, issued: IssuedCredentials | undefined): boolean {
    if (caller.origin !== 'role-session' || caller.roleArn === undefined || issued === undefined) return false;
    const before = this.#roles.get(caller.roleArn);
    return before !== undefined && issued.issuedAt < before;
  }
}
