import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

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

  // After the preferred link failed with `first`: the others in their given order.
  const rest = async (first: unknown, from: number, props?: Record<string, unknown>): Promise<T> => {
    if (!saysTryNext(first)) throw first;
    const errors: unknown[] = new Array<unknown>(links.length);
    errors[from] = first;
    for (let step = 1; step < links.length; step++) {
      const i = step <= from ? step - 1 : step;
      try {
        const credentials = await links[i]!(props);
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

  // The hot path: the preferred link's own promise with one handler, no async frame and no allocation
  // (a chain in front of a cached link costs about 2× the floor, not 2.6×; bench part 4).
  const provider = ((props?: Record<string, unknown>): Promise<T> => {
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
  Object.defineProperties(provider, {
    // An SDK client puts its own cache in front of a provider not marked memoized. A chain caches
    // nothing itself: it is as memoized as its links, all of them (an uncached link, the SDK's IMDS
    // provider say, would otherwise be called on every request). Writable: the SDK assigns it too.
    memoized: { value: links.every((link) => (link as { memoized?: unknown }).memoized === true), writable: true },
    close: { value: close },
    [Symbol.dispose]: { value: close },
    toString: { value: describe },
    toJSON: { value: () => ({ chain: links.length }) },
    [INSPECT]: { value: describe },
  });
  return provider;
}
