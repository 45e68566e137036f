/** What an injected fault does to a matching request. */
export type FaultKind =
  /** Answer `Throttling` (400, "Rate exceeded"), as STS does past its request quota. */
  | 'throttle'
  /** Answer `InternalFailure` (500). */
  | 'server-error'
  /** Answer `ServiceUnavailable` (503). */
  | 'unavailable'
  /** Close the connection without answering. */
  | 'drop'
  /** Delay the answer by `latencyMs`, then serve the request normally (or apply the next fault). */
  | 'latency'
  /** Answer 200 with an HTML page ({@link GARBAGE_BODY}), as a captive portal or a misrouted proxy would. */
  | 'garbage';

/** What a `garbage` fault answers, on every endpoint: neither XML of STS's shape nor JSON. */
export const GARBAGE_BODY =
  '<!DOCTYPE html>\n<html><head><title>Network login</title></head>' +
  '<body><h1>Sign in to continue</h1><p>sts-local garbage fault</p></body></html>\n';

/**
 * Whether a rule's `operation` matches a request's: `*` is every STS Action, `imds:*` (any `name:*`) every request
 * of that endpoint, anything else that exact operation. Endpoint operations (`imds:credentials`) hold a colon, which
 * no STS Action does, so rules written for STS never fire on the IMDS or container endpoints.
 */
function matchesOperation(pattern: string, operation: string): boolean {
  if (pattern === '*') return !operation.includes(':');
  if (pattern.endsWith(':*')) return operation.startsWith(pattern.slice(0, -1));
  return pattern === operation;
}

/** One fault rule. Rules are checked in order for every request. */
export interface FaultRule {
  readonly kind: FaultKind;
  /**
   * The STS Action it applies to, or `*` (every STS Action); an endpoint operation (`imds:token`,
   * `imds:role-name`, `imds:credentials`, `imds:metadata`, `container:credentials`), or `imds:*` / `container:*`.
   * @default '*'
   */
  readonly operation?: string;
  /** Let this many matching requests through untouched first. @default 0 */
  readonly after?: number;
  /** Fire for this many matching requests, then retire. @default Infinity when `rate` is set, else 1 */
  readonly count?: number;
  /** Fire with this probability (0–1) per matching request, drawn from the seeded generator. */
  readonly rate?: number;
  /** For `latency`: the delay in ms (real time; the injected clock does not move). @default 1000 */
  readonly latencyMs?: number;
}

/** The decision for one request: delay, then at most one terminal fault. */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly terminal: Exclude<FaultKind, 'latency'> | undefined;
  /** Every fault that fired, for the call log. */
  readonly fired: string[];
}

/** mulberry32: a tiny seeded generator, so a faulty run can be replayed exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface LiveRule {
  readonly rule: FaultRule;
  skipLeft: number;
  firesLeft: number;
}

/** Checks a rule's options up front, naming the one that is wrong. */
function checkRule(rule: FaultRule): void {
  const kinds: FaultKind[] = ['throttle', 'server-error', 'unavailable', 'drop', 'latency', 'garbage'];
  if (!kinds.includes(rule.kind)) throw new TypeError(`faults: kind must be one of ${kinds.join(', ')}`);
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1))
    throw new TypeError('faults: rate must be between 0 and 1');
  if (rule.count !== undefined && !(rule.count >= 0)) throw new TypeError('faults: count must be >= 0');
  if (rule.after !== undefined && !(rule.after >= 0)) throw new TypeError('faults: after must be >= 0');
  if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0)) throw new TypeError('faults: latencyMs must be >= 0');
}

/** The fault rules of one server, consumed as requests match them. */
export class FaultInjector {
  #rules: LiveRule[] = [];
  readonly #random: () => number;

  constructor(rules: readonly FaultRule[] = [], seed = 1) {
    this.#random = seededRandom(seed);
    for (const rule of rules) this.add(rule);
  }

  add(rule: FaultRule): void {
    checkRule(rule);
    this.#rules.push({
      rule,
      skipLeft: rule.after ?? 0,
      firesLeft: rule.count ?? (rule.rate !== undefined ? Number.POSITIVE_INFINITY : 1),
    });
  }

  clear(): void {
    this.#rules = [];
  }

  /** Decides what happens to a request for `operation`, consuming counts. */
  decide(operation: string): FaultDecision {
    let latencyMs = 0;
    const fired: string[] = [];
    for (const live of this.#rules) {
      const { rule } = live;
      if (!matchesOperation(rule.operation ?? '*', operation)) continue;
      if (live.firesLeft <= 0) continue;
      if (live.skipLeft > 0) {
        live.skipLeft--;
        continue;
      }
      if (rule.rate !== undefined && this.#random() >= rule.rate) continue;
      live.firesLeft--;
      fired.push(rule.kind);
      if (rule.kind === 'latency') {
        latencyMs += rule.latencyMs ?? 1000;
        continue;
      }
      return { latencyMs, terminal: rule.kind, fired };
    }
    return { latencyMs, terminal: undefined, fired };
  }
}
