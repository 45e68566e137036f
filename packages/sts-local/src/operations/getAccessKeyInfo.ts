import { accountFromAccessKeyId } from '../model/accessKeyId';
import { validationError } from '../protocol/StsErrorResponse';
import { checkString, required } from '../validate/rules';
import type { Operation } from './context';

/** GetAccessKeyInfo: the account a key belongs to, for any key in AWS's format (as STS answers). */
export const getAccessKeyInfo: Operation = {
  signed: true,
  handle(ctx) {
    const keyId = checkString('AccessKeyId', required(ctx.params, 'AccessKeyId'), {
      min: 16,
      max: 128,
      pattern: /^\w*$/,
      patternText: '[\\w]*',
    });
    const account =
      ctx.identities.longTermKey(keyId)?.account ??
      ctx.sessions.get(keyId)?.caller.account ??
      accountFromAccessKeyId(keyId);
    if (account === undefined) throw validationError(`${keyId} is not a valid access key ID.`);
    return { Account: account };
  },
};
