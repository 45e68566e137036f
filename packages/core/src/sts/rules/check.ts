import { InvalidParameterError } from '../../errors';

/** A params object seen as untyped, because plain-JS callers can pass anything. */
export type Fields = Readonly<Record<string, unknown>>;

/** What a string parameter may hold, in the API reference's terms. */
export interface StringRule {
  /** Length bounds, in characters (code points), inclusive. */
  readonly min: number;
  readonly max: number;
  /** Tests one character; absent when the reference gives no pattern. */
  readonly char?: RegExp;
  /** The rule as the error states it, e.g. `must match [\w+=,.@-]{2,64}`. */
  readonly rule: string;
  /** A secret's value never reaches a message: only its length or a position does. */
  readonly secret?: boolean;
}

const EXCERPT_CHARS = 64;

/** `null` counts as absent, as the SDK's serializers treat it. */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** The kind of a value, for wrong-type messages (never the value itself). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'undefined' : `a ${t}`;
}

/** A quoted, escaped excerpt of a non-secret value, at most 64 characters. */
export function excerpt(value: string): string {
  const head = value.slice(0, EXCERPT_CHARS * 2);
  const points = Array.from(head);
  const cut = points.slice(0, EXCERPT_CHARS).join('');
  return JSON.stringify(cut) + (cut.length < value.length ? '…' : '');
}

/** A parameter name safe to print: keys come from the caller and may be anything. */
export function keyName(key: string): string {
  return /^[\w.-]{1,64}$/.test(key) ? key : excerpt(key);
}

function countChars(value: string): number {
  let n = 0;
  for (const _ of value) n += 1;
  return n;
}

/** Checks a string against a rule; the error names the parameter and never echoes a secret. */
export function checkString(name: string, value: unknown, rule: StringRule): string {
  if (typeof value !== 'string') {
    throw new InvalidParameterError(name, `must be a string (got ${kindOf(value)})`);
  }
  const length = countChars(value);
  if (length < rule.min || length > rule.max) {
    throw new InvalidParameterError(name, `${rule.rule} (got ${length} characters)`);
  }
  if (rule.char) {
    let position = 0;
    for (const ch of value) {
      if (!rule.char.test(ch)) {
        const got = rule.secret
          ? `character ${position + 1} is not allowed`
          : `${excerpt(value)}: ${JSON.stringify(ch)} is not allowed`;
        throw new InvalidParameterError(name, `${rule.rule} (got ${got})`);
      }
      position += 1;
    }
  }
  return value;
}

/** Checks an integer in an inclusive range. */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const got =
      typeof value === 'number'
        ? String(value)
        : typeof value === 'string'
          ? `a string ${excerpt(value)}`
          : kindOf(value);
    throw new InvalidParameterError(name, `must be an integer between ${min} and ${max} (got ${got})`);
  }
  return value;
}

/** Checks a plain object (not null, not an array). `shape` says what was expected. */
export function checkObject(name: string, value: unknown, shape: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidParameterError(name, `must be ${shape} (got ${kindOf(value)})`);
  }
  return value as Fields;
}

/** Checks an array and its count; `items` names what it holds, e.g. `ARNs`. */
export function checkArray(name: string, value: unknown, max: number, items: string): readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new InvalidParameterError(name, `must be an array of ${items} (got ${kindOf(value)})`);
  }
  if (value.length > max) {
    throw new InvalidParameterError(name, `must hold at most ${max} ${items} (got ${value.length})`);
  }
  return value;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The known key a typo most likely meant: same letters ignoring case and `_`/`-`, or ≤ 2 edits. */
export function suggest(key: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const exact = known.find((k) => squash(k) === squash(key));
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/**
 * Refuses keys outside `known`: a typo (`RoleARN`) would otherwise be dropped silently by the
 * SDK and surface later as a confusing "RoleArn is required" or an unexpected STS answer.
 */
export function checkKeys(prefix: string, fields: Fields, known: readonly string[], owner: string): void {
  for (const key of Object.keys(fields)) {
    if (known.includes(key)) continue;
    const hint = suggest(key, known);
    const tail = hint !== undefined ? `did you mean ${hint}?` : `expected one of ${known.join(', ')}`;
    throw new InvalidParameterError(`${prefix}${keyName(key)}`, `is not ${owner}; ${tail}`);
  }
}
