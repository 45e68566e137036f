import { createHmac, randomBytes } from 'node:crypto';

// Which providers may share one STSClient: those whose effective client configuration is the same,
// described here as a string. Plain data compares by value, anything else (a request handler, a
// logger, a function, an agent) by identity, through a number given to each object the first time
// it is seen. Nothing secret goes into a description: static credentials are described by their
// access key id and a keyed hash of the rest, under a key drawn once per process.

const ids = new WeakMap<object, number>();
let nextId = 0;

function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
  }
  return id;
}

let hashKey: Buffer | undefined;

/** A keyed hash of a secret: equal secrets meet, the secret itself is not in it (nor guessable from it). */
function secretDigest(secret: string): string {
  hashKey ??= randomBytes(32);
  return createHmac('sha256', hashKey).update(secret).digest('base64url');
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A description of `value` equal for equal plain data and for the same objects; undefined when it
 * cannot be described (a symbol, a structure that contains itself): such a config gets a client of
 * its own.
 */
export function describeValue(value: unknown, open: Set<object> = new Set()): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return `#${idOf(value)}`;
    case 'symbol':
      return undefined;
    case 'object':
      break;
  }
  if (value === null) return 'null';
  if (value instanceof URL) return `url:${JSON.stringify(value.href)}`;
  if (!Array.isArray(value) && !isPlainObject(value)) return `#${idOf(value)}`;
  if (open.has(value)) return undefined;
  open.add(value);
  try {
    const parts: string[] = [];
    const entries = Array.isArray(value)
      ? value.map((item, i) => [String(i), item] as const)
      : Object.keys(value)
          .sort()
          .map((key) => [key, (value as Record<string, unknown>)[key]] as const);
    for (const [key, item] of entries) {
      if (item === undefined && !Array.isArray(value)) continue;
      const described = describeValue(item, open);
      if (described === undefined) return undefined;
      parts.push(`${JSON.stringify(key)}:${described}`);
    }
    return Array.isArray(value) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
  } finally {
    open.delete(value);
  }
}

/**
 * What signs a client's calls, described: the default chain, a provider (by identity) or static
 * credentials (by access key id and a keyed hash of the secret key and session token).
 */
export function describeCredentials(credentials: unknown): string {
  if (credentials === undefined) return 'default';
  if (typeof credentials === 'function') return `#${idOf(credentials)}`;
  if (typeof credentials !== 'object' || credentials === null) return `#invalid`;
  const c = credentials as { accessKeyId?: unknown; secretAccessKey?: unknown; sessionToken?: unknown };
  if (typeof c.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string') return `#${idOf(credentials)}`;
  const token = typeof c.sessionToken === 'string' ? c.sessionToken : '';
  return `static:${c.accessKeyId}:${secretDigest(`${c.secretAccessKey}\0${token}`)}`;
}
