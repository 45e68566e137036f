import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { CredentialOrigin, TemporaryCredentials } from '@credchain/core';

import type { EncryptionKey, KeyRing } from './encryptionKeys';

// An entry's value in Redis, base64 text of: version (1 byte) | key id (8) | IV (12) | GCM tag (16) | ciphertext.
// The additional authenticated data is the version and key id, then the entry's Redis key name: an entry
// copied to another name, or another prefix, fails authentication.
const VERSION = 1;
const ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + ID_BYTES;
const MIN_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES + 2;
const ORIGINS: readonly CredentialOrigin[] = ['role-session', 'user-session', 'federated', 'root-session'];

/** What is encrypted: the credentials, and the time after which no reader may serve them. */
interface Plaintext {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: string;
  readonly keepUntil: number;
  readonly origin?: CredentialOrigin;
  readonly accountId?: string;
  readonly credentialScope?: string;
}

const aad = (header: Buffer, name: string): Buffer => Buffer.concat([header, Buffer.from(name, 'utf8')]);

/** Encrypts `credentials` for the entry named `name`, under `key`. */
export function seal(credentials: TemporaryCredentials, keepUntil: number, name: string, key: EncryptionKey): string {
  const { accessKeyId, secretAccessKey, sessionToken, expiration, origin, accountId, credentialScope } = credentials;
  const plaintext: Plaintext = {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration: expiration.toISOString(),
    keepUntil,
    ...(origin === undefined ? {} : { origin }),
    ...(accountId === undefined ? {} : { accountId }),
    ...(credentialScope === undefined ? {} : { credentialScope }),
  };
  const header = Buffer.concat([Buffer.of(VERSION), key.id]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.sealing, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(header, name));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(plaintext), 'utf8'), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** An entry read back: the credentials, or why it was ignored (a sentence without secrets). */
export type Opened =
  | { readonly credentials: TemporaryCredentials }
  /** `expiredMs`: how long ago the entry's keepUntil passed, when that is the problem. */
  | { readonly problem: string; readonly expiredMs?: number };

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

function toCredentials(text: string, now: number): Opened {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'it authenticates but does not parse' };
  }
  const p = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<Record<keyof Plaintext, unknown>>;
  const expiration = typeof p.expiration === 'string' ? new Date(p.expiration) : undefined;
  if (
    !isString(p.accessKeyId) ||
    !isString(p.secretAccessKey) ||
    !isString(p.sessionToken) ||
    expiration === undefined ||
    Number.isNaN(expiration.getTime()) ||
    typeof p.keepUntil !== 'number' ||
    (p.origin !== undefined && !ORIGINS.includes(p.origin as CredentialOrigin)) ||
    (p.accountId !== undefined && !isString(p.accountId)) ||
    (p.credentialScope !== undefined && !isString(p.credentialScope))
  ) {
    return { problem: 'it authenticates but does not hold credentials' };
  }
  if (now >= p.keepUntil || now >= expiration.getTime()) {
    return {
      problem: `it has expired (kept until ${new Date(p.keepUntil).toISOString()})`,
      expiredMs: now - Math.min(p.keepUntil, expiration.getTime()),
    };
  }
  return {
    credentials: {
      accessKeyId: p.accessKeyId,
      secretAccessKey: p.secretAccessKey,
      sessionToken: p.sessionToken,
      expiration,
      ...(p.origin === undefined ? {} : { origin: p.origin as CredentialOrigin }),
      ...(p.accountId === undefined ? {} : { accountId: p.accountId }),
      ...(p.credentialScope === undefined ? {} : { credentialScope: p.credentialScope }),
    },
  };
}

/**
 * Decrypts and checks the entry `value` read under `name`, with whichever of `keys` its envelope names.
 * Anything but credentials that authenticate, parse and are still to be kept at `now` is a problem.
 */
export function open(value: string, name: string, keys: KeyRing, now: number): Opened {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < MIN_BYTES || bytes.toString('base64') !== value || bytes[0] !== VERSION) {
    return { problem: 'it is not an entry this store wrote (no version 1 envelope)' };
  }
  const header = bytes.subarray(0, HEADER_BYTES);
  const id = header.subarray(1);
  const key = [keys.current, ...keys.previous].find((candidate) => candidate.id.equals(id));
  if (key === undefined) {
    return { problem: 'it is encrypted under a key this store does not have (see previousKeys)' };
  }
  const iv = bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = bytes.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES);
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.sealing, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(header, name));
    decipher.setAuthTag(tag);
    text = Buffer.concat([
      decipher.update(bytes.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return { problem: 'it fails authentication (altered, or copied from another entry)' };
  }
  return toCredentials(text, now);
}
