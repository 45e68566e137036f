import type { RefreshingProviderOptions } from '../createRefreshingProvider';
import { createEmitter } from '../emitter';
import { InvalidParameterError } from '../errors';
import type { EventInput } from '../emitter';
import { noopLogger } from '../support';
import { DEFAULT_MANDATORY_WINDOW_MS } from '../windows';
import type { FetchContext, Logger } from '../types';
import { checkStoreOptions } from '../store/storeFetch';
import type { StoreBinding, StoreOptions } from '../store/storeFetch';
import { storeKey } from '../store/storeKey';
import { sourcePrincipal } from '../store/sourcePrincipal';
import type { CredentialStore } from '../store/types';
import { stsClients } from './stsClient';
import type { StsProviderOptions } from './stsClient';
import type { StsClientLease } from './StsClientLease';

/** What a provider needs besides its fetch: its logger, an event emitter, the engine's options. */
export interface ProviderKit {
  readonly logger: Logger;
  readonly emit: (event: EventInput) => void;
  readonly engine: RefreshingProviderOptions;
}

/** How an STS provider calls STS, for {@link providerKit}. */
export interface StsKitSpec {
  /** The operation is unsigned (AssumeRoleWithSAML, AssumeRoleWithWebIdentity). @default false */
  readonly unsigned?: boolean;
  /** Refuse to fall back to us-east-1, for this reason (AssumeRoot). @default none */
  readonly requireRegion?: string;
  /** What names the provider's entry when `init.store` is set (docs/ARCHITECTURE.md, "Stores"). */
  readonly storeKey?: StoreKeySpec;
}

/** How an STS provider's store entry is named. */
export interface StoreKeySpec {
  readonly operation: string;
  /** The parameters as the user gave them: no default the process drew for itself, no TokenCode. */
  readonly params: object;
  /**
   * Who the source is, for an unsigned operation (a fingerprint of its token or assertion). Signed
   * operations leave it out: the principal of the credentials that sign is asked for (`sourcePrincipal`).
   */
  readonly principal?: (context: FetchContext) => Promise<string>;
}

/** A `store` option as the engine takes it: the store, its timeouts, and how to name the entry. */
function storeBinding(
  option: StsProviderOptions['store'],
  spec: StoreKeySpec | undefined,
  lease: StsClientLease,
): StoreBinding | undefined {
  if (option === undefined) return undefined;
  if (spec === undefined) throw new InvalidParameterError('store', 'is not supported by this provider');
  const given: unknown = option;
  const isStore = typeof given === 'object' && given !== null && typeof (given as { get?: unknown }).get === 'function';
  const options: StoreOptions = isStore ? { store: option as CredentialStore } : (option as StoreOptions);
  checkStoreOptions(options);
  const { TokenCode: _code, ...params } = spec.params as { TokenCode?: unknown };
  const principal =
    spec.principal ?? ((context: FetchContext) => lease.use(context.callerClientConfig, sourcePrincipal));
  return {
    ...options,
    key: async (context) => storeKey({ operation: spec.operation, params, principal: await principal(context) }),
  };
}

/** The kit of an STS provider: also its hold on its STS client, let go by the engine's `close()`. */
export interface StsProviderKit extends ProviderKit {
  readonly sts: StsClientLease;
}

/**
 * A logger that writes to the calling client's logger once one is known (`callerClientConfig`), for
 * a provider given none: its methods live on the prototype, so a pool of providers pays a field each.
 */
class InheritedLogger implements Logger {
  target: Logger = noopLogger;
  debug(...content: unknown[]): void {
    this.target.debug(...content);
  }
  info(...content: unknown[]): void {
    this.target.info(...content);
  }
  warn(...content: unknown[]): void {
    this.target.warn(...content);
  }
  error(...content: unknown[]): void {
    this.target.error(...content);
  }
}

/** A provider without `onEvent`: one shared no-op instead of an emitter each (a pool holds thousands). */
const noEvents = (_event: EventInput): void => undefined;

/**
 * Credentials that live no longer than the mandatory window could never be handed out (the engine
 * refuses them, engine rule 7 in docs/ARCHITECTURE.md): a requested DurationSeconds that short is an
 * error now, not at every fetch.
 */
function checkOutlivesMandatoryWindow(durationSeconds: unknown, init: StsProviderOptions): void {
  if (typeof durationSeconds !== 'number') return;
  const mandatoryWindowMs = init.refresh?.mandatoryWindowMs ?? DEFAULT_MANDATORY_WINDOW_MS;
  if (typeof mandatoryWindowMs === 'number' && durationSeconds * 1000 <= mandatoryWindowMs) {
    throw new InvalidParameterError(
      'DurationSeconds',
      `must be longer than refresh.mandatoryWindowMs (${mandatoryWindowMs / 1000} s): credentials of` +
        ` ${durationSeconds} s could never be handed out; ask for more or lower the window`,
    );
  }
}

/**
 * Builds a provider's logger, emitter and engine options from its init, under its name. Pass the
 * requested DurationSeconds (when the operation takes one) to have it checked against the
 * mandatory window. With `sts`, also checks the common STS options and returns the provider's hold
 * on its STS client (`sts.use(context.callerClientConfig, send)` in the fetch); the engine's
 * `close()` lets go of it, and without a logger of its own the provider logs to the calling client's.
 */
export function providerKit(name: string, init: StsProviderOptions, durationSeconds?: number): ProviderKit;
export function providerKit(
  name: string,
  init: StsProviderOptions,
  durationSeconds: number | undefined,
  sts: StsKitSpec,
): StsProviderKit;
export function providerKit(
  name: string,
  init: StsProviderOptions,
  durationSeconds?: number,
  sts?: StsKitSpec,
): ProviderKit | StsProviderKit {
  checkOutlivesMandatoryWindow(durationSeconds, init);
  const inherited = init.logger === undefined && sts !== undefined ? new InheritedLogger() : undefined;
  const logger = init.logger ?? inherited ?? noopLogger;
  const clock = init.refresh?.clock ?? Date;
  const lease =
    sts === undefined
      ? undefined
      : stsClients(init, {
          ...sts,
          logger,
          name,
          ...(inherited === undefined ? {} : { inheritLogger: (l: Logger) => (inherited.target = l) }),
        });
  const binding = lease === undefined ? undefined : storeBinding(init.store, sts?.storeKey, lease);
  return {
    logger,
    emit: init.onEvent === undefined ? noEvents : createEmitter(name, init.onEvent, logger, () => clock.now()),
    engine: {
      name,
      logger,
      ...(init.refresh === undefined ? {} : { refresh: init.refresh }),
      ...(init.retry === undefined ? {} : { retry: init.retry }),
      ...(init.onEvent === undefined ? {} : { onEvent: init.onEvent }),
      ...(lease === undefined ? {} : { onClose: () => lease.release() }),
      ...(binding === undefined ? {} : { store: binding }),
      // Nothing a calling client brings could be used: SDK clients may call the provider without wrappers.
      ...(lease?.inheritsFromCaller === false ? { inheritsFromCaller: false } : {}),
    },
    ...(lease === undefined ? {} : { sts: lease }),
  };
}
