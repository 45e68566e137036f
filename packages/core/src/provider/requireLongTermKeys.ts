import type { STSClient } from '@aws-sdk/client-sts';

import { InvalidSourceCredentialsError } from '../errors';
import { sourceOf } from '../sts/stsClient';
import type { StsProviderOptions } from '../sts/stsClient';

const holdsSessionToken = (credentials: { sessionToken?: unknown }): boolean =>
  typeof credentials.sessionToken === 'string' && credentials.sessionToken !== '';

/**
 * For an operation STS takes only from long-term keys (GetSessionToken, GetFederationToken): STS
 * refuses session credentials with an answer that does not say why, so they are refused here,
 * before any request. Static source credentials are checked now; the returned check reads what
 * signs the call (a provider source, the default chain) at each fetch. The error names the access
 * key id, never a secret.
 * @throws InvalidSourceCredentialsError when the static source holds a session token
 */
export function requireLongTermKeys(init: StsProviderOptions, operation: string): (client: STSClient) => Promise<void> {
  const why =
    `holds a session token: ${operation} accepts only long-term keys (an IAM user or the root user),` +
    ' so the request was not sent';
  const source = sourceOf(init);
  if (typeof source === 'object' && holdsSessionToken(source)) {
    const option = init.sourceCredentials === undefined ? 'masterCredentials' : 'sourceCredentials';
    throw new InvalidSourceCredentialsError(`${option} ${why}`);
  }
  return async (client) => {
    const signing = await client.config.credentials();
    if (holdsSessionToken(signing)) {
      throw new InvalidSourceCredentialsError(`The source credentials (${signing.accessKeyId}) ${why}`);
    }
  };
}
