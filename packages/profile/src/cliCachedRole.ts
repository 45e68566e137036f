import type { AssumeRoleCommandOutput, AssumeRoleWithWebIdentityCommandOutput, STSClient } from '@aws-sdk/client-sts';
import { createRefreshingProvider } from '@credchain/core';
import { accountIdOf, describeError, providerKit } from '@credchain/core/provider-kit';
import type { CredentialProvider, EventListener, StsProviderOptions, TemporaryCredentials } from '@credchain/core';

import { parseCliDate, readCliCache, withCacheLock, writeCliCache } from './cliCache';
import type { CliCacheEntry } from './cliCache';

/** botocore assumes a role again once less than this is left (CachedCredentialFetcher's window). */
const CLI_EXPIRY_WINDOW_MS = 15 * 60 * 1000;

/** The operations whose responses the AWS CLI caches in `~/.aws/cli/cache`. */
type CachedOperation = 'AssumeRole' | 'AssumeRoleWithWebIdentity';
type RoleOutput = AssumeRoleCommandOutput | AssumeRoleWithWebIdentityCommandOutput;

/** What the provider that makes the STS call gets: our client, and engine options for fetching only. */
export interface InnerProviderOptions {
  readonly client: STSClient;
  readonly refresh: NonNullable<StsProviderOptions['refresh']>;
  readonly logger: NonNullable<StsProviderOptions['logger']>;
  readonly onEvent?: EventListener;
}

export interface CliCachedRoleInit extends Omit<
  StsProviderOptions,
  'client' | 'sourceCredentials' | 'masterCredentials'
> {
  readonly profile: string;
  readonly operation: CachedOperation;
  /** The STS client to send with (signed for AssumeRole, unsigned for AssumeRoleWithWebIdentity). */
  readonly createClient: () => STSClient;
  /** The provider that makes the call (fromAssumeRole, fromWebIdentity) around `options.client`. */
  readonly inner: (options: InnerProviderOptions) => CredentialProvider;
  readonly dir: string;
  readonly key: string;
}

/** `2026-11-23T10:15:06Z`: how AWS CLI v1 writes Expiration (seen in files it wrote). */
function cliDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function toEntry(output: RoleOutput, headers: Record<string, string>): CliCacheEntry | undefined {
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
 * A role (AssumeRole, or AssumeRoleWithWebIdentity) that shares the AWS CLI's cache: each fetch
 * first looks for an entry the CLI (or another process) wrote that outlives what we hold, and
 * writes every response it gets back for the CLI to use. botocore caches both operations the same
 * way (`CachedCredentialFetcher`), in one directory, keyed by `cliCacheKey` of their arguments.
 */
export function cliCachedRole(init: CliCachedRoleInit): CredentialProvider {
  const { profile, dir, key, operation } = init;
  const { logger, engine } = providerKit('profile', init);
  const clock = init.refresh?.clock ?? Date;

  // The STSClient is ours so that the whole response (not just the credentials the inner provider
  // hands out) can be captured for the cache file.
  let client: STSClient | undefined;
  type Captured = { output: RoleOutput; headers: Record<string, string> };
  let captured: Captured | undefined;
  // A function, so the type checker does not assume `captured` is still what it was before the await.
  const takeCaptured = (): Captured | undefined => captured;
  const getClient = (): STSClient => {
    if (client !== undefined) return client;
    client = init.createClient();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === `${operation}Command`) {
          const response = result.response as { headers?: Record<string, string> };
          captured = { output: result.output as RoleOutput, headers: { ...response.headers } };
        }
        return result;
      },
      { step: 'initialize', name: 'credchainCliCacheCapture' },
    );
    return client;
  };
  let inner: CredentialProvider | undefined;
  const getInner = (): CredentialProvider =>
    (inner ??= init.inner({
      client: getClient(),
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
