import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleWithWebIdentityCommandInput } from '@aws-sdk/client-sts';
import {
  CredchainError,
  InvalidParameterError,
  createRefreshingProvider,
  defaultRoleSessionName,
  describeError,
  providerKit,
  sendSts,
  toTemporaryCredentials,
  unsignedStsClientGetter,
  validateAssumeRoleWithWebIdentityParams,
} from '@credchain/core';
import type { CredentialProvider, Logger, StsProviderOptions, TemporaryCredentials } from '@credchain/core';

import { notConfiguredProvider } from './notConfiguredProvider';
import { readTokenFile } from './readTokenFile';

/** Path of a file holding the token (EKS IRSA, GitHub Actions, any OIDC workload identity). */
export const ENV_TOKEN_FILE = 'AWS_WEB_IDENTITY_TOKEN_FILE';
/** The role to assume when `params.RoleArn` is not given. */
export const ENV_ROLE_ARN = 'AWS_ROLE_ARN';
/** The session name when `params.RoleSessionName` is not given. */
export const ENV_ROLE_SESSION_NAME = 'AWS_ROLE_SESSION_NAME';

/**
 * AssumeRoleWithWebIdentity's input as `@aws-sdk/client-sts` types it, without the token; RoleArn
 * and RoleSessionName may come from the environment instead.
 */
export type WebIdentityParams = Omit<
  AssumeRoleWithWebIdentityCommandInput,
  'WebIdentityToken' | 'RoleArn' | 'RoleSessionName'
> & {
  readonly RoleArn?: string;
  readonly RoleSessionName?: string;
};

/** The parameters sent, all but the token, which each fetch adds. */
type ResolvedParams = Omit<AssumeRoleWithWebIdentityCommandInput, 'WebIdentityToken'>;

/** A token, or a function that fetches a fresh one. */
export type WebIdentityTokenSource = string | (() => Promise<string>);

export interface FromWebIdentityInit extends Omit<StsProviderOptions, 'sourceCredentials' | 'masterCredentials'> {
  /**
   * AssumeRoleWithWebIdentity's parameters: RoleArn, RoleSessionName, ProviderId, Policy,
   * PolicyArns, DurationSeconds.
   * @default RoleArn from `AWS_ROLE_ARN`; RoleSessionName from `AWS_ROLE_SESSION_NAME`, else `credchain-<ms since epoch>`
   */
  readonly params?: WebIdentityParams;
  /**
   * The OIDC ID token or OAuth 2.0 access token, or an async function returning a fresh one, called
   * once per fetch. A string serves as long as the token is valid (often an hour): pass a function
   * or a file for anything that runs longer. Takes precedence over `AWS_WEB_IDENTITY_TOKEN_FILE`.
   * @default none
   */
  readonly webIdentityToken?: WebIdentityTokenSource;
  /**
   * A file holding the token, read again for every fetch (Kubernetes rotates projected tokens).
   * @default `AWS_WEB_IDENTITY_TOKEN_FILE`
   */
  readonly webIdentityTokenFile?: string;
  /** Refused: AssumeRoleWithWebIdentity is an unsigned call, the token is the proof. */
  readonly sourceCredentials?: never;
  /** Refused, like `sourceCredentials`. */
  readonly masterCredentials?: never;
}

/** The `webIdentityToken` callback failed or gave something that is not a token. */
export class WebIdentityTokenError extends CredchainError {
  override name = 'WebIdentityTokenError';
}

const NAME = 'web-identity';
const OPERATION = 'AssumeRoleWithWebIdentity';

/** An environment variable, with an empty value read as unset (as `export X=` leaves it). */
function env(name: string): string | undefined {
  const value = process.env[name];
  return value === '' ? undefined : value;
}

function checkInit(init: FromWebIdentityInit): void {
  if (typeof init !== 'object' || init === null) throw new InvalidParameterError('init', 'must be an options object');
  if (init.params !== undefined && (typeof init.params !== 'object' || init.params === null)) {
    throw new InvalidParameterError('params', 'must be the AssumeRoleWithWebIdentity input object (RoleArn, …)');
  }
  if (init.params !== undefined && 'WebIdentityToken' in init.params) {
    throw new InvalidParameterError('params.WebIdentityToken', 'is not accepted: pass the token as webIdentityToken');
  }
  for (const key of ['sourceCredentials', 'masterCredentials'] as const) {
    if ((init as unknown as Record<string, unknown>)[key] !== undefined) {
      throw new InvalidParameterError(
        key,
        'is not accepted: AssumeRoleWithWebIdentity is an unsigned call, the token is the proof',
      );
    }
  }
  const token: unknown = init.webIdentityToken;
  if (token !== undefined && typeof token !== 'string' && typeof token !== 'function') {
    throw new InvalidParameterError('webIdentityToken', 'must be a token string or an async function returning one');
  }
  const file: unknown = init.webIdentityTokenFile;
  if (file !== undefined && (typeof file !== 'string' || file === '')) {
    throw new InvalidParameterError('webIdentityTokenFile', 'must be a non-empty file path');
  }
  if (token !== undefined && file !== undefined) {
    throw new InvalidParameterError(
      'webIdentityToken',
      'and webIdentityTokenFile are two sources of the token: pass one of them',
    );
  }
}

