import { CredentialSourceError } from './CredentialSourceError';
import { handedOut, sourceProvider } from './SourceCredentialProvider';
import type { SourceCredentialProvider, SourceCredentials } from './SourceCredentialProvider';
import { checkEngineOptions, checkEnv, frozenInit, sourceKit } from './sourceKit';
import type { SourceProviderOptions } from './sourceKit';

const ENV_KEY = 'AWS_ACCESS_KEY_ID';
const ENV_SECRET = 'AWS_SECRET_ACCESS_KEY';
const ENV_SESSION = 'AWS_SESSION_TOKEN';
const ENV_EXPIRATION = 'AWS_CREDENTIAL_EXPIRATION';
const ENV_ACCOUNT = 'AWS_ACCOUNT_ID';

export interface FromEnvInit extends SourceProviderOptions {
  /**
   * Where the variables are read, at every call (not copied: a variable set later is seen).
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Credentials from the environment, read at every call: `AWS_ACCESS_KEY_ID` and
 * `AWS_SECRET_ACCESS_KEY`, with `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION` (ISO 8601) and
 * `AWS_ACCOUNT_ID` when set. Nothing refreshes the environment, so there is no engine: the keys pass
 * through as they are, and credentials whose expiration has passed are refused. With no keys set the
 * error says `tryNextLink`, so a `chain` goes on to its next link.
 * @throws InvalidParameterError naming `env` or an engine option
 */
export function fromEnv(init?: FromEnvInit): SourceCredentialProvider {
  const options = frozenInit(init);
  checkEnv(options.env);
  const { name, engine, logger, tag, clock } = sourceKit('environment', options);
  checkEngineOptions(engine);
  const env = options.env ?? process.env;
  // The same variables give the same object: an SDK client may ask for credentials at every request.
  let last: { readonly key: string; readonly credentials: SourceCredentials } | undefined;

  const read = async (): Promise<SourceCredentials> => {
    const accessKeyId = env[ENV_KEY];
    const secretAccessKey = env[ENV_SECRET];
    if (!accessKeyId || !secretAccessKey) {
      const missing = [accessKeyId ? undefined : ENV_KEY, secretAccessKey ? undefined : ENV_SECRET].filter(Boolean);
      throw new CredentialSourceError('environment', `${missing.join(' and ')} not set`, { tryNextLink: true });
    }
    const sessionToken = env[ENV_SESSION] || undefined;
    const expires = env[ENV_EXPIRATION] || undefined;
    const accountId = env[ENV_ACCOUNT] || undefined;
    const expiration = expires === undefined ? undefined : new Date(expires);
    if (expiration !== undefined && Number.isNaN(expiration.getTime())) {
      throw new CredentialSourceError('environment', `${ENV_EXPIRATION} is not a date (ISO 8601 expected)`, {
        final: true,
      });
    }
    if (expiration !== undefined && expiration.getTime() <= clock.now()) {
      throw new CredentialSourceError(
        'environment',
        `the credentials of ${ENV_KEY} ${accessKeyId} expired at ${expiration.toISOString()} (${ENV_EXPIRATION})`,
        { final: true },
      );
    }
    const key = [accessKeyId, secretAccessKey, sessionToken, expires, accountId].join('\n');
    if (last?.key === key) return last.credentials;
    logger.debug(`${tag} credentials from ${ENV_KEY} (${accessKeyId}${sessionToken ? ', with a session token' : ''})`);
    const credentials = handedOut({
      accessKeyId,
      secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
      ...(expiration === undefined ? {} : { expiration }),
      ...(accountId === undefined ? {} : { accountId }),
    });
    last = { key, credentials };
    return credentials;
  };
  return sourceProvider(read, () => `SourceCredentialProvider(${name})`);
}
