import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

import { markConfigBound, probeOf, unwrapAfterCall } from './engine/unwrapClient';
import { ChainExhaustedError, InvalidParameterError } from './errors';
import { INSPECT } from './redact';
import { describeError } from './support';

/** Any provider a chain can hold: ours, the SDK's, or a plain async function. */
export type ChainLink<T extends AwsCredentialIdentity> = (props?: Record<string, unknown>) => Promise<T>;

/** What `chain` returns: a provider, plus `close()` that closes every link that can be closed. */
export interface ChainedProvider<T extends AwsCredentialIdentity> extends AwsCredentialIdentityProvider {
  (props?: { forceRefresh?: boolean } & Record<string, unknown>): Promise<T>;
  /** True when every link is (credchain's providers are): an SDK client then adds no cache of its own. */
  readonly memoized: boolean;
  /**
   * The SDK's other markers: true from the start when every link is, else once a client has called the
   * chain (its configuration is then passed on to links first reached later): see `CredentialProvider`.
   */
  readonly configBound: boolean;
  readonly attributed: boolean;
  close(): void;
  [Symbol.dispose](): void;
}

/** A link says "not configured here, try the next one" the way the SDK's providers do. */
function saysTryNext(error: unknown): boolean {
  return error instanceof Error && (error as { tryNextLink?: unknown }).tryNextLink === true;
}

function linkName(link: unknown, index: number): string {
  const name = typeof link === 'function' ? link.name : '';
  return name !== '' && name !== 'anonymous' ? `${index + 1} (${name})` : `${index + 1}`;
}

/**
 * Tries `providers` in order until one returns credentials. A link that throws a
 * `CredentialsProviderError` with `tryNextLink` passes to the next; any other error stops the
 * chain, so a provider that is configured but broken is never silently replaced by another
 * identity. The link that worked is tried first next time. When every link passes, the
 * `ChainExhaustedError` names each link's reason.
 */
export function chain<T extends AwsCredentialIdentity>(...providers: ReadonlyArray<ChainLink<T>>): ChainedProvider<T> {
  if (providers.length === 0) throw new InvalidParameterError('providers', 'must hold at least one provider');
  providers.forEach((link, i) => {
    if (typeof link !== 'function') throw new InvalidParameterError(`providers[${i}]`, 'must be a function');
  });
  const links = [...providers];
  let preferred = 0;
  // The first calling SDK client's configuration (first caller wins, at every link): once the chain is
  // marked, clients call it without one, and a link first reached later still gets it.
  let caller: object | undefined;
  let unwrapTried: WeakSet<object> | undefined;
  const withCaller = (props?: Record<string, unknown>): Record<string, unknown> | undefined =>
    caller === undefined || props?.callerClientConfig !== undefined ? props : { ...props, callerClientConfig: caller };

  // After the preferred link failed with `first`: the others in their given order.
  const rest = async (first: unknown, from: number, props?: Record<string, unknown>): Promise<T> => {
    if (!saysTryNext(first)) throw first;
    const errors: unknown[] = new Array<unknown>(links.length);
    errors[from] = first;
    const passed = withCaller(props);
    for (let step = 1; step < links.length; step++) {
      const i = step <= from ? step - 1 : step;
      try {
        const credentials = await links[i]!(passed);
        preferred = i;
        return credentials;
      } catch (error) {
        if (!saysTryNext(error)) throw error;
        errors[i] = error;
      }
    }
    const reasons = links.map((link, i) => `[${linkName(link, i)}] ${describeError(errors[i])}`).join('; ');
    throw new ChainExhaustedError(`No link of the chain could provide credentials: ${reasons}`, errors);
  };

  // A call through the wrappers of a client built before the chain was marked (as the engine does with a
  // provider's: docs/ARCHITECTURE.md, "Inherited from the calling client").
  const calledBy = (config: object, props: Record<string, unknown>): void => {
    const probe = probeOf(props);
    if (probe !== undefined) {
      // unwrapClient's probe, answered as any lookup; the link it is passed on to records nothing.
      probe.reached(provider);
      return;
    }
    if (caller === undefined) {
      caller = config;
      markConfigBound(provider);
    }
    unwrapTried = unwrapAfterCall(config, provider, unwrapTried);
  };

  // The hot path: the preferred link's own promise with one handler, no async frame and no allocation
  // (a chain in front of a cached link costs about 2× the floor, not 2.6×; bench part 4).
  const provider = ((props?: Record<string, unknown>): Promise<T> => {
    const config = props?.callerClientConfig;
    if (typeof config === 'object' && config !== null) calledBy(config, props!);
    const i = preferred;
    let attempt: Promise<T>;
    try {
      attempt = links[i]!(props);
    } catch (error) {
      return rest(error, i, props); // a link that throws instead of rejecting
    }
    return attempt.then(undefined, (error: unknown) => rest(error, i, props));
  }) as ChainedProvider<T>;

  const close = (): void => {
    for (const link of links) (link as { close?: () => void }).close?.();
  };
  const describe = (): string => `ChainedProvider(${links.length} links)`;
  const bound = links.every((link) => (link as { configBound?: unknown }).configBound === true);
  Object.defineProperties(provider, {
    // An SDK client puts its own cache in front of a provider not marked memoized. A chain caches
    // nothing itself: it is as memoized as its links, all of them (an uncached link, the SDK's IMDS
    // provider say, would otherwise be called on every request). Writable: the SDK assigns it too.
    memoized: { value: links.every((link) => (link as { memoized?: unknown }).memoized === true), writable: true },
    // Links that take nothing from a caller (sources) make a chain that takes nothing either.
    configBound: { value: bound, writable: true },
    attributed: { value: bound, writable: true },
    close: { value: close },
    [Symbol.dispose]: { value: close },
    toString: { value: describe },
    toJSON: { value: () => ({ chain: links.length }) },
    [INSPECT]: { value: describe },
  });
  return provider;
}
