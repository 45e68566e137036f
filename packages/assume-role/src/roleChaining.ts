import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import { sendSts } from '@credchain/core';
import type { Logger, TemporaryCredentials } from '@credchain/core';

/**
 * Decides whether the credentials that sign an AssumeRole are a role session, which STS caps at
 * one hour. Credentials we produced say so in `origin`; long-term keys (no session token) never
 * are; for anything else one GetCallerIdentity tells (an `assumed-role` ARN), remembered per key.
 */
export function createChainingCheck(logger: Logger) {
  const verdicts = new Map<string, boolean>();
  return {
    async sourceIsRoleSession(client: STSClient): Promise<boolean> {
      const source = (await client.config.credentials()) as Partial<TemporaryCredentials>;
      if (source.origin !== undefined) return source.origin === 'role-session';
      if (source.sessionToken === undefined || source.sessionToken === '') return false;
      const key = source.accessKeyId ?? '';
      let verdict = verdicts.get(key);
      if (verdict === undefined) {
        const identity = await sendSts('GetCallerIdentity', () => client.send(new GetCallerIdentityCommand({})));
        verdict = identity.Arn?.includes(':assumed-role/') === true;
        logger.debug(
          `credchain:assume-role - source of unknown origin is ${verdict ? '' : 'not '}a role session (GetCallerIdentity)`,
        );
        if (verdicts.size > 100) verdicts.clear();
        verdicts.set(key, verdict);
      }
      return verdict;
    },
  };
}
