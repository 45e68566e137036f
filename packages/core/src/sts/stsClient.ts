import { STSClient } from '@aws-sdk/client-sts';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Provider } from '@smithy/types';

import type { RefreshOptions, RetryOptions } from '../createRefreshingProvider';
import { InvalidParameterError } from '../errors';
import type { EventListener } from '../events';
import type { StoreOptions } from '../store/storeFetch';
import type { CredentialStore } from '../store/types';
import type { Logger } from '../types';
import { installServerTimeMiddleware } from './serverTime';
import { StsClientLease } from './StsClientLease';
import { toStsError } from './StsError';

const ENV_REGION = 'AWS_REGION';
/** STS's global endpoint lives in us-east-1; the SDK needs some region to sign. */
const FALLBACK_REGION = 'us-east-1';

/** Credentials, or anything that provides them: one of ours, the SDK's, a plain async function. */
export type CredentialSource = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Options every STS provider takes beside its own `params` (docs/ARCHITECTURE.md, "Contracts"). */
export interface StsProviderOptions {
  /**
   * What signs the STS call: credentials or a provider, e.g. another credchain provider (a role
   * assumed with a session's credentials).
   * @default the SDK's default credential chain
   */
  readonly sourceCredentials?: CredentialSource;
  /** The SDK's `fromTemporaryCredentials` name for `sourceCredentials`. */
  readonly masterCredentials?: CredentialSource;
  /**
   * Configuration of the STSClient the provider uses (region, endpoint, requestHandler, …). What it
   * leaves out comes from the first AWS SDK client that calls the provider (`callerClientConfig`, as
   * the SDK's `fromTemporaryCredentials` takes it): its region, request handler (unless HTTP/2),
   * logger and user-agent app id. Providers whose resulting configuration and source are the same
   * share one STSClient, released when the last of them is closed.
   * @default region from `clientConfig.region`, then the calling client's, then `AWS_REGION`, then
   * us-east-1
   */
  readonly clientConfig?: STSClientConfig;
  /**
   * An STSClient to use as it is instead of one of ours (nothing inherited, never shared, never
   * destroyed by us); `clientConfig` and the source are then its own.
   */
  readonly client?: STSClient;
  readonly refresh?: RefreshOptions;
  readonly retry?: RetryOptions;
  /**
   * Receives the provider's debug lines and warnings.
   * @default the calling client's logger, if it has one of its own; else no logging
   */
  readonly logger?: Logger;
  readonly onEvent?: EventListener;
  /**
   * A credential store shared with other processes and hosts (docs/ARCHITECTURE.md, "Stores"): the
   * AWS CLI's cache (`awsCliCacheStore`), Redis (`@credchain/redis`) or your own; or `{ store, timeoutMs,
   * lockWaitMs, lockTtlMs }`. A refresh reads it before calling STS and writes what STS answers, so a
   * fleet makes one call per role per lifetime. @default none
   */
  readonly store?: CredentialStore | StoreOptions;
}

// Options are checked as JavaScript callers may pass them, whatever their types say.
function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** `sourceCredentials` or its alias, checked: both at once is ambiguous. */
export function sourceOf(options: StsProviderOptions): CredentialSource | undefined {
  if (options.sourceCredentials !== undefined && options.masterCredentials !== undefined) {
    throw new InvalidParameterError('sourceCredentials', 'and masterCredentials are aliases: pass one of them');
  }
  const source = options.sourceCredentials ?? options.masterCredentials;
  if (source !== undefined && typeof source !== 'function' && !isObject(source)) {
    throw new InvalidParameterError('sourceCredentials', 'must be credentials or a credential provider');
  }
  return source;
}

/**
 * The region a provider's STSClient will use when no calling client brings one: `clientConfig.region`,
 * else `AWS_REGION`; undefined when neither is set. A region given as a function (the SDK's
 * `Provider<string>`) is returned as it is, not called: the SDK calls it when the client resolves its
 * configuration, and until then it may do I/O that a factory must not.
 */
export function regionOf(options: StsProviderOptions): string | Provider<string> | undefined {
  const configured = options.clientConfig?.region;
  if (typeof configured === 'string' || typeof configured === 'function') return configured;
  return process.env[ENV_REGION] || undefined;
}

