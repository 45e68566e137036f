import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import {
  InvalidParameterError,
  MfaCodeRejectedError,
  createRefreshingProvider,
  defaultRoleSessionName,
  providerKit,
  isMfaRejection,
  sendSts,
  stsClientGetter,
  toTemporaryCredentials,
  tokenCodeSource,
  validateAssumeRoleParams,
} from '@credchain/core';
import type { CredentialProvider, MfaCodeProvider, StsProviderOptions, TemporaryCredentials } from '@credchain/core';

import { createChainingCheck } from './roleChaining';

/** AssumeRole's input as `@aws-sdk/client-sts` types it; `RoleSessionName` may be left out. */
export type AssumeRoleParams = Omit<AssumeRoleCommandInput, 'RoleSessionName'> & {
  readonly RoleSessionName?: string;
};

export interface FromAssumeRoleInit extends StsProviderOptions {
  /** AssumeRole's parameters, PascalCase as the SDK's command input. */
  readonly params: AssumeRoleParams;
  /**
   * Asked for a TOTP code whenever `params.SerialNumber` is set and a fetch needs one. Required
   * with SerialNumber unless a one-off `TokenCode` is given (which serves a single fetch only).
   * @default none
   */
  readonly mfaCodeProvider?: MfaCodeProvider;
  /**
   * When the source is a role session (role chaining) STS allows one hour at most: by default a
   * longer `DurationSeconds` is lowered to 3600 with a `duration-capped` event; with
   * `strictDuration: true` it is an error instead, raised before any STS call.
   * @default false
   */
  readonly strictDuration?: boolean;
}

const NAME = 'assume-role';

/**
 * Credentials of an IAM role (STS AssumeRole), cached and refreshed in the background. Handles MFA
 * through `mfaCodeProvider` and the one-hour cap on role chaining.
 *
 * ```ts
 * const credentials = fromAssumeRole({
 *   params: { RoleArn: 'arn:aws:iam::123456789012:role/deploy', DurationSeconds: 3600 },
 * });
 * const s3 = new S3Client({ region: 'eu-west-1', credentials });
 * ```
 */
export function fromAssumeRole(init: FromAssumeRoleInit): CredentialProvider {
  if (typeof init !== 'object' || init === null) {
    throw new InvalidParameterError('init', 'must be an options object with params');
  }
  if (typeof init.params !== 'object' || init.params === null) {
    throw new InvalidParameterError('params', 'must be the AssumeRole input object (RoleArn, …)');
  }
  const params: AssumeRoleCommandInput = {
    ...init.params,
    RoleSessionName: init.params.RoleSessionName ?? defaultRoleSessionName(Date.now()),
  };
  validateAssumeRoleParams(params);
  if (init.strictDuration !== undefined && typeof init.strictDuration !== 'boolean') {
    throw new InvalidParameterError('strictDuration', 'must be a boolean');
  }
  const getClient = stsClientGetter(init);
  const { logger, emit, engine } = providerKit(NAME, init);
  const chaining = createChainingCheck(logger);
  const tokenCode = tokenCodeSource({
    provider: NAME,
    serialNumber: params.SerialNumber,
    tokenCode: params.TokenCode,
    mfaCodeProvider: init.mfaCodeProvider,
    roleArn: params.RoleArn,
    emit,
  });

  const fetch = async (): Promise<TemporaryCredentials> => {
    const client = getClient();
    const input: AssumeRoleCommandInput = { ...params };
    const requested = params.DurationSeconds;
    if (requested !== undefined && requested > 3600 && (await chaining.sourceIsRoleSession(client))) {
      if (init.strictDuration === true) {
        throw new InvalidParameterError(
          'DurationSeconds',
          `${requested} exceeds the 1-hour (3600 s) limit STS sets for a role assumed with role-session credentials (role chaining); lower it, or drop strictDuration to have it capped`,
        );
      }
      input.DurationSeconds = 3600;
      logger.debug(`credchain:${NAME} - capping DurationSeconds ${requested} → 3600 (source is a role session)`);
      emit({ type: 'duration-capped', requestedSeconds: requested, grantedSeconds: 3600, why: 'role chaining' });
    }
    if (tokenCode !== undefined) input.TokenCode = await tokenCode();
    try {
      const out = await sendSts('AssumeRole', () => client.send(new AssumeRoleCommand(input)));
      return toTemporaryCredentials('AssumeRole', out.Credentials, 'role-session', out.AssumedRoleUser?.Arn);
    } catch (error) {
      if (params.SerialNumber !== undefined && isMfaRejection(error)) {
        throw new MfaCodeRejectedError(params.SerialNumber, { cause: error });
      }
      throw error;
    }
  };

  return createRefreshingProvider(fetch, engine);
}
