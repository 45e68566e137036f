import { STSClient } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandOutput, STSClientConfig } from '@aws-sdk/client-sts';
import { fromAssumeRole } from '@credchain/assume-role';
import type { FromAssumeRoleInit } from '@credchain/assume-role';
import { createRefreshingProvider } from '@credchain/core';
import { accountIdOf, describeError, providerKit } from '@credchain/core/provider-kit';
import type { CredentialProvider, CredentialSource, StsProviderOptions, TemporaryCredentials } from '@credchain/core';

import { parseCliDate, readCliCache, withCacheLock, writeCliCache } from './cliCache';
import type { CliCacheEntry } from './cliCache';

/** botocore re-assumes a role once less than this is left (CachedCredentialFetcher's window). */
const CLI_EXPIRY_WINDOW_MS = 15 * 60 * 1000;

export interface CachedAssumeRoleInit extends Omit<
  FromAssumeRoleInit,
  'client' | 'sourceCredentials' | 'masterCredentials'
> {
  readonly profile: string;
  readonly sourceCredentials: CredentialSource;
  readonly clientConfig: STSClientConfig;
  readonly dir: string;
  readonly key: string;
}

/** `2026-11-23T10:15:06Z`: how AWS CLI v1 writes Expiration (seen in files it wrote). */
function cliDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function toEntry(output: AssumeRoleCommandOutput, headers: Record<string, string>): CliCacheEntry | undefined {
  const c = output.Credentials;
  if (
    c?.AccessKeyId === undefined ||
    c.SecretAccessKey === undefined ||
    c.SessionToken === undefined ||
    c.Expiration === undefined
  ) {
    return undefined;
  }
  const accountId = accountIdOf(output.AssumedRoleUser?.Arn);
  const { $metadata, Credentials: _credentials, ...rest } = output;
  return {
    Credentials: {
      AccessKeyId: c.AccessKeyId,
      SecretAccessKey: c.SecretAccessKey,
      SessionToken: c.SessionToken,
      Expiration: cliDate(new Date(c.Expiration)),
      ...(accountId === undefined ? {} : { AccountId: accountId }),
    },
    ...rest,
    ResponseMetadata: {
      RequestId: $metadata.requestId,
      HTTPStatusCode: $metadata.httpStatusCode,
      HTTPHeaders: headers,
      RetryAttempts: Math.max(0, ($metadata.attempts ?? 1) - 1),
    },
  };
}

const FORWARDED = new Set(['duration-capped', 'mfa-prompt', 'warning']);

/**
 * A role assumed through `fromAssumeRole` that shares the AWS CLI's cache: each fetch first looks
 * for an entry the CLI (or another process) wrote that outlives what we hold, and writes every
 * AssumeRole response it gets back for the CLI to use.
 */
export function cachedAssumeRole(init: CachedAssumeRoleInit): CredentialProvider {
  const { profile, dir, key, clientConfig, sourceCredentials } = init;
  const outer: StsProviderOptions = init;
  const { logger, engine } = providerKit('profile', outer);
  const clock = init.refresh?.clock ?? Date;

  // The STSClient is ours so that the whole AssumeRole response (not just the credentials
  // fromAssumeRole hands out) can be captured for the cache file.
  let client: STSClient | undefined;
  type Captured = { output: AssumeRoleCommandOutput; headers: Record<string, string> };
  let captured: Captured | undefined;
  // A function, so the type checker does not assume `captured` is still what it was before the await.
  const takeCaptured = (): Captured | undefined => captured;
  const getClient = (): STSClient => {
    if (client !== undefined) return client;
    client = new STSClient({ ...clientConfig, credentials: sourceCredentials });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'AssumeRoleCommand') {
          const response = result.response as { headers?: Record<string, string> };
          captured = { output: result.output, headers: { ...response.headers } };
        }
        return result;
      },
      { step: 'initialize', name: 'credchainCliCacheCapture' },
    );
    return client;
  };
  let inner: CredentialProvider | undefined;
  const getInner = (): CredentialProvider =>
    (inner ??= fromAssumeRole({
      params: init.params,
      client: getClient(),
      ...(init.mfaCodeProvider === undefined ? {} : { mfaCodeProvider: init.mfaCodeProvider }),
      ...(init.strictDuration === undefined ? {} : { strictDuration: init.strictDuration }),
      // The outer engine caches and refreshes; the inner one only fetches when asked.
      refresh: { ...init.refresh, background: false, eager: false },
      logger,
      ...(init.onEvent === undefined ? {} : { onEvent: (e) => (FORWARDED.has(e.type) ? init.onEvent!(e) : undefined) }),
    }));
  // Built now so that bad params (RoleArn, DurationSeconds, a missing mfaCodeProvider) fail here.
  getInner();

  /** The cache entry when it outlives what we hold by enough to use, else undefined. */
  const fromCache = async (previous: TemporaryCredentials | undefined): Promise<TemporaryCredentials | undefined> => {
    const entry = await readCliCache(dir, key);
    if (entry === undefined) return undefined;
    const expires = parseCliDate(entry.Credentials.Expiration);
    const left = expires - clock.now();
    if (left < CLI_EXPIRY_WINDOW_MS) {
      logger.debug(
        `credchain:profile - ${profile}: AWS CLI cache entry ${key}.json expires too soon ` +
          `(${Math.round(left / 1000)} s left)`,
      );
      return undefined;
    }
    if (previous !== undefined && expires <= previous.expiration.getTime()) {
      logger.debug(
        `credchain:profile - ${profile}: AWS CLI cache entry ${key}.json is the one already held; calling STS`,
      );
      return undefined;
    }
    logger.debug(
      `credchain:profile - ${profile}: credentials from the AWS CLI cache ` +
        `(${key}.json, ${Math.round(left / 1000)} s left)`,
    );
    const accountId = entry.Credentials.AccountId ?? accountIdOf(entry.AssumedRoleUser?.Arn);
    return {
      accessKeyId: entry.Credentials.AccessKeyId,
      secretAccessKey: entry.Credentials.SecretAccessKey,
      sessionToken: entry.Credentials.SessionToken,
      expiration: new Date(expires),
      origin: 'role-session',
      ...(accountId === undefined ? {} : { accountId }),
    };
  };

  const assume = async (): Promise<TemporaryCredentials> => {
    captured = undefined;
    const credentials = await getInner().refresh();
    const response = takeCaptured();
    const fresh = response === undefined ? undefined : toEntry(response.output, response.headers);
    if (fresh !== undefined) {
      try {
        await writeCliCache(dir, key, fresh);
        logger.debug(`credchain:profile - ${profile}: wrote AWS CLI cache entry ${key}.json`);
      } catch (error) {
        logger.warn(`credchain:profile - ${profile}: could not write the AWS CLI cache (${describeError(error)})`);
      }
    }
    return credentials;
  };

  // Other processes share the directory: on a miss, take the entry's lock and look again (another
  // process may have just assumed the role), so that one of them calls STS, not all.
  const fetch = async ({ previous }: { previous: TemporaryCredentials | undefined }): Promise<TemporaryCredentials> =>
    (await fromCache(previous)) ?? withCacheLock(dir, key, async () => (await fromCache(previous)) ?? assume());
  return createRefreshingProvider(fetch, engine);
}
