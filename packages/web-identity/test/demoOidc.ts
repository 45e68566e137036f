import { generateKeyPairSync } from 'node:crypto';

import { DEMO_ACCOUNT } from '@credchain/sts-local';
import { mintDemoToken } from '@credchain/testkit/sts-local';
import type { MintWebIdentityTokenOptions } from '@credchain/sts-local';

// The demo OIDC provider of sts-local's demo config, as this package's suites use it.

export const ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/web-identity-role`;
/** A role of the demo config whose trust policy names no OIDC provider. */
export const UNTRUSTING_ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`;
export const sessionArn = (session: string): string =>
  `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/web-identity-role/${session}`;

/** A token of the demo issuer for the audience sts.amazonaws.com, issued now (the fake clock's, under fake timers). */
export function mintToken(overrides: Partial<MintWebIdentityTokenOptions> = {}): Promise<string> {
  return mintDemoToken(overrides);
}

/** Signed by a key that is not the issuer's, under the issuer's key ID. */
export function mintWithForeignKey(): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return mintToken({ privateJwk: { ...privateKey.export({ format: 'jwk' }), alg: 'RS256' } });
}

/** The token with its payload replaced (the signature no longer matches). */
export function withPayload(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const changed = { ...decoded, ...claims };
  return [header, Buffer.from(JSON.stringify(changed)).toString('base64url'), signature].join('.');
}

/** The parts of a token that must never be shown: the whole, its payload and its signature. */
export function secretsOf(token: string): string[] {
  const [, payload, signature] = token.split('.');
  return [token, payload!.slice(0, 40), signature!.slice(0, 40)];
}
