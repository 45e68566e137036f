import type { STSClient } from '@aws-sdk/client-sts';

/** One STSClient and the providers holding it. */
export interface SharedStsClient {
  readonly client: STSClient;
  /** Where it is registered; undefined for a client of its own (a configuration that cannot be described). */
  readonly key: string | undefined;
  /**
   * Destroy it when the last holder lets go: only when its request handler is the SDK's default, built
   * for it. A handler that came from outside (the user's `clientConfig`, the calling client) serves
   * others too, and `destroy()` would close their sockets.
   */
  readonly destroyOnRelease: boolean;
  holders: number;
}

// Process-wide, as the SDK's own default clients are: providers with one configuration share one
// client (docs/ARCHITECTURE.md, "Shared STS clients"). Entries leave when their last holder lets go.
const registry = new Map<string, SharedStsClient>();

/**
 * The client registered under `key`, one holder more; built by `build` when there is none (and
 * always, unregistered, when `key` is undefined).
 */
export function acquireStsClient(
  key: string | undefined,
  build: () => STSClient,
  destroyOnRelease: boolean,
): SharedStsClient {
  const found = key === undefined ? undefined : registry.get(key);
  if (found !== undefined) {
    found.holders++;
    return found;
  }
  const entry: SharedStsClient = { client: build(), key, destroyOnRelease, holders: 1 };
  if (key !== undefined) registry.set(key, entry);
  return entry;
}

/** One holder less; the last one unregisters the client and, when it is ours to close, destroys it. */
export function releaseStsClient(entry: SharedStsClient): void {
  if (entry.holders <= 0) return;
  entry.holders--;
  if (entry.holders > 0) return;
  if (entry.key !== undefined && registry.get(entry.key) === entry) registry.delete(entry.key);
  if (entry.destroyOnRelease) entry.client.destroy();
}
