import { accessDenied } from '../protocol/StsErrorResponse';
import { PATTERNS, checkString, durationSeconds, policy, policyArns, required, tags } from '../validate/rules';
import { packedPolicySize } from '../validate/packedPolicySize';
import { callerOf, checkRegionEnabled, credentialsXml, lifetimeMs, type Operation } from './context';

/** GetFederationToken: a federated-user session, long-term keys only. */
export const getFederationToken: Operation = {
  signed: true,
  handle(ctx) {
    const caller = callerOf(ctx);
    const { params } = ctx;
    const name = checkString('Name', required(params, 'Name'), PATTERNS.federatedName);
    // The root user's sessions are held to one hour: a longer request "defaults to one hour"
    // (GetFederationToken reference, DurationSeconds) rather than failing.
    const requested = durationSeconds(params, 900, 129600, caller.isRootUser ? 3600 : 43200);
    const duration = caller.isRootUser ? Math.min(requested, 3600) : requested;
    const sessionPolicy = policy(params);
    const arns = policyArns(params);
    const sessionTags = tags(params);
    if (caller.expiration !== undefined) throw accessDenied('Cannot call GetFederationToken with session credentials');
    checkRegionEnabled(ctx, caller.account);
    const size = packedPolicySize(sessionPolicy, arns, sessionTags);
    const arn = `arn:aws:sts::${caller.account}:federated-user/${name}`;
    const federatedUserId = `${caller.account}:${name}`;
    const issued = ctx.sessions.issue(
      caller.account,
      ctx.now,
      lifetimeMs(ctx, duration),
      (accessKeyId, expiration) => ({
        origin: 'federated',
        account: caller.account,
        arn,
        userId: federatedUserId,
        isRootUser: false,
        mfaAuthenticated: false,
        transitiveTags: [],
        accessKeyId,
        expiration,
      }),
    );
    return {
      Credentials: credentialsXml(issued),
      FederatedUser: { FederatedUserId: federatedUserId, Arn: arn },
      PackedPolicySize: size,
    };
  },
};
