import { accessDenied } from '../protocol/StsErrorResponse';
import { PATTERNS, durationSeconds, optionalString } from '../validate/rules';
import { callerOf, checkRegionEnabled, credentialsXml, lifetimeMs, type Operation } from './context';
import { verifyMfa } from './verifyMfa';

/** GetSessionToken: a user session (MFA-authenticated when a code is given), long-term keys only. */
export const getSessionToken: Operation = {
  signed: true,
  handle(ctx) {
    const caller = callerOf(ctx);
    const { params } = ctx;
    // Root sessions are capped at one hour; IAM users get 15 min – 36 h.
    const duration = caller.isRootUser
      ? durationSeconds(params, 900, 3600, 3600)
      : durationSeconds(params, 900, 129600, 43200);
    const serial = optionalString(params, 'SerialNumber', PATTERNS.serialNumber);
    const code = optionalString(params, 'TokenCode', PATTERNS.tokenCode);
    if (caller.expiration !== undefined) throw accessDenied('Cannot call GetSessionToken with session credentials');
    checkRegionEnabled(ctx, caller.account);
    const mfaAuthenticated = verifyMfa(ctx, caller, serial, code);
    const issued = ctx.sessions.issue(
      caller.account,
      ctx.now,
      lifetimeMs(ctx, duration),
      (accessKeyId, expiration) => ({
        ...caller,
        origin: 'user-session',
        mfaAuthenticated,
        accessKeyId,
        expiration,
      }),
    );
    return { Credentials: credentialsXml(issued) };
  },
};
