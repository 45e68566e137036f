import { StsErrorResponse, accessDenied, validationError } from '../protocol/StsErrorResponse';
import { PATTERNS, checkString, durationSeconds, required } from '../validate/rules';
import { readList } from '../protocol/params';
import { callerOf, checkRegionEnabled, credentialsXml, lifetimeMs, type Operation } from './context';

/** The AWS managed policies AssumeRoot accepts as TaskPolicyArn. */
export const ROOT_TASK_POLICY_ARNS: readonly string[] = [
  'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials',
  'arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword',
  'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials',
  'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
  'arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy',
];

/**
 * AssumeRoot: a short privileged session as a member account's root user, for the management
 * account or a delegated administrator, on a Regional endpoint only.
 */
export const assumeRoot: Operation = {
  signed: true,
  handle(ctx) {
    // The global endpoint does not know the operation at all (STS answers "Unknown Operation").
    if (ctx.global) throw new StsErrorResponse('InvalidAction', 'Unknown Operation');
    const caller = callerOf(ctx);
    const { params } = ctx;
    const target = checkString('TargetPrincipal', required(params, 'TargetPrincipal'), { min: 12, max: 2048 });
    const taskPolicy = readList(params, 'TaskPolicyArn')[0]?.['arn'] ?? params.get('TaskPolicyArn.arn');
    if (taskPolicy === undefined)
      throw validationError(
        "1 validation error detected: Value null at 'taskPolicyArn' " +
          'failed to satisfy constraint: Member must not be null',
      );
    checkString('TaskPolicyArn', taskPolicy, PATTERNS.arn, 'taskPolicyArn.arn');
    const duration = durationSeconds(params, 0, 900, 900);
    if (!ROOT_TASK_POLICY_ARNS.includes(taskPolicy)) {
      throw validationError(
        `TaskPolicyArn ${taskPolicy} is not a root task policy. Use one of: ${ROOT_TASK_POLICY_ARNS.join(', ')}.`,
      );
    }
    const match = /^(?:(\d{12})|arn:aws:iam::(\d{12}):root)$/.exec(target);
    const targetAccount = match?.[1] ?? match?.[2];
    if (targetAccount === undefined)
      throw validationError(`TargetPrincipal ${target} must be an account ID or arn:aws:iam::ACCOUNT:root.`);
    const denied = accessDenied(
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRoot ` +
        `on resource: arn:aws:iam::${targetAccount}:root`,
    );
    if (caller.isRootUser) throw accessDenied('AssumeRoot cannot be called with root user credentials.');
    const org = ctx.identities.config.organization;
    if (org === undefined) throw denied;
    const privileged =
      caller.account === org.managementAccount || (org.delegatedAdministrators ?? []).includes(caller.account);
    if (!privileged || !org.memberAccounts.includes(targetAccount) || targetAccount === org.managementAccount)
      throw denied;
    checkRegionEnabled(ctx, caller.account);
    const arn = `arn:aws:iam::${targetAccount}:root`;
    const issued = ctx.sessions.issue(targetAccount, ctx.now, lifetimeMs(ctx, duration), (accessKeyId, expiration) => ({
      origin: 'root-session',
      account: targetAccount,
      arn,
      userId: targetAccount,
      isRootUser: true,
      mfaAuthenticated: false,
      ...(caller.sourceIdentity === undefined ? {} : { sourceIdentity: caller.sourceIdentity }),
      transitiveTags: [],
      accessKeyId,
      expiration,
    }));
    return { Credentials: credentialsXml(issued), SourceIdentity: caller.sourceIdentity };
  },
};
