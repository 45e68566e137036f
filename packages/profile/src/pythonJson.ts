// botocore names cache files after Python's `json.dumps(args, sort_keys=True)`. To land on the same
// file, this reproduces that text exactly: default separators (', ' and ': '), ensure_ascii
// (non-ASCII as \uXXXX, astral characters as surrogate pairs), keys sorted by code point, ints as
// written and floats as Python's repr. JSON.parse would lose the int/float distinction (1 vs 1.0),
// so a policy is read with the small parser below, which keeps it.

/** A JSON value as Python's json.loads sees it: numbers keep whether they were ints. */
export type PyValue = string | boolean | null | PyNumber | PyValue[] | { [key: string]: PyValue };

/** A JSON number and the lexeme it came from. */
export class PyNumber {
  constructor(
    readonly text: string,
    readonly isInt: boolean,
  ) {}
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function dumpString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Python's repr of a float, from the shortest round-trip digits JavaScript also computes. */
function floatRepr(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(value, -0)) return '-0.0';
  if (value === 0) return '0.0';
  const [mantissa, exp] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  const sign = value < 0 ? '-' : '';
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const intPart = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const frac = digits.slice(e + 1);
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
}

function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** `json.dumps(value, sort_keys=True)` with Python's defaults. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return dumpString(value);
  if (value instanceof PyNumber) return value.isInt ? BigInt(value.text).toString() : floatRepr(Number(value.text));
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([k, v]) => `${dumpString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  throw new TypeError(`cannot serialise a ${typeof value} as JSON`);
}

/** `json.loads` for standard JSON, keeping each number's int-ness. Throws SyntaxError on bad input. */
export function pythonJsonLoads(text: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): PyValue => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: { [key: string]: PyValue } = {};
      ws();
      if (text[i] === '}') return (i++, obj);
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const key = JSON.parse(stringLexeme()) as string;
        ws();
        if (text[i++] !== ':') fail("expected ':'");
        obj[key] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return (i++, obj);
        else fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      const arr: PyValue[] = [];
      ws();
      if (text[i] === ']') return (i++, arr);
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return (i++, arr);
        else fail("expected ',' or ']'");
      }
    }
    if (ch === '"') return JSON.parse(stringLexeme()) as string;
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) return ((i += word.length), v);
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (m === null) return fail('unexpected character');
    i += m[0].length;
    return new PyNumber(m[0], m[1] === undefined && m[2] === undefined);
  };
  const stringLexeme = (): string => {
    const m = /^"(?:[^"\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(i));
    if (m === null || hasControlCharacter(m[0])) return fail('bad string');
    i += m[0].length;
    return m[0];
  };
  const result = value();
  ws();
  if (i !== text.length) fail('unexpected trailing data');
  return result;
}

/** Whether `text` holds a raw control character (U+0000–U+001F), which JSON forbids inside a string. */
function hasControlCharacter(text: string): boolean {
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) < 0x20) return true;
  return false;
}
