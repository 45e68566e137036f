import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput, STSClient } from '@aws-sdk/client-sts';
import { InvalidParameterError, createRefreshingProvider } from '@credchain/core';
import {
  defaultRoleSessionName,
  frozenParams,
  providerKit,
  sourceOf,
  stsMfa,
  toTemporaryCredentials,
  validateAssumeRoleParams,
} from '@credchain/core/provider-kit';
import type {
  CredentialProvider,
  FetchContext,
  MfaCodeProvider,
  StsProviderOptions,
  TemporaryCredentials,
} from '@credchain/core';

import { CHAINING_LIMIT_SECONDS, chainingLimitError, createChainingCheck, markOrigin, originOf } from './roleChaining';

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
  const given = frozenParams(init, { operation: 'AssumeRole', fields: 'RoleArn, …' });
  const params: Readonly<AssumeRoleCommandInput> = Object.freeze({
    ...given,
    RoleSessionName: given.RoleSessionName ?? defaultRoleSessionName(Date.now()),
  });
  validateAssumeRoleParams(params);
  const strictDuration: unknown = init.strictDuration;
  if (strictDuration !== undefined && typeof strictDuration !== 'boolean') {
    throw new InvalidParameterError('strictDuration', 'must be a boolean');
  }
  const requested = params.DurationSeconds;
  const overLimit = requested !== undefined && requested > CHAINING_LIMIT_SECONDS;
  // A source known to be a role session (another fromAssumeRole, say) fails a strict request now,
  // before anything (the source included) calls STS.
  if (overLimit && strictDuration === true && originOf(sourceOf(init)) === 'role-session') {
    throw chainingLimitError(requested);
  }
  const { logger, emit, engine, sts } = providerKit(NAME, init, params.DurationSeconds, {
    storeKey: { operation: 'AssumeRole', params: given },
  });
  const chaining = createChainingCheck(logger);
  const mfa = stsMfa({ provider: NAME, params, mfaCodeProvider: init.mfaCodeProvider, emit });

  const assumeRole = async (client: STSClient): Promise<TemporaryCredentials> => {
    const input: AssumeRoleCommandInput = { ...params };
    if (overLimit && (await chaining.sourceIsRoleSession(client))) {
      if (strictDuration === true) throw chainingLimitError(requested);
      input.DurationSeconds = CHAINING_LIMIT_SECONDS;
      logger.debug(
        `credchain:${NAME} - capping DurationSeconds ${requested} → ${CHAINING_LIMIT_SECONDS}` +
          ' (source is a role session)',
      );
      emit({
        type: 'duration-capped',
        requestedSeconds: requested,
        grantedSeconds: CHAINING_LIMIT_SECONDS,
        why: 'role chaining',
      });
    }
    const command = new AssumeRoleCommand(await mfa.withTokenCode(input));
    const out = await mfa.send('AssumeRole', () => client.send(command));
    return toTemporaryCredentials('AssumeRole', out.Credentials, 'role-session', out.AssumedRoleUser?.Arn);
  };
  const fetch = ({ callerClientConfig }: FetchContext): Promise<TemporaryCredentials> =>
    sts.use(callerClientConfig, assumeRole);

  // Every session this provider hands out is a role session: a provider built on it knows so early.
  return markOrigin(createRefreshingProvider(fetch, engine), 'role-session');
}
