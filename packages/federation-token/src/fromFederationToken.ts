import { GetFederationTokenCommand } from '@aws-sdk/client-sts';
import type { GetFederationTokenCommandInput, STSClient } from '@aws-sdk/client-sts';
import { createRefreshingProvider } from '@credchain/core';
import {
  frozenParams,
  providerKit,
  requireLongTermKeys,
  sendSts,
  toTemporaryCredentials,
  validateGetFederationTokenParams,
} from '@credchain/core/provider-kit';
import type { CredentialProvider, FetchContext, StsProviderOptions, TemporaryCredentials } from '@credchain/core';

export interface FromFederationTokenInit extends StsProviderOptions {
  /**
   * GetFederationToken's parameters, PascalCase as the SDK's command input: `Name` (required),
   * `Policy`, `PolicyArns`, `DurationSeconds` (900–129600; STS's default 43200), `Tags`.
   * Without `Policy` or `PolicyArns` the federated session has no permissions (a warning says so).
   */
  readonly params: GetFederationTokenCommandInput;
}

const NAME = 'federation-token';

const NO_SESSION_POLICY =
  'GetFederationToken without Policy or PolicyArns: the federated session has no permissions at all; ' +
  "pass a session policy (it is intersected with the IAM user's policies)";

/**
 * Credentials of a federated user (STS GetFederationToken), for an identity broker that hands
 * scoped credentials to users it has authenticated itself. Signed with an IAM user's long-term
 * keys; cached and refreshed before they expire.
 *
 * ```ts
 * const credentials = fromFederationToken({
 *   params: {
 *     Name: 'bob',
 *     PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
 *     DurationSeconds: 3600,
 *   },
 *   sourceCredentials: { accessKeyId: 'AKIA…', secretAccessKey: '…' },
 * });
 * ```
 */
export function fromFederationToken(init: FromFederationTokenInit): CredentialProvider {
  const params = frozenParams(init, { operation: 'GetFederationToken', fields: 'Name, Policy, …' });
  validateGetFederationTokenParams(params);
  const longTermKeysOnly = requireLongTermKeys(init, 'GetFederationToken');
  const { logger, emit, engine, sts } = providerKit(NAME, init, params.DurationSeconds, {
    storeKey: { operation: 'GetFederationToken', params },
  });
  const hasSessionPolicy =
    params.Policy !== undefined || (params.PolicyArns !== undefined && params.PolicyArns.length > 0);
  let warned = false;

  const getFederationToken = async (client: STSClient): Promise<TemporaryCredentials> => {
    if (!hasSessionPolicy && !warned) {
      warned = true;
      logger.warn(`credchain:${NAME} - ${NO_SESSION_POLICY}`);
      emit({ type: 'warning', message: NO_SESSION_POLICY });
    }
    await longTermKeysOnly(client);
    logger.debug(`credchain:${NAME} - GetFederationToken for ${params.Name}`);
    const out = await sendSts('GetFederationToken', () => client.send(new GetFederationTokenCommand({ ...params })));
    return toTemporaryCredentials('GetFederationToken', out.Credentials, 'federated', out.FederatedUser?.Arn);
  };
  const fetch = ({ callerClientConfig }: FetchContext): Promise<TemporaryCredentials> =>
    sts.use(callerClientConfig, getFederationToken);

  return createRefreshingProvider(fetch, engine);
}
