import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleWithWebIdentityCommandInput } from '@aws-sdk/client-sts';
import { CredchainError, InvalidParameterError, createRefreshingProvider } from '@credchain/core';
import {
  callbackSource,
  defaultRoleSessionName,
  frozenParams,
  notConfiguredProvider,
  oncePerFetch,
  providerKit,
  refuseSourceCredentials,
  sendSts,
  toTemporaryCredentials,
  validateAssumeRoleWithWebIdentityParams,
  webIdentityPrincipal,
} from '@credchain/core/provider-kit';
import type {
  CredentialProvider,
  FetchContext,
  TemporaryCredentials,
  UnsignedStsProviderOptions,
} from '@credchain/core';

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

export interface FromWebIdentityInit extends UnsignedStsProviderOptions {
  /**
   * AssumeRoleWithWebIdentity's parameters: RoleArn, RoleSessionName, ProviderId, Policy,
   * PolicyArns, DurationSeconds.
   * @default RoleArn from `AWS_ROLE_ARN`; RoleSessionName from `AWS_ROLE_SESSION_NAME`, else
   * `credchain-<ms since epoch>`
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

/** The token file option, checked: a path, and not beside a token given directly. */
function tokenFileOf(init: FromWebIdentityInit): string | undefined {
  const file: unknown = init.webIdentityTokenFile;
  if (file !== undefined && (typeof file !== 'string' || file === '')) {
    throw new InvalidParameterError('webIdentityTokenFile', 'must be a non-empty file path');
  }
  if (file !== undefined && init.webIdentityToken !== undefined) {
    throw new InvalidParameterError(
      'webIdentityToken',
      'and webIdentityTokenFile are two sources of the token: pass one of them',
    );
  }
  return file ?? env(ENV_TOKEN_FILE);
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
  const given = frozenParams(init, {
    operation: OPERATION,
    fields: 'RoleArn, …',
    optional: true,
    elsewhere: { WebIdentityToken: 'webIdentityToken' },
  });
  refuseSourceCredentials(init, OPERATION, 'the token');
  const tokenFile = tokenFileOf(init);
  const roleArn = given.RoleArn ?? env(ENV_ROLE_ARN);
  const sessionName = given.RoleSessionName ?? env(ENV_ROLE_SESSION_NAME);
  const { logger, engine, sts } = providerKit(NAME, init, given.DurationSeconds, {
    unsigned: true,
    // A store entry is named by the role, the session name unless drawn by this process, and who the
    // token is for; the token is read once per fetch for both.
    storeKey: {
      operation: OPERATION,
      params: { ...given, RoleArn: roleArn, RoleSessionName: sessionName },
      principal: async (context: FetchContext): Promise<string> => webIdentityPrincipal(await tokenOnce(context)),
    },
  });
  const clock = init.refresh?.clock ?? Date;
  const params: ResolvedParams = Object.freeze({
    ...given,
    RoleArn: roleArn,
    RoleSessionName: sessionName ?? defaultRoleSessionName(clock.now()),
  });
  const checked = (WebIdentityToken: string): string => {
    validateAssumeRoleWithWebIdentityParams({ ...params, WebIdentityToken });
    return WebIdentityToken;
  };
  const token = init.webIdentityToken;
  const getToken =
    token !== undefined
      ? callbackSource(token, {
          provider: NAME,
          option: 'webIdentityToken',
          what: 'a non-empty token string',
          error: WebIdentityTokenError,
          check: checked,
          logger,
        })
      : tokenFile !== undefined
        ? async () => {
            logger.debug(`credchain:${NAME} - reading the token file ${tokenFile}`);
            return checked(await readTokenFile(tokenFile));
          }
        : undefined;
  if (roleArn === undefined || getToken === undefined) {
    const reason = [
      ...(roleArn === undefined ? [`no role ARN (params.RoleArn or ${ENV_ROLE_ARN})`] : []),
      ...(getToken === undefined ? [`no token (webIdentityToken, webIdentityTokenFile or ${ENV_TOKEN_FILE})`] : []),
    ].join(' and ');
    logger.debug(`credchain:${NAME} - not configured: ${reason}`);
    return notConfiguredProvider('fromWebIdentity', reason);
  }
  validateAssumeRoleWithWebIdentityParams(typeof token === 'string' ? { ...params, WebIdentityToken: token } : params);
  const tokenOnce: (context: FetchContext) => Promise<string> = oncePerFetch(getToken);

  const fetch = (context: FetchContext): Promise<TemporaryCredentials> =>
    sts.use(context.callerClientConfig, async (client) => {
      const input: AssumeRoleWithWebIdentityCommandInput = { ...params, WebIdentityToken: await tokenOnce(context) };
      const out = await sendSts(OPERATION, () => client.send(new AssumeRoleWithWebIdentityCommand(input)));
      return toTemporaryCredentials(OPERATION, out.Credentials, 'role-session', out.AssumedRoleUser?.Arn);
    });

  return createRefreshingProvider(fetch, engine);
}
