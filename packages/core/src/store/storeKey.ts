import { createHash } from 'node:crypto';

import { InvalidParameterError } from '../errors';

/** What a store entry depends on: the operation, the caller's parameters, who asks. */
export interface StoreKeyParts {
  /** The STS operation (or source kind), e.g. `AssumeRole`. */
  readonly operation: string;
  /**
   * The parameters as the user gave them, before any default a process draws for itself (a generated
   * RoleSessionName differs per process and would keep processes from sharing). Parameters that change
   * per call without changing the result (TokenCode) are left out by the caller.
   */
  readonly params: object;
  /** Who signs the call, from `sourcePrincipal` (an ARN, or a fingerprint of unsigned input). */
  readonly principal: string;
}

// Canonical JSON: object keys sorted at every depth, undefined fields dropped, so two processes that
// pass the same parameters in another order or with explicit undefineds name the same entry.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) out[key] = canonical(field);
    }
    return out;
  }
  return value;
}

/**
 * The key text a store is asked for: versioned canonical JSON of operation, parameters and principal.
 * It can hold role parameters (an ExternalId, a policy): stores that write it outside the process name
 * entries by a keyed hash of it (docs/ARCHITECTURE.md, "Stores").
 */
export function storeKey(parts: StoreKeyParts): string {
  if (typeof parts.operation !== 'string' || parts.operation === '') {
    throw new InvalidParameterError('store key operation', 'must be a non-empty string');
  }
  return JSON.stringify({ v: 1, op: parts.operation, params: canonical(parts.params), by: parts.principal });
}

/**
 * A principal for input that is itself a secret (a web identity token, a SAML assertion): a SHA-256
 * fingerprint, so the key text never holds the secret.
 */
export function fingerprint(kind: string, secret: string): string {
  return `${kind}:sha256:${createHash('sha256').update(secret, 'utf8').digest('base64url')}`;
}

/**
 * The ARN two sessions of one role share: `arn:…:sts::123:assumed-role/Name/session` becomes
 * `arn:…:iam::123:role/Name`. Processes of a fleet each hold their own session of the same role (their
 * own instance, task or pod session); naming the role lets them share. Other ARNs stay as they are.
 */
export function principalOfArn(arn: string): string {
  const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return match === null ? arn : `arn:${match[1]}:iam::${match[2]}:role/${match[3]}`;
}

/**
 * The principal behind a web identity token: its issuer, subject and audience (read, not verified: STS
 * verifies the token itself), so the pods of one service account share entries across token rotations;
 * a token that is not a readable JWT is fingerprinted.
 */
export function webIdentityPrincipal(token: string): string {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    const { iss, sub, aud } = (payload ?? {}) as { iss?: unknown; sub?: unknown; aud?: unknown };
    if (typeof iss === 'string' && typeof sub === 'string') return JSON.stringify({ iss, sub, aud });
  } catch {
    // not a JWT: fingerprinted below
  }
  return fingerprint('web-identity', token);
}

/**
 * `read` called at most once per fetch: the store's key and the fetch ask for the same token or
 * assertion (a callback may be an IdP round trip) and get one answer. Keyed by the fetch's context,
 * which the engine passes to both.
 */
export function oncePerFetch<C extends object, T>(read: () => Promise<T>): (context: C) => Promise<T> {
  const answers = new WeakMap<C, Promise<T>>();
  return (context) => {
    let answer = answers.get(context);
    if (answer === undefined) {
      answer = read();
      answers.set(context, answer);
    }
    return answer;
  };
}
