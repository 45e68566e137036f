import type { TemporaryCredentials } from '@credchain/core';
import type { AwsCredentialIdentity } from '@smithy/types';

import { CredentialSourceError } from './CredentialSourceError';
import type { SourceKind } from './CredentialSourceError';

/**
 * What an SDK source answered, as the role session it is (instance, task and IAM Identity Center
 * credentials are all role sessions: an AssumeRole from them is role chaining, capped at one hour),
 * with only the fields credchain hands out (the SDK's `$source` mark and static-stability fields dropped).
 * @throws CredentialSourceError when the answer has no session token or no valid expiration
 */
export function roleSession(source: SourceKind, where: string, answer: AwsCredentialIdentity): TemporaryCredentials {
  const { sessionToken, expiration } = answer;
  if (sessionToken === undefined || sessionToken === '' || expiration === undefined) {
    throw new CredentialSourceError(source, `${where} answered credentials without a session token or expiration`);
  }
  if (Number.isNaN(expiration.getTime())) {
    throw new CredentialSourceError(source, `${where} answered credentials whose Expiration is not a date`);
  }
  return {
    accessKeyId: answer.accessKeyId,
    secretAccessKey: answer.secretAccessKey,
    sessionToken,
    expiration,
    ...(answer.accountId === undefined ? {} : { accountId: answer.accountId }),
    origin: 'role-session',
  };
}
