import { AssumeRootCommand } from '@aws-sdk/client-sts';
import type { AssumeRootCommandInput, STSClient } from '@aws-sdk/client-sts';
import { createRefreshingProvider } from '@credchain/core';
import {
  accountIdOf,
  frozenParams,
  providerKit,
  sendSts,
  toTemporaryCredentials,
  validateAssumeRootParams,
} from '@credchain/core/provider-kit';
import type { CredentialProvider, FetchContext, StsProviderOptions, TemporaryCredentials } from '@credchain/core';

import {
  REGIONAL_ONLY,
  checkRegionalEndpoint,
  explainUnknownOperation,
  refuseGlobalEndpoint,
  refuseGlobalEndpointOptions,
} from './regionalEndpoint';

export interface FromAssumeRootInit extends StsProviderOptions {
  /**
   * AssumeRoot's parameters, PascalCase as the SDK's command input: `TargetPrincipal` (the member
   * account's id or principal ARN), `TaskPolicyArn` (`{ arn }`, one of AWS's root-task policies,
   * e.g. `arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials`) and `DurationSeconds`
   * (0–900, and longer than `refresh.mandatoryWindowMs` so the credentials can be handed out).
   */
  readonly params: AssumeRootCommandInput;
}

const NAME = 'assume-root';
/** STS's default and maximum for AssumeRoot. */
const DEFAULT_DURATION_SECONDS = 900;

/**
 * Short-term root-user credentials for a member account of your organization (STS AssumeRoot),
 * scoped to one privileged task, cached and refreshed before they expire. Call it with the
 * management account's (or a delegated IAM administrator's) credentials, through a regional
 * endpoint: the global one does not serve AssumeRoot and is refused before any call.
 *
 * ```ts
 * const credentials = fromAssumeRoot({
 *   params: {
 *     TargetPrincipal: '111122223333',
 *     TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
 *   },
 *   clientConfig: { region: 'us-east-1' },
 * });
 * const s3 = new S3Client({ region: 'us-east-1', credentials });
 * ```
 */
export function fromAssumeRoot(init: FromAssumeRootInit): CredentialProvider {
  const given = frozenParams(init, { operation: 'AssumeRoot', fields: 'TargetPrincipal, TaskPolicyArn, …' });
  const params: Readonly<AssumeRootCommandInput> = Object.freeze({
    ...given,
    DurationSeconds: given.DurationSeconds ?? DEFAULT_DURATION_SECONDS,
  });
  validateAssumeRootParams(params);
  // STS allows 0 s; the kit refuses a duration the mandatory window would swallow.
  const { logger, engine, sts } = providerKit(NAME, init, params.DurationSeconds, {
    requireRegion: REGIONAL_ONLY,
    storeKey: { operation: 'AssumeRoot', params: given },
  });
  checkRegionalEndpoint(init);
  const accountId = /^\d{12}$/.test(params.TargetPrincipal ?? '')
    ? params.TargetPrincipal
    : accountIdOf(params.TargetPrincipal);

  const assumeRoot = async (client: STSClient): Promise<TemporaryCredentials> => {
    const command = new AssumeRootCommand({ ...params });
    command.middlewareStack.add(refuseGlobalEndpoint, refuseGlobalEndpointOptions);
    logger.debug(`credchain:${NAME} - AssumeRoot on ${params.TargetPrincipal} for ${params.TaskPolicyArn?.arn}`);
    const out = await sendSts('AssumeRoot', () => client.send(command)).catch((error: unknown) => {
      throw explainUnknownOperation(error);
    });
    const creds = toTemporaryCredentials('AssumeRoot', out.Credentials, 'root-session');
    // Onto the same object, not a copy: what the answer said of STS's clock is recorded against it.
    return accountId === undefined ? creds : Object.assign(creds, { accountId });
  };
  const fetch = ({ callerClientConfig }: FetchContext): Promise<TemporaryCredentials> =>
    sts.use(callerClientConfig, assumeRoot);

  return createRefreshingProvider(fetch, engine);
}
