/**
 * Hands a provider back, unwrapped, to an SDK client built before the provider's first call (issue 12, "one
 * cache, ours"; docs/ARCHITECTURE.md, "Inherited from the calling client").
 *
 * A client reads the provider's `configBound` marker once, when it is built. Until its first call the
 * provider wants the calling client's configuration, so the client wraps it in two functions of the SDK's
 * (one adds `callerClientConfig` to the options, one is a pass-through), and every lookup pays them for as
 * long as the client lives: 3 to 4 times the lookup itself. Once the provider has recorded its first caller
 * they only cost, so it puts itself back as that client's `credentials`, through the client's own setter
 * (what `client.config.credentials = provider` does), which now finds it marked and wraps nothing.
 *
 * Only when nothing of anyone else's stands between the client and the provider: a wrapper of the user's
 * around it must keep being called. To tell, once that first call has returned, the provider calls the
 * client's `credentials` once with a probe: an option whose getter records the stack when the SDK copies
 * the options to add its `callerClientConfig`. The provider answers the probe as any lookup (whatever
 * caches the answer on the way caches credentials) and records the stack it was called from. It is handed
 * itself as the client's credentials only when the function that copied the options is the one that
 * called it: same function, same depth on the same stack. Anything between (a wrapper of the user's, the
 * SDK's cache around an unmarked wrapper, a Proxy's trap) adds a frame or stops the call, and the client
 * stays as it was built. Any surprise (no setter, a stack that cannot be read, a client that wraps it
 * again) also leaves it as it was.
 */

const PROBE = Symbol('credchain.unwrapProbe');

/** Where a call stack stands: its depth and the function of its top frame (file and where it starts). */
interface StackPoint {
  readonly depth: number;
  readonly caller: string;
}

/**
 * The stack below the topmost call of `above` (that call and what it called left out): how deep it is and
 * which function is on top. Undefined when the stack cannot be read as call sites.
 */
function stackBelow(above: (...args: never[]) => unknown): StackPoint | undefined {
  // Borrowed for one reading and put back as they were: whatever the process set (source-map-support's
  // prepareStackTrace, a stackTraceLimit) stays.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only put back, never called here
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = Number.POSITIVE_INFINITY;
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, above);
    // Read while the prepareStackTrace above is in place: V8 prepares the stack when it is first read.
    const sites = holder.stack;
    if (!Array.isArray(sites) || sites.length === 0) return undefined;
    const top = sites[0] as NodeJS.CallSite;
    const line = top.getEnclosingLineNumber();
    const column = top.getEnclosingColumnNumber();
    if (typeof line !== 'number' || typeof column !== 'number') return undefined;
    return { depth: sites.length, caller: `${String(top.getFileName())}:${line}:${column}` };
  } catch {
    // A locked-down Error (frozen intrinsics) or an odd stack: no reading, no unwrapping.
    return undefined;
  } finally {
    try {
      Error.prepareStackTrace = prepare;
      Error.stackTraceLimit = limit;
    } catch {
      // Nothing was changed if the assignments above threw.
    }
  }
}

/** One probe's two readings: where the options were copied, and where the provider was called from. */
class Probe {
  copiedAt: StackPoint | undefined;
  calledAt: StackPoint | undefined;
  constructor(readonly provider: (...args: never[]) => unknown) {}

  /**
   * A provider was called with the probe: when it is the one probed, records from where (the call is
   * answered as any lookup, and may pass the probe on to providers of its own, which record nothing).
   */
  reached(by: (...args: never[]) => unknown): void {
    if (by === this.provider && this.calledAt === undefined) this.calledAt = stackBelow(by);
  }

  /** The function that copied the options is the one that called the provider. */
  direct(): boolean {
    const { copiedAt, calledAt } = this;
    return (
      copiedAt !== undefined &&
      calledAt !== undefined &&
      copiedAt.depth === calledAt.depth &&
      copiedAt.caller === calledAt.caller
    );
  }
}

/** The probe a call's options carry, if this call is one (the options' copy holds it as a plain value). */
export function probeOf(props: object): Probe | undefined {
  const probe = (props as { [PROBE]?: unknown })[PROBE];
  return probe instanceof Probe ? probe : undefined;
}

function ignore(): void {
  // The probe's answer: credentials nobody reads here, or the error the lookup's own caller gets too.
}

/**
 * When `config` is an SDK client's resolved configuration whose `credentials` wrap `provider` with nothing
 * but the SDK's own functions between, sets `provider` as its `credentials` (the provider must already be
 * marked `configBound` and `attributed`, so the client's setter takes it as it is). True when it did.
 */
export function unwrapClient(config: object, provider: (...args: never[]) => unknown): boolean {
  try {
    return unwrap(config, provider);
  } catch {
    // A setter or getter that throws: the client stays as it was built.
    return false;
  }
}

function unwrap(config: object, provider: (...args: never[]) => unknown): boolean {
  // The SDK's resolved configuration defines `credentials` as an accessor: its setter wraps what it is given.
  const descriptor = Object.getOwnPropertyDescriptor(config, 'credentials');
  if (descriptor?.get === undefined || descriptor.set === undefined) return false;
  const held: unknown = Reflect.get(config, 'credentials');
  if (held === provider || typeof held !== 'function') return false;

  const probe = new Probe(provider);
  const options = {};
  const copied = function copied(): Probe {
    probe.copiedAt = stackBelow(copied);
    return probe;
  };
  Object.defineProperty(options, PROBE, { get: copied, enumerable: true });
  try {
    const answer: unknown = (held as (options: object) => unknown)(options);
    if (answer instanceof Promise) answer.then(ignore, ignore);
  } catch {
    return false;
  }
  if (!probe.direct()) return false;

  Reflect.set(config, 'credentials', provider);
  if (Reflect.get(config, 'credentials') === provider) return true;
  // The client wrapped it again (an SDK that reads the markers differently): as it was.
  Reflect.set(config, 'credentials', held);
  return false;
}

/**
 * The SDK's markers, read when a client is built (@aws-sdk/core's resolveAwsSdkSigV4Config): a provider not
 * `configBound` is wrapped in a function passing the client's configuration, and a bound one not `attributed`
 * in a pass-through (for a function). Set once nothing can come from a caller any more: clients built from
 * then on call the provider directly, and one built before can be handed it back (unwrapClient).
 */
export function markConfigBound(provider: object): void {
  const marks = provider as { configBound: boolean; attributed: boolean };
  marks.configBound = true;
  marks.attributed = true;
}

/**
 * After a call of `provider` through the wrappers of the client whose configuration is `config`: once per
 * client (`tried`, created on first use and returned to be kept), hands the provider back to it once this
 * call has returned. Then the probe finds every cache on the way (the client's own, or a wrapper's) holding
 * this call's answer, not one still being filled. The provider must be marked by then.
 */
export function unwrapAfterCall(
  config: object,
  provider: (...args: never[]) => unknown,
  tried: WeakSet<object> | undefined,
): WeakSet<object> {
  const seen = tried ?? new WeakSet();
  if (!seen.has(config)) {
    seen.add(config);
    void Promise.resolve().then(() => unwrapClient(config, provider));
  }
  return seen;
}
