import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';

/** The name of the middleware in an STS client's stack. */
export const SERVER_TIME_MIDDLEWARE = 'credchainServerTimeMiddleware';

/** An HTTP date names a whole second: the server's time was somewhere within it. */
const DATE_RESOLUTION_MS = 1_000;

/**
 * What one STS answer tells of the server's clock: its offset from the local one (server time −
 * `Date.now()`, in ms) lies between `minMs` and `maxMs`. The width is the exchange's round trip plus
 * the `Date` header's one-second resolution: how far one answer can be trusted (docs/ARCHITECTURE.md,
 * engine rule 9).
 */
export interface ServerTimeObservation {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * The observation an answer dated `date` (an HTTP date) makes, sent at `sentAt` and received at
 * `receivedAt` (local epoch ms): the server dated it between the two, in the second the header names.
 * Undefined for a missing or unparsable date.
 */
export function observeServerTime(
  sentAt: number,
  receivedAt: number,
  date: string | undefined,
): ServerTimeObservation | undefined {
  if (date === undefined || receivedAt < sentAt) return undefined;
  const server = Date.parse(date);
  if (!Number.isFinite(server)) return undefined;
  return { minMs: server - receivedAt, maxMs: server + DATE_RESOLUTION_MS - sentAt };
}

// STS answers (their `Credentials` element) and the credentials made from them, each to what its answer
// said of the server's clock. Weak: an entry goes with its object. Keyed by object so that no provider
// package has to carry the observation: toTemporaryCredentials moves it, the engine reads it.
const observations = new WeakMap<object, ServerTimeObservation>();

/** Notes what the answer behind `target` (an STS `Credentials` element, credentials) said of the server's clock. */
export function recordServerTime(target: object, observation: ServerTimeObservation): void {
  observations.set(target, observation);
}

/** What the answer behind `target` said of the server's clock, if it was seen. */
export function serverTimeOf(target: unknown): ServerTimeObservation | undefined {
  return typeof target === 'object' && target !== null ? observations.get(target) : undefined;
}

function header(response: unknown, name: string): string | undefined {
  const headers: unknown = (response as { headers?: unknown } | undefined)?.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const named = headers as Record<string, string | undefined>;
  return named[name] ?? named[name[0]!.toUpperCase() + name.slice(1)];
}

// Inside the SDK's retries and signing (finalizeRequest, low priority), so each attempt is timed on its
// own, around nothing but the exchange and its parsing. `Date.now()`, not an injected clock: the local
// clock is the one the SDK signs with and the process runs on; an engine with a clock of its own converts.
const serverTimeMiddleware: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
  const sentAt = Date.now();
  const result = await next(args);
  const receivedAt = Date.now();
  const credentials = (result.output as { Credentials?: unknown } | undefined)?.Credentials;
  // An answer a cache kept (it has an `Age`) says when the cache got it, not what time it is (the SDK's
  // own skew correction skips these too).
  if (typeof credentials === 'object' && credentials !== null && header(result.response, 'age') === undefined) {
    const observation = observeServerTime(sentAt, receivedAt, header(result.response, 'date'));
    if (observation !== undefined) observations.set(credentials, observation);
  }
  return result;
};

// Clients that have the middleware: installing it again is a no-op.
const installed = new WeakSet<object>();

/**
 * Installs, on an STS client, the middleware that notes what each answer carrying credentials says of
 * STS's clock (its `Date` header against the local send and receive times), so that the engine caching
 * those credentials decides their windows and expiry on STS's time line (engine rule 9). Idempotent.
 */
export function installServerTimeMiddleware(client: {
  readonly middlewareStack: Pick<MiddlewareStack<object, object>, 'add'>;
}): void {
  if (installed.has(client)) return;
  installed.add(client);
  client.middlewareStack.add(serverTimeMiddleware, {
    step: 'finalizeRequest',
    priority: 'low',
    name: SERVER_TIME_MIDDLEWARE,
    tags: ['CREDCHAIN'],
    override: true,
  });
}
