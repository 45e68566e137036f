import { InvalidParameterError } from '@credchain/core';
import type { CredentialProvider, FetchContext, FetchCredentials, TemporaryCredentials } from '@credchain/core';

import { CredentialSourceError } from './CredentialSourceError';
import { sdkLogger } from './redact';
import { roleSession } from './roleSession';
import { checkRotated, rotatingProvider } from './rotation';
import { checkCount, checkEnv, checkMs, checkString, frozenInit, sourceKit } from './sourceKit';
import type { SourceProviderOptions } from './sourceKit';
import { toSourceError } from './toSourceError';

const ENV_RELATIVE_URI = 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
const ENV_FULL_URI = 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
const ENV_TOKEN = 'AWS_CONTAINER_AUTHORIZATION_TOKEN';
const ENV_TOKEN_FILE = 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';
/** Where ECS serves a relative URI. */
const ECS_HOST = 'http://169.254.170.2';
const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_MAX_RETRIES = 3;

export interface FromContainerMetadataInit extends SourceProviderOptions {
  /**
   * The credentials endpoint (EKS Pod Identity's `http://169.254.170.23/v1/credentials`, a local server):
   * https, or http to a loopback address, ECS's or EKS's link-local address, as the SDK allows.
   * @default `AWS_CONTAINER_CREDENTIALS_FULL_URI`
   */
  readonly fullUri?: string;
  /**
   * A path on ECS's endpoint, 169.254.170.2; wins over `fullUri`.
   * @default `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
   */
  readonly relativeUri?: string;
  /** The `Authorization` header's value. @default `AWS_CONTAINER_AUTHORIZATION_TOKEN` */
  readonly authorizationToken?: string;
  /**
   * A file holding the `Authorization` header's value, read at every fetch (EKS rotates it); wins over
   * `authorizationToken`. @default `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
   */
  readonly authorizationTokenFile?: string;
  /** Connection and request timeout, in milliseconds. @default 1000 */
  readonly timeoutMs?: number;
  /**
   * Attempts after the first within one fetch, `timeoutMs` apart (the engine retries failed fetches besides).
   * @default 3
   */
  readonly maxRetries?: number;
  /** Where the variables above are read, at every fetch, when the option is not given. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** What a fetch may take beyond its attempts and the pauses between them. */
const DEADLINE_MARGIN_MS = 1000;

/**
 * `call`, or a timeout error past `ms`: fromHttp's request timeout only logs a warning (its handler is
 * built without throwOnRequestTimeout), so an endpoint that accepts the connection and never answers
 * would hold the engine's fetch, and every caller waiting on it, for good.
 */
function withDeadline<T>(call: Promise<T>, ms: number, where: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new CredentialSourceError('container', `${where} did not answer within ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}

/** The SDK's rule for a full URI (its `checkUrl`), so that a bad `fullUri` is named at creation. */
function allowedUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname;
  return (
    ['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]', 'localhost', '[::1]'].includes(host) ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

function checkInit(init: FromContainerMetadataInit): void {
  checkString('fullUri', init.fullUri, 'a URL');
  if (init.fullUri !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(init.fullUri);
    } catch {
      url = undefined;
    }
    if (url === undefined || !allowedUrl(url)) {
      throw new InvalidParameterError(
        'fullUri',
        'must be an https URL, or http to a loopback address, ECS (169.254.170.2) or EKS Pod Identity ' +
          '(169.254.170.23, [fd00:ec2::23])',
      );
    }
  }
  checkString('relativeUri', init.relativeUri, 'a path starting with /');
  if (init.relativeUri?.startsWith('/') === false) {
    throw new InvalidParameterError('relativeUri', 'must be a path starting with /');
  }
  checkString('authorizationToken', init.authorizationToken);
  if (init.authorizationToken !== undefined && /[\r\n]/.test(init.authorizationToken)) {
    throw new InvalidParameterError('authorizationToken', 'must not contain a line break');
  }
  checkString('authorizationTokenFile', init.authorizationTokenFile, 'a file path');
  checkMs('timeoutMs', init.timeoutMs);
  checkCount('maxRetries', init.maxRetries);
  checkEnv(init.env);
}

/** A URL as messages show it: no user, password or query, which could carry a secret. */
function shown(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return 'an unparseable URL';
  }
}

/**
 * The fetch of {@link fromContainerMetadata}, for composing with an engine of one's own: one request to
 * the container endpoint per call, through the SDK's `fromHttp`.
 * @throws InvalidParameterError naming a bad option
 */
export function containerFetch(init: FromContainerMetadataInit = {}): FetchCredentials {
  const options = frozenInit(init);
  checkInit(options);
  const { logger, tag, clock } = sourceKit('container', options);
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const quiet = sdkLogger(logger, tag);

  return async (context?: FetchContext): Promise<TemporaryCredentials> => {
    const env = options.env ?? process.env;
    // The options, when given, replace the environment as a whole: a full URI given here is not
    // overridden by a relative URI left in the environment.
    const fromInit = options.fullUri !== undefined || options.relativeUri !== undefined;
    const relative = fromInit ? options.relativeUri : env[ENV_RELATIVE_URI] || undefined;
    const full = fromInit ? options.fullUri : env[ENV_FULL_URI] || undefined;
    if (relative === undefined && full === undefined) {
      throw new CredentialSourceError(
        'container',
        `not configured: neither ${ENV_FULL_URI} nor ${ENV_RELATIVE_URI} is set`,
        {
          tryNextLink: true,
        },
      );
    }
    const tokenFromInit = options.authorizationToken !== undefined || options.authorizationTokenFile !== undefined;
    const token = tokenFromInit ? options.authorizationToken : env[ENV_TOKEN] || undefined;
    const tokenFile = tokenFromInit ? options.authorizationTokenFile : env[ENV_TOKEN_FILE] || undefined;
    const where = `the container endpoint ${shown(relative === undefined ? full! : `${ECS_HOST}${relative}`)}`;
    let answer;
    try {
      // Loaded here, at the first fetch: a cold start should not pay for a source it may never reach.
      const { fromHttp } = await import('@aws-sdk/credential-provider-http');
      // Empty strings, not undefined: the SDK would fall back to process.env for an undefined option.
      const sdk = fromHttp({
        awsContainerCredentialsRelativeUri: relative ?? '',
        awsContainerCredentialsFullUri: full ?? '',
        awsContainerAuthorizationToken: token ?? '',
        awsContainerAuthorizationTokenFile: tokenFile ?? '',
        timeout,
        maxRetries,
        logger: quiet,
      });
      answer = await withDeadline(sdk(), timeout * (2 * maxRetries + 1) + DEADLINE_MARGIN_MS, where);
    } catch (error) {
      const e = error as { syscall?: unknown; code?: unknown };
      if (tokenFile !== undefined && (e.syscall === 'open' || e.syscall === 'read')) {
        throw new CredentialSourceError(
          'container',
          `the authorization token file ${tokenFile} cannot be read (${String(e.code)})`,
        );
      }
      throw toSourceError('container', error, { where, timeoutMs: timeout });
    }
    const credentials = roleSession('container', where, answer);
    checkRotated(credentials, context, { source: 'container', where, logger, tag, now: clock.now() });
    return credentials;
  };
}

/**
 * A container's role credentials (ECS task roles, EKS Pod Identity) from the container credentials
 * endpoint, through the SDK's `fromHttp`, cached and refreshed by the engine: refreshed in the
 * background, served through an endpoint outage until they expire, never handed out expired. Configured
 * by the options or, as ECS and EKS set them, by `AWS_CONTAINER_CREDENTIALS_FULL_URI` /
 * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` and `AWS_CONTAINER_AUTHORIZATION_TOKEN` / `_TOKEN_FILE`;
 * with neither URI the error says `tryNextLink`, so a `chain` goes on. Tagged `role-session`.
 * @throws InvalidParameterError naming a bad option
 */
export function fromContainerMetadata(init: FromContainerMetadataInit = {}): CredentialProvider {
  const options = frozenInit(init);
  return rotatingProvider(containerFetch(options), sourceKit('container', options).engine);
}
