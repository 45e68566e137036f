import { GetFederationTokenCommand } from '@aws-sdk/client-sts';
import type { GetFederationTokenCommandInput } from '@aws-sdk/client-sts';
import {
  InvalidParameterError,
  InvalidSourceCredentialsError,
  createRefreshingProvider,
  providerKit,
  sendSts,
  sourceOf,
  stsClientGetter,
  toTemporaryCredentials,
  validateGetFederationTokenParams,
} from '@credchain/core';
import type { CredentialProvider, StsProviderOptions, TemporaryCredentials } from '@credchain/core';

export interface FromFederationTokenInit extends StsProviderOptions {
  /**
   * GetFederationToken's parameters, PascalCase as the SDK's command input: `Name` (required),
   * `Policy`, `PolicyArns`, `DurationSeconds` (900–129600; STS's default 43200), `Tags`.
   * Without `Policy` or `PolicyArns` the federated session has no permissions (a warning says so).
   */
  readonly params: GetFederationTokenCommandInput;
}

const NAME = 'federation-token';

const TEMPORARY_SOURCE =
  'holds a session token: GetFederationToken accepts only long-term keys (an IAM user or the root user), so the request was not sent';

const NO_SESSION_POLICY =
  "GetFederationToken without Policy or PolicyArns: the federated session has no permissions at all; pass a session policy (it is intersected with the IAM user's policies)";

/**
 * A copy of one PolicyArns or Tags entry, so a caller mutating theirs later changes nothing here.
 * Anything but a plain object (and a list that is not an array) stays as it is, for the validator
 * to refuse by name: spreading a string would invent fields `0`, `1`, … and `.map` on a non-array throws.
 */
function copyOf<T>(entry: T): T {
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? { ...entry } : entry;
}

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
  if (typeof init !== 'object' || init === null) {
    throw new InvalidParameterError('init', 'must be an options object with params');
  }
  if (typeof init.params !== 'object' || init.params === null) {
    throw new InvalidParameterError('params', 'must be the GetFederationToken input object (Name, Policy, …)');
  }
  const params: GetFederationTokenCommandInput = {
    ...init.params,
    ...(Array.isArray(init.params.PolicyArns) ? { PolicyArns: init.params.PolicyArns.map(copyOf) } : {}),
    ...(Array.isArray(init.params.Tags) ? { Tags: init.params.Tags.map(copyOf) } : {}),
  };
  validateGetFederationTokenParams(params);
  const source = sourceOf(init);
  if (typeof source === 'object' && typeof source.sessionToken === 'string' && source.sessionToken !== '') {
    throw new InvalidSourceCredentialsError(`sourceCredentials ${TEMPORARY_SOURCE}`);
  }
  const getClient = stsClientGetter(init);
  const { logger, emit, engine } = providerKit(NAME, init, params.DurationSeconds);
  const hasSessionPolicy =
    params.Policy !== undefined || (params.PolicyArns !== undefined && params.PolicyArns.length > 0);
  let warned = false;

  const fetch = async (): Promise<TemporaryCredentials> => {
    if (!hasSessionPolicy && !warned) {
      warned = true;
      logger.warn(`credchain:${NAME} - ${NO_SESSION_POLICY}`);
      emit({ type: 'warning', message: NO_SESSION_POLICY });
    }
    const client = getClient();
    // A provider source (or the default chain) is only known now; STS would refuse it, and the
    // answer would not say why.
    const signing = await client.config.credentials();
    if (typeof signing.sessionToken === 'string' && signing.sessionToken !== '') {
      throw new InvalidSourceCredentialsError(`The source credentials (${signing.accessKeyId}) ${TEMPORARY_SOURCE}`);
    }
    logger.debug(`credchain:${NAME} - GetFederationToken for ${params.Name}`);
    const out = await sendSts('GetFederationToken', () => client.send(new GetFederationTokenCommand({ ...params })));
    return toTemporaryCredentials('GetFederationToken', out.Credentials, 'federated', out.FederatedUser?.Arn);
  };

  return createRefreshingProvider(fetch, engine);
}
