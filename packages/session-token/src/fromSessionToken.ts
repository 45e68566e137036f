import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import type { GetSessionTokenCommandInput } from '@aws-sdk/client-sts';
import { createRefreshingProvider } from '@credchain/core';
import {
  frozenParams,
  providerKit,
  requireLongTermKeys,
  stsMfa,
  toTemporaryCredentials,
  validateGetSessionTokenParams,
} from '@credchain/core/provider-kit';
import type {
  CredentialProvider,
  FetchContext,
  MfaCodeProvider,
  StsProviderOptions,
  TemporaryCredentials,
} from '@credchain/core';

export interface FromSessionTokenInit extends StsProviderOptions {
  /** GetSessionToken's parameters: DurationSeconds (900–129600), SerialNumber, TokenCode. @default {} */
  readonly params?: GetSessionTokenCommandInput;
  /** Asked for a TOTP code when `params.SerialNumber` is set. @default none */
  readonly mfaCodeProvider?: MfaCodeProvider;
}

const NAME = 'session-token';

/**
 * Session credentials for an IAM user (STS GetSessionToken), optionally MFA-authenticated: the way
 * to prompt for MFA once and assume MFA-protected roles from the session for hours (roles assumed
 * with these credentials are not role chaining and keep their full duration).
 */
export function fromSessionToken(init: FromSessionTokenInit = {}): CredentialProvider {
  const params = frozenParams(init, { operation: 'GetSessionToken', optional: true });
  validateGetSessionTokenParams(params);
  const longTermKeysOnly = requireLongTermKeys(init, 'GetSessionToken');
  const { emit, engine, sts } = providerKit(NAME, init, params.DurationSeconds, {
    storeKey: { operation: 'GetSessionToken', params },
  });
  const mfa = stsMfa({ provider: NAME, params, mfaCodeProvider: init.mfaCodeProvider, emit });

  const fetch = ({ callerClientConfig }: FetchContext): Promise<TemporaryCredentials> =>
    sts.use(callerClientConfig, async (client) => {
      await longTermKeysOnly(client);
      const command = new GetSessionTokenCommand(await mfa.withTokenCode({ ...params }));
      const out = await mfa.send('GetSessionToken', () => client.send(command));
      return toTemporaryCredentials('GetSessionToken', out.Credentials, 'user-session');
    });
  return createRefreshingProvider(fetch, engine);
}
