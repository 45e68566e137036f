import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import type { GetSessionTokenCommandInput } from '@aws-sdk/client-sts';
import {
  InvalidParameterError,
  InvalidSourceCredentialsError,
  MfaCodeRejectedError,
  createRefreshingProvider,
  isMfaRejection,
  providerKit,
  sendSts,
  sourceOf,
  stsClientGetter,
  toTemporaryCredentials,
  tokenCodeSource,
  validateGetSessionTokenParams,
} from '@credchain/core';
import type { CredentialProvider, MfaCodeProvider, StsProviderOptions, TemporaryCredentials } from '@credchain/core';

export interface FromSessionTokenInit extends StsProviderOptions {
  /** GetSessionToken's parameters: DurationSeconds (900–129600), SerialNumber, TokenCode. @default {} */
  readonly params?: GetSessionTokenCommandInput;
  /** Asked for a TOTP code when `params.SerialNumber` is set. @default none */
  readonly mfaCodeProvider?: MfaCodeProvider;
}

const NAME = 'session-token';

const TEMPORARY_SOURCE =
  'holds a session token: GetSessionToken accepts only long-term keys (an IAM user or the root user), so the request was not sent';

/**
 * Session credentials for an IAM user (STS GetSessionToken), optionally MFA-authenticated: the way
 * to prompt for MFA once and assume MFA-protected roles from the session for hours (roles assumed
 * with these credentials are not role chaining and keep their full duration).
 */
export function fromSessionToken(init: FromSessionTokenInit = {}): CredentialProvider {
  if (typeof init !== 'object' || init === null) throw new InvalidParameterError('init', 'must be an options object');
  if (init.params !== undefined && (typeof init.params !== 'object' || init.params === null)) {
    throw new InvalidParameterError('params', 'must be the GetSessionToken input object');
  }
  const params: GetSessionTokenCommandInput = { ...init.params };
  validateGetSessionTokenParams(params);
  const source = sourceOf(init);
  if (typeof source === 'object' && typeof source.sessionToken === 'string' && source.sessionToken !== '') {
    const option = init.sourceCredentials === undefined ? 'masterCredentials' : 'sourceCredentials';
    throw new InvalidSourceCredentialsError(`${option} ${TEMPORARY_SOURCE}`);
  }
  const getClient = stsClientGetter(init);
  const { emit, engine } = providerKit(NAME, init, params.DurationSeconds);
  const tokenCode = tokenCodeSource({
    provider: NAME,
    serialNumber: params.SerialNumber,
    tokenCode: params.TokenCode,
    mfaCodeProvider: init.mfaCodeProvider,
    emit,
  });

  const fetch = async (): Promise<TemporaryCredentials> => {
    const client = getClient();
    const signing = await client.config.credentials();
    if (typeof signing.sessionToken === 'string' && signing.sessionToken !== '') {
      throw new InvalidSourceCredentialsError(`The source credentials (${signing.accessKeyId}) ${TEMPORARY_SOURCE}`);
    }
    const input: GetSessionTokenCommandInput = { ...params };
    if (tokenCode !== undefined) input.TokenCode = await tokenCode();
    try {
      const out = await sendSts('GetSessionToken', () => client.send(new GetSessionTokenCommand(input)));
      return toTemporaryCredentials('GetSessionToken', out.Credentials, 'user-session');
    } catch (error) {
      if (params.SerialNumber !== undefined && isMfaRejection(error)) {
        throw new MfaCodeRejectedError(params.SerialNumber, { cause: error });
      }
      throw error;
    }
  };
  return createRefreshingProvider(fetch, engine);
}