/** Where each fetch gets its token, checked against STS's length rule without ever printing it. */
function tokenGetter(
  init: FromWebIdentityInit,
  tokenFile: string,
  params: ResolvedParams,
  logger: Logger,
): () => Promise<string> {
  const source = init.webIdentityToken;
  const checked = (token: string): string => {
    validateAssumeRoleWithWebIdentityParams({ ...params, WebIdentityToken: token });
    return token;
  };
  if (typeof source === 'string') return () => Promise.resolve(source);
  if (typeof source === 'function') {
    return async () => {
      logger.debug(`credchain:${NAME} - asking the webIdentityToken callback for a fresh token`);
      let value: unknown;
      try {
        value = await (source as () => Promise<unknown>)();
      } catch (error) {
        throw new WebIdentityTokenError(`the webIdentityToken callback failed: ${describeError(error)}`, {
          cause: error,
        });
      }
      if (typeof value !== 'string' || value === '') {
        throw new WebIdentityTokenError('the webIdentityToken callback must resolve to a non-empty token string');
      }
      return checked(value);
    };
  }
  return async () => {
    logger.debug(`credchain:${NAME} - reading the token file ${tokenFile}`);
    return checked(await readTokenFile(tokenFile));
  };
}

/**
 * Credentials of an IAM role assumed with an OIDC or OAuth 2.0 token (STS
 * AssumeRoleWithWebIdentity), cached and refreshed in the background. The token comes from a
 * string, a callback asked at each refresh, or a file re-read at each refresh; with no options at
 * all it is configured like the SDK's, from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
 * `AWS_ROLE_SESSION_NAME`. Not configured → every call rejects with a `CredentialsProviderError`
 * (`tryNextLink: true`), so a `chain` moves on.
 *
 * ```ts
 * const credentials = fromWebIdentity(); // in an EKS pod with IRSA
 * const s3 = new S3Client({ region: 'eu-west-1', credentials });
 * ```
 */
export function fromWebIdentity(init: FromWebIdentityInit = {}): CredentialProvider {
  checkInit(init);
  const { logger, engine } = providerKit(NAME, init, init.params?.DurationSeconds);
  const roleArn = init.params?.RoleArn ?? env(ENV_ROLE_ARN);
  const tokenFile = init.webIdentityTokenFile ?? env(ENV_TOKEN_FILE);
  const missing = [
    ...(roleArn === undefined ? [`no role ARN (params.RoleArn or ${ENV_ROLE_ARN})`] : []),
    ...(init.webIdentityToken === undefined && tokenFile === undefined
      ? [`no token (webIdentityToken, webIdentityTokenFile or ${ENV_TOKEN_FILE})`]
      : []),
  ];
  if (roleArn === undefined || missing.length > 0) {
    const reason = missing.join(' and ');
    logger.debug(`credchain:${NAME} - not configured: ${reason}`);
    return notConfiguredProvider('fromWebIdentity', reason);
  }

  const clock = init.refresh?.clock ?? Date;
  const params: ResolvedParams = {
    ...init.params,
    RoleArn: roleArn,
    RoleSessionName: init.params?.RoleSessionName ?? env(ENV_ROLE_SESSION_NAME) ?? defaultRoleSessionName(clock.now()),
  };
  const token = init.webIdentityToken;
  validateAssumeRoleWithWebIdentityParams(typeof token === 'string' ? { ...params, WebIdentityToken: token } : params);
  const getClient = unsignedStsClientGetter(init);
  const getToken = tokenGetter(init, tokenFile ?? '', params, logger);

  const fetch = async (): Promise<TemporaryCredentials> => {
    const input: AssumeRoleWithWebIdentityCommandInput = { ...params, WebIdentityToken: await getToken() };
    const out = await sendSts(OPERATION, () => getClient().send(new AssumeRoleWithWebIdentityCommand(input)));
    return toTemporaryCredentials(OPERATION, out.Credentials, 'role-session', out.AssumedRoleUser?.Arn);
  };

  return createRefreshingProvider(fetch, engine);
}
