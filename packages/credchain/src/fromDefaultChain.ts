import { InvalidParameterError, chain } from '@credchain/core';
import type { ChainedProvider, TemporaryCredentials } from '@credchain/core';
import { notConfiguredProvider } from '@credchain/core/provider-kit';
import { fromProfile } from '@credchain/profile';
import type { FromProfileInit } from '@credchain/profile';
import { CredentialSourceError, fromContainerMetadata, fromEnv, fromInstanceMetadata } from '@credchain/sources';
import type { SourceCredentialProvider } from '@credchain/sources';
import { ENV_ROLE_ARN, ENV_TOKEN_FILE, fromWebIdentity } from '@credchain/web-identity';
import type { AwsCredentialIdentity } from '@smithy/types';

/**
 * Options of {@link fromDefaultChain}: those of `fromProfile` (for the profile link; `profile`, or `AWS_PROFILE`, also
 * skips the environment link, as in the SDK: a profile named explicitly wins over keys left in the environment),
 * whose `clientConfig`, `refresh`, `retry`, `logger` and `onEvent` every other link takes too.
 */
export type FromDefaultChainInit = Omit<FromProfileInit, 'mfaSession'>;

const KNOWN_OPTIONS = new Set([
  'profile',
  'filepath',
  'configFilepath',
  'mfaCodeProvider',
  'cliCache',
  'clientConfig',
  'refresh',
  'retry',
  'logger',
  'onEvent',
]);

type Link = ((props?: Record<string, unknown>) => Promise<AwsCredentialIdentity>) & { close?: () => void };

/**
 * A link built on its first call, not before: the chain reads the environment when it is first asked, as the SDK's
 * does, and a process that never reaches a link never builds it. Named for the chain's error message.
 */
function lazyLink(name: string, build: () => Link): Link {
  let built: Link | undefined;
  // Not async: the chain catches a synchronous throw, and the hot path saves a promise (bench part 4).
  const link = ((props?: Record<string, unknown>) => (built ??= build())(props)) as Link;
  Object.defineProperty(link, 'name', { value: name });
  link.close = () => built?.close?.();
  // What it builds caches (an engine) or holds fixed keys; marked, the chain is too, and an SDK client adds no cache.
  Object.defineProperty(link, 'memoized', { value: true, writable: true });
  return link;
}

const env = (name: string): string | undefined => process.env[name] || undefined;

/**
 * The instance metadata link is on unless disabled, so on a machine that is no EC2 instance (a laptop, a CI
 * runner) it is tried and fails. Until it has once provided credentials, its failure is the last link's reason in
 * the chain's ChainExhaustedError (as in the SDK, "could not load credentials from any providers") rather than an
 * error of its own that hides the other links' reasons. Once it has worked, its errors are its own: the chain
 * stops on them, so no other identity silently takes over.
 */
function untilFirstSuccess(provider: SourceCredentialProvider): Link {
  let worked = false;
  const passOn = (error: unknown): never => {
    if (worked || !(error instanceof CredentialSourceError) || error.tryNextLink) throw error;
    throw new CredentialSourceError(error.source, error.message.replace(/^[\w-]+: /, ''), {
      tryNextLink: true,
      cause: error,
      ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
    });
  };
  // Once it has worked, the provider's own promise: no extra hop on the hot path.
  const link = ((props?: Record<string, unknown>) =>
    worked
      ? provider(props)
      : provider(props).then((credentials) => {
          worked = true;
          return credentials;
        }, passOn)) as Link;
  link.close = () => provider.close();
  Object.defineProperty(link, 'memoized', { value: true, writable: true });
  return link;
}

/**
 * The SDK's default credential chain (`fromNodeProviderChain`), with credchain's engine around every source
 * that expires. Links, in the SDK's order:
 *
 * 1. `environment` — `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (skipped when a profile is named);
 * 2. `profile` — the shared-config profile, every kind `fromProfile` resolves (roles, SSO, `credential_process`,
 *    `credential_source`, web identity);
 * 3. `web-identity` — `AWS_WEB_IDENTITY_TOKEN_FILE` with `AWS_ROLE_ARN` (EKS IRSA);
 * 4. `container` — `AWS_CONTAINER_CREDENTIALS_FULL_URI` / `RELATIVE_URI` (ECS, EKS Pod Identity), else
 *    `instance-metadata` — EC2 IMDSv2 (unless `AWS_EC2_METADATA_DISABLED`).
 *
 * A link that is not configured passes to the next; a link that is configured but broken stops the chain
 * (no silent change of identity). The link that worked is tried first afterwards; its provider refreshes in
 * the background and keeps serving valid credentials while its source fails. When every link passes, the
 * `ChainExhaustedError` lists each link's reason.
 *
 * ```ts
 * const s3 = new S3Client({ credentials: fromDefaultChain() });
 * ```
 */
export function fromDefaultChain(init: FromDefaultChainInit = {}): ChainedProvider<AwsCredentialIdentity> {
  const given: unknown = init;
  if (typeof given !== 'object' || given === null) throw new InvalidParameterError('init', 'must be an options object');
  for (const key of Object.keys(init)) {
    if (!KNOWN_OPTIONS.has(key)) throw new InvalidParameterError(key, 'is not an option of fromDefaultChain');
  }
  const engine = {
    ...(init.refresh === undefined ? {} : { refresh: init.refresh }),
    ...(init.retry === undefined ? {} : { retry: init.retry }),
    ...(init.logger === undefined ? {} : { logger: init.logger }),
    ...(init.onEvent === undefined ? {} : { onEvent: init.onEvent }),
  };
  const sts = init.clientConfig === undefined ? {} : { clientConfig: init.clientConfig };
  // The profile link's options are checked now (fromProfile validates at creation); it reads no file until called.
  const profile = fromProfile(init);

  const environment = lazyLink('environment', () =>
    init.profile !== undefined || env('AWS_PROFILE') !== undefined
      ? notConfiguredProvider(
          'environment',
          'a profile is named (profile or AWS_PROFILE), which wins over environment keys',
        )
      : fromEnv(),
  );
  const profileLink: Link = Object.assign((props?: Record<string, unknown>) => profile(props), {
    close: () => profile.close(),
  });
  Object.defineProperties(profileLink, { name: { value: 'profile' }, memoized: { value: true, writable: true } });
  const webIdentity = lazyLink('web-identity', () =>
    env(ENV_TOKEN_FILE) === undefined || env(ENV_ROLE_ARN) === undefined
      ? notConfiguredProvider('web-identity', `${ENV_TOKEN_FILE} and ${ENV_ROLE_ARN} are not both set`)
      : fromWebIdentity({ ...engine, ...sts }),
  );
  const remote = lazyLink('container-or-instance-metadata', () => {
    if (
      env('AWS_CONTAINER_CREDENTIALS_FULL_URI') !== undefined ||
      env('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI') !== undefined
    ) {
      return fromContainerMetadata(engine);
    }
    const disabled = env('AWS_EC2_METADATA_DISABLED');
    if (disabled !== undefined && disabled.toLowerCase() !== 'false') {
      return notConfiguredProvider('instance-metadata', 'AWS_EC2_METADATA_DISABLED is set');
    }
    return untilFirstSuccess(fromInstanceMetadata(engine));
  });
  return chain<AwsCredentialIdentity | TemporaryCredentials>(environment, profileLink, webIdentity, remote);
}