/** The common options checked: the user's client, or the source. */
function checkedClientOptions(options: StsProviderOptions): { client?: STSClient; source?: CredentialSource } {
  const source = sourceOf(options);
  if (options.client !== undefined) {
    const client = options.client;
    if (typeof (client as { send?: unknown }).send !== 'function') {
      throw new InvalidParameterError('client', 'must be an STSClient');
    }
    if (source !== undefined) {
      throw new InvalidParameterError(
        'sourceCredentials',
        'cannot be combined with client: the client signs with its own',
      );
    }
    return { client };
  }
  if (options.clientConfig !== undefined && !isObject(options.clientConfig)) {
    throw new InvalidParameterError('clientConfig', 'must be an STSClientConfig object');
  }
  return source === undefined ? {} : { source };
}

/**
 * Checks the common options and returns a function that builds a private STSClient on first use (no
 * I/O and no client construction at factory time), for a caller that changes the client (the
 * profile's cache capture) or destroys it itself (the CLI). Providers use {@link stsClients}.
 */
export function stsClientGetter(options: StsProviderOptions): () => STSClient {
  const { client: given, source } = checkedClientOptions(options);
  if (given !== undefined) return () => given;
  let client: STSClient | undefined;
  return () => {
    client ??= new STSClient({
      ...options.clientConfig,
      region: regionOf(options) ?? FALLBACK_REGION,
      // The SDK writes a `$source` mark into the credentials object it resolves: static credentials
      // go to it as a copy, so that the caller's object is never written to (or, frozen, breaks it).
      ...(source === undefined ? {} : { credentials: typeof source === 'function' ? source : { ...source } }),
    });
    return client;
  };
}

// AssumeRoleWithSAML and AssumeRoleWithWebIdentity are unsigned calls. The SDK picks "no auth" for
// them by default, but not for every endpoint (region `aws-global` resolves to a rule set that
// demands SigV4, and the client would then go looking for credentials it does not need). Asking
// for no auth outright keeps the call unsigned everywhere; a caller's own `httpAuthSchemeProvider`
// still wins.
const NO_AUTH: NonNullable<STSClientConfig['httpAuthSchemeProvider']> = () => [{ schemeId: 'smithy.api#noAuth' }];

/** `stsClientGetter` for an operation STS takes unsigned: the client never resolves credentials. */
export function unsignedStsClientGetter(options: StsProviderOptions): () => STSClient {
  return stsClientGetter(unsignedOptions(options));
}

function unsignedOptions(options: StsProviderOptions): StsProviderOptions {
  const config = options.clientConfig;
  if (options.client !== undefined || (config !== undefined && !isObject(config))) return options;
  return { ...options, clientConfig: { httpAuthSchemeProvider: NO_AUTH, ...config } };
}

/** How a provider's STS calls are made, for {@link stsClients}. */
export interface StsClientsSpec {
  /** The operation is unsigned (AssumeRoleWithSAML, AssumeRoleWithWebIdentity). @default false */
  readonly unsigned?: boolean;
  /**
   * Refuse to fall back to us-east-1 (a region must come from the options, the calling client or
   * AWS_REGION), for this reason, e.g. `AssumeRoot is served only by regional endpoints`. @default none
   */
  readonly requireRegion?: string;
  /** The provider's debug lines (`credchain:<name> -`). */
  readonly logger: Logger;
  readonly name: string;
  /** Told the calling client's logger when the provider was given none. */
  readonly inheritLogger?: (logger: Logger) => void;
}

/**
 * Checks the common options and returns the provider's hold on its STS client: the user's `client`
 * as it is, or one built at the first fetch from `clientConfig` and what the calling client brings,
 * shared by every provider whose configuration and source are the same, and let go on `release()`
 * (docs/ARCHITECTURE.md, "Shared STS clients"). No I/O and no client at factory time.
 */
export function stsClients(options: StsProviderOptions, spec: StsClientsSpec): StsClientLease {
  const effective = spec.unsigned === true ? unsignedOptions(options) : options;
  const { client, source } = checkedClientOptions(effective);
  if (client !== undefined) {
    installServerTimeMiddleware(client);
    return new StsClientLease(undefined, client);
  }
  return new StsClientLease(
    {
      clientConfig: effective.clientConfig,
      source,
      requireRegion: spec.requireRegion,
      logger: spec.logger,
      tag: `credchain:${spec.name} -`,
      inheritLogger: spec.inheritLogger,
    },
    undefined,
  );
}

/** Sends an STS command, turning STS's error answers into `StsError`s. */
export async function sendSts<O>(operation: string, send: () => Promise<O>): Promise<O> {
  try {
    return await send();
  } catch (error) {
    throw toStsError(operation, error);
  }
}
