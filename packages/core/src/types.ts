import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Credentials that expire: what every STS operation returns. Plain objects, so spreading and
 * reading fields work as with the SDK's own identities.
 */
export interface TemporaryCredentials extends AwsCredentialIdentity {
  readonly sessionToken: string;
  readonly expiration: Date;
  /** Where they came from; decides the role-chaining cap when they sign an AssumeRole. */
  readonly origin?: CredentialOrigin;
}

/**
 * The kind of session credentials belong to. STS caps a role assumed with `role-session`
 * credentials at one hour; `user-session` (GetSessionToken) credentials keep the full duration.
 */
export type CredentialOrigin = 'role-session' | 'user-session' | 'federated' | 'root-session';

/** A source of time. Only `now()` is read; timers always use the global `setTimeout`. */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

/** The SDK's `Logger` shape: any object with these four methods fits (console, pino, the SDK's). */
export interface Logger {
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

/** Why the engine is fetching: carried to `fetch`, events and log lines. */
export type RefreshReason =
  | 'initial'
  | 'advisory'
  | 'timer'
  | 'mandatory'
  | 'expired'
  | 'forced'
  | 'retry'
  /** The cached credentials were invalidated: a service rejected them. */
  | 'rejected';

/**
 * The configuration of the AWS SDK client that called a provider, as the SDK passes it
 * (`callerClientConfig`): resolved values, some of them async functions. Typed loosely on purpose: it
 * comes from whatever SDK version the caller runs; read it, never write it (the engine's one write is
 * handing a provider back to that client as its `credentials`, unwrapped: engine/unwrapClient.ts).
 */
export interface CallerClientConfig {
  /** The client's region: a string, or (as the SDK resolves it) an async function returning one. */
  readonly region?: unknown;
  /** The client's request handler (proxy agents, timeouts), when it has one. */
  readonly requestHandler?: unknown;
  readonly logger?: unknown;
  /** The client's user-agent app id: a string, or an async function returning one. */
  readonly userAgentAppId?: unknown;
}

/** What the engine tells `fetch` about the fetch it asks for. */
export interface FetchContext {
  readonly reason: RefreshReason;
  /** The credentials being replaced, if any (for example the source of a role session). */
  readonly previous: TemporaryCredentials | undefined;
  /**
   * The configuration of the first SDK client that called the provider (first caller wins), for what
   * the provider was not given itself (docs/ARCHITECTURE.md, "Inherited from the calling client").
   * Undefined until a client has called it.
   */
  readonly callerClientConfig?: CallerClientConfig;
}

/** The one function a provider supplies to the engine: get new credentials, no caching. */
export type FetchCredentials<T extends TemporaryCredentials = TemporaryCredentials> = (
  context: FetchContext,
) => Promise<T>;

/**
 * A credential provider that caches and refreshes. Pass it as `credentials` to any AWS SDK for
 * JavaScript v3 client.
 */
export interface CredentialProvider<
  T extends TemporaryCredentials = TemporaryCredentials,
> extends AwsCredentialIdentityProvider {
  (props?: { forceRefresh?: boolean } & Record<string, unknown>): Promise<T>;
  /** Fetch new credentials now (shared with any fetch already under way). */
  refresh(): Promise<T>;
  /**
   * A service rejected credentials with this access key ID (ExpiredToken, InvalidClientTokenId, …). If
   * they are the cached ones, drops them, so that the next call fetches (single flight, as any fetch),
   * and returns true; otherwise does nothing and returns false: a refresh already replaced them, and the
   * caller just retries with the current ones. `code` is the service's error code, for the
   * `credentials-rejected` event and the log line (never the key). `credentialRecoveryPlugin` calls it.
   */
  invalidate(accessKeyId: string, code?: string): boolean;
  /**
   * True: the provider caches, so an AWS SDK client uses it as it is instead of putting its own cache
   * (refetching 5 minutes before expiry only) in front of it, which would hand back credentials the
   * engine already replaced or invalidated. The SDK's marker; the SDK writes it too.
   */
  readonly memoized: boolean;
  /**
   * The SDK's other two markers, read when a client is built: true once the provider needs nothing more
   * from a calling client (after its first, or from the start with a `client` of its own or a
   * `clientConfig` that sets all a caller could give), so that a client calls it with no wrapper. Until
   * then a client wraps it to pass its configuration (`callerClientConfig`). The SDK writes them too.
   */
  readonly configBound: boolean;
  readonly attributed: boolean;
  /** Stop the background timers. The provider still answers calls, fetching on demand. */
  close(): void;
  [Symbol.dispose](): void;
}
