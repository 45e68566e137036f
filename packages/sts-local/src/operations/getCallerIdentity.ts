import { callerOf, type Operation } from './context';

/** GetCallerIdentity: who signed the request. */
export const getCallerIdentity: Operation = {
  signed: true,
  handle(ctx) {
    const caller = callerOf(ctx);
    return { UserId: caller.userId, Account: caller.account, Arn: caller.arn };
  },
};
