import { STSClient } from '@aws-sdk/client-sts';
import type { STSClientConfig } from '@aws-sdk/client-sts';

import { InvalidParameterError } from '../errors';
import type { CallerClientConfig, Logger } from '../types';
import { describeCredentials, describeValue } from './clientConfigKey';
import { installServerTimeMiddleware } from './serverTime';
import { acquireStsClient, releaseStsClient } from './sharedStsClients';
import type { SharedStsClient } from './sharedStsClients';

const ENV_REGION = 'AWS_REGION';
/** STS's global endpoint lives in us-east-1; the SDK needs some region to sign. */
const FALLBACK_REGION = 'us-east-1';

/** What a lease builds its client from. */
export interface StsClientLeaseInit {
  /** The provider's `clientConfig`, checked. */
  readonly clientConfig: STSClientConfig | undefined;
  /** What signs the calls (`sourceCredentials`), checked; else `clientConfig.credentials` or the default chain. */
  readonly source: STSClientConfig['credentials'];
  /** Without a region of its own, the caller's or AWS_REGION: refuse (naming this reason) instead of us-east-1. */
  readonly requireRegion: string | undefined;
  /** The provider's debug lines. */
  readonly logger: Logger;
  readonly tag: string;
  /** Told the calling client's logger, when the provider was given none. */
  readonly inheritLogger: ((logger: Logger) => void) | undefined;
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const l = value as Record<string, unknown>;
  // The SDK gives every client a NoOpLogger of its own: not a logger anyone asked for, and inheriting
  // it would keep clients that differ only by it apart.
  if ((value.constructor as { name?: unknown } | undefined)?.name === 'NoOpLogger') return false;
  return ['debug', 'info', 'warn', 'error'].every((level) => typeof l[level] === 'function');
}

