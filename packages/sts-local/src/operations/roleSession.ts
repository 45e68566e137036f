import type { RoleConfig } from '../config/types';
import { roleArn, roleId } from '../model/IdentityStore';
import type { Tag } from '../validate/rules';
import { validationError } from '../protocol/StsErrorResponse';
import type { XmlTree } from '../protocol/xml';
import { credentialsXml, lifetimeMs, type OperationContext } from './context';

export const CHAINING_LIMIT_MESSAGE =
  'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.';
export const MAX_SESSION_DURATION_MESSAGE =
  'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';

/** The role's MaxSessionDuration (3600 when unset). */
export function maxSessionDuration(role: RoleConfig): number {
  return role.maxSessionDuration ?? 3600;
}

/** DurationSeconds above the role's MaxSessionDuration fails, as STS says it does. */
export function checkRoleDuration(role: RoleConfig, seconds: number): void {
  if (seconds > maxSessionDuration(role)) throw validationError(MAX_SESSION_DURATION_MESSAGE);
}

export interface RoleSessionInit {
  readonly role: RoleConfig;
  readonly sessionName: string;
  readonly durationSeconds: number;
  /** Caps the expiration (SAML SessionNotOnOrAfter), epoch ms. */
  readonly notAfter?: number;
  readonly mfaAuthenticated: boolean;
  readonly sourceIdentity?: string;
  readonly transitiveTags: readonly Tag[];
}

/** Issues role-session credentials and returns the `Credentials` and `AssumedRoleUser` elements. */
export function issueRoleSession(
  ctx: OperationContext,
  init: RoleSessionInit,
): { Credentials: XmlTree; AssumedRoleUser: XmlTree } {
  const { role, sessionName } = init;
  const arn = `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`;
  const userId = `${roleId(role)}:${sessionName}`;
  let lifetime = lifetimeMs(ctx, init.durationSeconds);
  if (init.notAfter !== undefined) lifetime = Math.min(lifetime, init.notAfter - ctx.now);
  const issued = ctx.sessions.issue(role.account, ctx.now, lifetime, (accessKeyId, expiration) => ({
    origin: 'role-session',
    account: role.account,
    arn,
    userId,
    isRootUser: false,
    roleArn: roleArn(role),
    mfaAuthenticated: init.mfaAuthenticated,
    ...(init.sourceIdentity === undefined ? {} : { sourceIdentity: init.sourceIdentity }),
    transitiveTags: init.transitiveTags,
    accessKeyId,
    expiration,
  }));
  return { Credentials: credentialsXml(issued), AssumedRoleUser: { Arn: arn, AssumedRoleId: userId } };
}
