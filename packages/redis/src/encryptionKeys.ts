import { createHmac, createSecretKey, hkdfSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { InvalidParameterError } from '@credchain/core';

/** 32 bytes of key: a Buffer or Uint8Array, or their standard base64 text (44 characters). */
export type EncryptionKeyInput = Uint8Array | string;

/** A key as the store uses it: subkeys derived from the user's bytes, which are not kept. */
export interface EncryptionKey {
  /** AES-256-GCM key of the entries. */
  readonly sealing: KeyObject;
  /** HMAC-SHA256 key of the Redis key names. */
  readonly naming: KeyObject;
  /** 8 bytes that tell keys apart in an entry's envelope; derived, so they reveal nothing of the key. */
  readonly id: Buffer;
}

/** The keys of one store call: the current one writes, names and locks; all of them read. */
export interface KeyRing {
  readonly current: EncryptionKey;
  readonly previous: readonly EncryptionKey[];
}

export const KEY_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

// One input key, three independent subkeys (RFC 5869 HKDF, SHA-256): no subkey tells anything of another.
function derive(bytes: Buffer, purpose: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), `credchain redis v1 ${purpose}`, length));
}

/** Checks and derives one key; `parameter` names it in the error (`encryptionKey`, `previousKeys[1]`). */
export function toEncryptionKey(input: unknown, parameter: string): EncryptionKey {
  let bytes: Buffer;
  if (typeof input === 'string') {
    if (!BASE64.test(input)) {
      throw new InvalidParameterError(parameter, `must be ${KEY_BYTES} bytes, or their base64 text (44 characters)`);
    }
    bytes = Buffer.from(input, 'base64');
  } else if (input instanceof Uint8Array) {
    if (input.byteLength !== KEY_BYTES) {
      throw new InvalidParameterError(parameter, `must be ${KEY_BYTES} bytes (AES-256), not ${input.byteLength}`);
    }
    bytes = Buffer.from(input); // a copy: a later change to the caller's buffer reaches nothing here
  } else {
    throw new InvalidParameterError(parameter, `must be ${KEY_BYTES} bytes (a Uint8Array) or their base64 text`);
  }
  try {
    return {
      sealing: createSecretKey(derive(bytes, 'entries', KEY_BYTES)),
      naming: createSecretKey(derive(bytes, 'key names', KEY_BYTES)),
      id: derive(bytes, 'key id', 8),
    };
  } finally {
    bytes.fill(0);
  }
}

type Source<T> = T | (() => T | Promise<T>);

/** Where a store's keys come from: fixed at creation, or asked for on every store call. */
export type KeyRingSource = () => Promise<KeyRing>;

function checkList(list: unknown, parameter: string): EncryptionKey[] {
  if (!Array.isArray(list)) throw new InvalidParameterError(parameter, 'must be an array of keys');
  return list.map((key, i) => toEncryptionKey(key, `${parameter}[${i}]`));
}

/**
 * Checks the key options. Keys given as values are checked and derived now, so that a bad key fails at
 * creation; a function is called on every store call (cache in it if its source is slow) and its
 * answer checked then.
 */
export function keyRingSource(
  encryptionKey: Source<EncryptionKeyInput>,
  previousKeys: Source<readonly EncryptionKeyInput[]> | undefined,
): KeyRingSource {
  const current =
    typeof encryptionKey === 'function'
      ? async () => toEncryptionKey(await encryptionKey(), 'encryptionKey')
      : (
          (fixed) => async () =>
            fixed
        )(toEncryptionKey(encryptionKey, 'encryptionKey'));
  const previous =
    previousKeys === undefined
      ? async () => []
      : typeof previousKeys === 'function'
        ? async () => checkList(await previousKeys(), 'previousKeys')
        : (
            (fixed) => async () =>
              fixed
          )(checkList(previousKeys, 'previousKeys'));
  return async () => {
    const [currentKey, previousList] = await Promise.all([current(), previous()]);
    return { current: currentKey, previous: previousList };
  };
}

/** The Redis key name of an entry: a keyed hash of the engine's key text, so the text never leaves. */
export function entryName(prefix: string, key: EncryptionKey, cacheKey: string): string {
  return prefix + createHmac('sha256', key.naming).update(cacheKey, 'utf8').digest('hex');
}
