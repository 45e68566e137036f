import { accessDenied, validationError } from '../protocol/StsErrorResponse';
import {
  PATTERNS,
  checkString,
  durationSeconds,
  optionalString,
  policy,
  policyArns,
  providedContexts,
  required,
  sourceIdentity,
  tags,
  transitiveTagKeys,
  type Tag,
} from '../validate/rules';
import { packedPolicySize } from '../validate/packedPolicySize';
import { callerOf, checkRegionEnabled, type Operation } from './context';
import { CHAINING_LIMIT_MESSAGE, checkRoleDuration, issueRoleSession } from './roleSession';
import { trustsCaller } from './trust';
import { verifyMfa } from './verifyMfa';

/** AssumeRole: a role session for a user, a role session (chaining) or a user session. */
export const assumeRole: Operation = {
  signed: true,
  handle(ctx) {
    const caller = callerOf(ctx);
    const { params } = ctx;
    const roleArnParam = checkString('RoleArn', required(params, 'RoleArn'), PATTERNS.arn);
    const sessionName = checkString('RoleSessionName', required(params, 'RoleSessionName'), PATTERNS.roleSessionName);
    const duration = durationSeconds(params, 900, 43200, 3600);
    const externalId = optionalString(params, 'ExternalId', PATTERNS.externalId);
    const serial = optionalString(params, 'SerialNumber', PATTERNS.serialNumber);
    const code = optionalString(params, 'TokenCode', PATTERNS.tokenCode);
    const source = sourceIdentity(params);
    const sessionPolicy = policy(params);
    const arns = policyArns(params);
    const sessionTags = tags(params);
    const transitive = transitiveTagKeys(params, sessionTags);
    providedContexts(params);

    const denied = accessDenied(
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArnParam}`,
    );
    if (caller.isRootUser) throw accessDenied('Roles may not be assumed by root accounts.');
    const role = ctx.identities.role(roleArnParam);
    if (role === undefined || !trustsCaller(role, caller)) throw denied;
    checkRegionEnabled(ctx, role.account);
    if (role.trust.externalId !== undefined && role.trust.externalId !== externalId) throw denied;
    const mfaPresented = verifyMfa(ctx, caller, serial, code);
    const mfaAuthenticated = mfaPresented || caller.mfaAuthenticated;
    if (role.trust.requireMfa === true && !mfaAuthenticated) throw denied;
    if (caller.sourceIdentity !== undefined && source !== undefined && source !== caller.sourceIdentity) {
      throw accessDenied('SourceIdentity cannot be changed once set in a role session chain.');
    }
    const effectiveSource = source ?? caller.sourceIdentity;
    if (role.trust.requireSourceIdentity === true && effectiveSource === undefined) throw denied;

    if (caller.origin === 'role-session' && duration > 3600) throw validationError(CHAINING_LIMIT_MESSAGE);
    checkRoleDuration(role, duration);

    const inherited = caller.transitiveTags;
    const inheritedKeys = new Set(inherited.map((t) => t.Key.toLowerCase()));
    for (const tag of sessionTags) {
      if (inheritedKeys.has(tag.Key.toLowerCase())) {
        throw validationError(
          `Session tag key ${tag.Key} conflicts with a transitive tag inherited from the calling session.`,
        );
      }
    }
    const size = packedPolicySize(sessionPolicy, arns, [...inherited, ...sessionTags]);
    const transitiveSet = new Set(transitive.map((k) => k.toLowerCase()));
    const newTransitive: Tag[] = [...inherited, ...sessionTags.filter((t) => transitiveSet.has(t.Key.toLowerCase()))];

    const session = issueRoleSession(ctx, {
      role,
      sessionName,
      durationSeconds: duration,
      mfaAuthenticated,
      ...(effectiveSource === undefined ? {} : { sourceIdentity: effectiveSource }),
      transitiveTags: newTransitive,
    });
    return {
      SourceIdentity: effectiveSource,
      AssumedRoleUser: session.AssumedRoleUser,
      Credentials: session.Credentials,
      PackedPolicySize: size,
    };
  },
};
