import { createHash, randomBytes } from 'node:crypto';
import { base32Decode, base32Encode } from '../mfa/totp';

const ACCOUNT_MASK = 0x7fffffffff80n;

/**
 * Builds a 20-character key or unique ID (`AKIA…`, `ASIA…`, `AIDA…`, `AROA…`) that encodes the
 * account the way AWS's do (bits 1–40 of the base32 body after the prefix), so
 * GetAccessKeyInfo can answer for any key, like STS does, without a lookup.
 */
export function makeAccessKeyId(prefix: string, account: string, entropy: Buffer = randomBytes(10)): string {
  const body = Buffer.from(entropy.subarray(0, 10));
  const head = (BigInt(account) << 7n) | BigInt((body[5] ?? 0) & 0x7f);
  for (let i = 5; i >= 0; i--) body[5 - i] = Number((head >> BigInt(i * 8)) & 0xffn);
  return `${prefix}${base32Encode(body)}`;
}

/** The account encoded in a key ID, or undefined when the ID is not in AWS's format. */
export function accountFromAccessKeyId(accessKeyId: string): string | undefined {
  if (!/^[A-Z]{4}[A-Z2-7]{16}$/.test(accessKeyId)) return undefined;
  const bytes = base32Decode(accessKeyId.slice(4));
  let head = 0n;
  for (let i = 0; i < 6; i++) head = (head << 8n) | BigInt(bytes[i] ?? 0);
  return ((head & ACCOUNT_MASK) >> 7n).toString().padStart(12, '0');
}

/** A stable ID for a configured principal, so restarts give the same AIDA…/AROA… values. */
export function stableId(prefix: string, account: string, name: string): string {
  return makeAccessKeyId(prefix, account, createHash('sha256').update(`${account}/${name}`).digest());
}