/** A value the SDK may give as a string or as an async function returning one; undefined on failure. */
async function resolved(value: unknown): Promise<string | undefined> {
  try {
    const v: unknown = typeof value === 'function' ? await (value as () => unknown)() : value;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A handler STS can use: a caller's HTTP/2 one (Transcribe streaming, Kinesis) is skipped, as the SDK does. */
function http1(handler: unknown): unknown {
  if (typeof handler !== 'object' || handler === null) return undefined;
  const metadata = (handler as { metadata?: { handlerProtocol?: unknown } }).metadata;
  return metadata?.handlerProtocol === 'h2' ? undefined : handler;
}

/** The configuration a provider's client is built from, and where each inherited piece came from. */
interface Effective {
  readonly config: STSClientConfig;
  readonly why: string;
}

/**
 * The provider's own `clientConfig` first; what it leaves out, the calling client's (region, request
 * handler, logger, user-agent app id), as the SDK's `fromTemporaryCredentials` takes them; then
 * AWS_REGION; then us-east-1 (docs/ARCHITECTURE.md, "Inherited from the calling client").
 */
async function effectiveConfig(init: StsClientLeaseInit, caller: CallerClientConfig | undefined): Promise<Effective> {
  const own = init.clientConfig ?? {};
  const why: string[] = [];
  let region: STSClientConfig['region'] = own.region;
  if (region !== undefined) why.push('region of its own');
  else {
    const fromCaller = await resolved(caller?.region);
    const fromEnv = process.env[ENV_REGION] || undefined;
    region = fromCaller ?? fromEnv;
    if (region === undefined && init.requireRegion !== undefined) {
      throw new InvalidParameterError(
        'clientConfig.region',
        `must be set (or AWS_REGION, or a region on the calling client): ${init.requireRegion}`,
      );
    }
    why.push(
      fromCaller !== undefined
        ? `region ${fromCaller} of the calling client`
        : fromEnv !== undefined
          ? `region ${fromEnv} from ${ENV_REGION}`
          : `no region anywhere: ${FALLBACK_REGION}`,
    );
    region ??= FALLBACK_REGION;
  }
  const inherited: STSClientConfig = {};
  const handler = http1(caller?.requestHandler);
  if (own.requestHandler === undefined && handler !== undefined) {
    inherited.requestHandler = handler as STSClientConfig['requestHandler'];
    why.push('request handler of the calling client');
  }
  if (own.logger === undefined && isLogger(caller?.logger)) {
    inherited.logger = caller.logger;
    init.inheritLogger?.(caller.logger);
  }
  const appId = own.userAgentAppId === undefined ? await resolved(caller?.userAgentAppId) : undefined;
  if (appId !== undefined) inherited.userAgentAppId = appId;
  const source = init.source;
  return {
    config: {
      ...own,
      ...inherited,
      region,
      // The SDK writes a `$source` mark into the credentials object it resolves: static credentials
      // go to it as a copy, so that the caller's object is never written to (or, frozen, breaks it).
      ...(source === undefined ? {} : { credentials: typeof source === 'function' ? source : { ...source } }),
    },
    why: why.join(', '),
  };
}

/** The description providers meet under; undefined when the configuration cannot be described. */
function keyOf(config: STSClientConfig): string | undefined {
  const { credentials, ...rest } = config;
  const described = describeValue(rest);
  return described === undefined ? undefined : `${described}|${describeCredentials(credentials)}`;
}

/**
 * A provider's hold on its STS client: built, or shared with every provider of the same effective
 * configuration, at the first fetch (with what the calling client brings), given back on `close()`
 * once no call uses it. With the user's own `client` it only hands that client out.
 */
export class StsClientLease {
  private held: SharedStsClient | undefined;
  /** The caller the held client was built with; undefined: built before any client called. */
  private heldFor: CallerClientConfig | undefined;
  private pending: Promise<SharedStsClient> | undefined;
  private busy = 0;
  private releasing = false;

  constructor(
    private readonly init: StsClientLeaseInit | undefined,
    private readonly given: STSClient | undefined,
  ) {}

  /**
   * Whether what a calling client brings could still change the STS client: false with the user's
   * `client`, or with a `clientConfig` that sets everything a caller could give (region, requestHandler,
   * logger, userAgentAppId); then the provider can tell SDK clients it needs no `callerClientConfig`.
   */
  get inheritsFromCaller(): boolean {
    if (this.given !== undefined) return false;
    const own = this.init!.clientConfig ?? {};
    return (
      own.region === undefined ||
      own.requestHandler === undefined ||
      own.logger === undefined ||
      own.userAgentAppId === undefined
    );
  }

  /** Runs `send` with the client, acquiring it first if need be. */
  async use<T>(caller: CallerClientConfig | undefined, send: (client: STSClient) => Promise<T>): Promise<T> {
    if (this.given !== undefined) return send(this.given);
    this.busy++;
    try {
      return await send((await this.acquire(caller)).client);
    } finally {
      this.busy--;
      if (this.releasing && this.busy === 0) this.drop();
    }
  }

  /** The provider closed: lets go of the client now, or once the call using it ends. */
  release(): void {
    this.releasing = true;
    if (this.busy === 0) this.drop();
  }

  private drop(): void {
    this.releasing = false;
    const held = this.held;
    this.held = undefined;
    this.heldFor = undefined;
    if (held !== undefined) releaseStsClient(held);
  }

  private acquire(caller: CallerClientConfig | undefined): Promise<SharedStsClient> {
    // Built before any client called, and one calls now: built again, with what the caller brings.
    const held = this.held;
    if (held !== undefined && (this.heldFor !== undefined || caller === undefined)) return Promise.resolve(held);
    return (this.pending ??= this.build(caller).finally(() => (this.pending = undefined)));
  }

  private async build(caller: CallerClientConfig | undefined): Promise<SharedStsClient> {
    const init = this.init!;
    const { config, why } = await effectiveConfig(init, caller);
    const key = keyOf(config);
    const handler = config.requestHandler as { handle?: unknown } | undefined;
    const entry = acquireStsClient(
      key,
      () => {
        const client = new STSClient(config);
        installServerTimeMiddleware(client);
        return client;
      },
      typeof handler?.handle !== 'function',
    );
    const sharing = entry.holders > 1 ? `, shared with ${entry.holders - 1} other provider(s)` : '';
    init.logger.debug(`${init.tag} STS client: ${why}${key === undefined ? ', of its own' : sharing}`);
    if (this.held !== undefined) releaseStsClient(this.held);
    this.held = entry;
    this.heldFor = caller;
    return entry;
  }
}
