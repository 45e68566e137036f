import type { STSClientConfig } from '@aws-sdk/client-sts';
import { canonicalKey } from '@credchain/core/provider-kit';
import type { CredentialProvider } from '@credchain/core';
import { fromSessionToken } from '@credchain/session-token';
import type { FromSessionTokenInit } from '@credchain/session-token';

interface Shared {
  readonly provider: CredentialProvider;
  refs: number;
}

// Process-wide, so that separate fromProfile calls for roles behind one MFA device share one
// GetSessionToken session (one prompt) — the point of `mfaSession`.
const sessions = new Map<string, Shared>();
const ids = new WeakMap<object, number>();
let nextId = 0;

function idOf(value: unknown): unknown {
  switch (typeof value) {
    case 'undefined':
    case 'string':
      return value;
    case 'object':
    case 'function': {
      let id = ids.get(value as object);
      if (id === undefined) ids.set(value as object, (id = ++nextId));
      return `#${id}`;
    }
    default:
      return String(value);
  }
}

/**
 * The GetSessionToken-with-MFA session for a device and the long-term key that opens it, shared
 * while anyone holds it. `release` drops this holder's share; the last one closes the session.
 */
export function acquireMfaSession(
  init: FromSessionTokenInit & {
    readonly params: { readonly SerialNumber: string };
    readonly sourceCredentials: { readonly accessKeyId: string };
  },
  clientConfig: STSClientConfig,
): { readonly provider: CredentialProvider; readonly release: () => void } {
  const key = canonicalKey({
    serial: init.params.SerialNumber,
    duration: init.params.DurationSeconds,
    accessKeyId: init.sourceCredentials.accessKeyId,
    region: idOf(clientConfig.region),
    endpoint: idOf(clientConfig.endpoint),
    handler: idOf(clientConfig.requestHandler),
  });
  let shared = sessions.get(key);
  if (shared === undefined) {
    shared = { provider: fromSessionToken(init), refs: 0 };
    sessions.set(key, shared);
  }
  shared.refs++;
  const held = shared;
  let released = false;
  return {
    provider: held.provider,
    release: () => {
      if (released) return;
      released = true;
      if (--held.refs === 0 && sessions.get(key) === held) {
        sessions.delete(key);
        held.provider.close();
      }
    },
  };
}
