import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encodes and decodes DecodeAuthorizationMessage payloads. Real messages are opaque, encrypted by
 * AWS; these are AES-256-GCM under a key derived from `seed`, so only the server (and helpers
 * sharing its seed) can produce a message it will decode, and tampering is detected.
 */
export class AuthorizationMessageCodec {
  readonly #key: Buffer;

  constructor(seed: string) {
    this.#key = createHash('sha256').update(`sts-local authorization message/${seed}`).digest();
  }

  /** An encoded message carrying `decoded` (JSON-stringified when not a string). */
  encode(decoded: string | object): string {
    const text = typeof decoded === 'string' ? decoded : JSON.stringify(decoded);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The decoded message, or undefined when `encoded` is not one of ours. */
  decode(encoded: string): string | undefined {
    try {
      const raw = Buffer.from(encoded, 'base64url');
      if (raw.length < 29) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** The seed every sts-local uses unless told otherwise, so the exported helper works with any server. */
export const DEFAULT_AUTHORIZATION_MESSAGE_SEED = 'credchain-sts-local';

/** Encodes a message any sts-local started with the default seed can decode. */
export function encodeAuthorizationMessage(decoded: string | object): string {
  return new AuthorizationMessageCodec(DEFAULT_AUTHORIZATION_MESSAGE_SEED).encode(decoded);
}
