import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, DEMO_OIDC_ISSUER, demoOidcSigningMaterial, mintWebIdentityToken } from '@credchain/sts-local';
import type { MintWebIdentityTokenOptions, StsLocal } from '@credchain/sts-local';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

// The demo OIDC provider of sts-local's demo config, as this package's suites use it.

export const ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/web-identity-role`;
/** A role of the demo config whose trust policy names no OIDC provider. */
export const UNTRUSTING_ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`;
export const sessionArn = (session: string): string => `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/web-identity-role/${session}`;

/** A token of the demo issuer for the audience sts.amazonaws.com, issued now (the fake clock's now, under fake timers). */
export function mintToken(overrides: Partial<MintWebIdentityTokenOptions> = {}): Promise<string> {
  return mintWebIdentityToken({
    issuer: DEMO_OIDC_ISSUER,
    subject: 'system:serviceaccount:default:app',
    audience: 'sts.amazonaws.com',
    privateJwk: demoOidcSigningMaterial.privateJwk,
    kid: demoOidcSigningMaterial.kid,
    now: Date.now(),
    ...overrides,
  });
}

/** Signed by a key that is not the issuer's, under the issuer's key ID. */
export function mintWithForeignKey(): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return mintToken({ privateJwk: { ...privateKey.export({ format: 'jwk' }), alg: 'RS256' } });
}

/** The token with its payload replaced (the signature no longer matches). */
export function withPayload(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const changed = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), ...claims };
  return [header, Buffer.from(JSON.stringify(changed)).toString('base64url'), signature].join('.');
}

/** The parts of a token that must never be shown: the whole, its payload and its signature. */
export function secretsOf(token: string): string[] {
  const [, payload, signature] = token.split('.');
  return [token, payload!.slice(0, 40), signature!.slice(0, 40)];
}

/** Every way a user could print a value: none of them may show a secret. */
export function expectNoSecret(value: unknown, secrets: readonly string[]): void {
  const shown = [
    value instanceof Error ? `${value.message}\n${String(value.stack)}` : '',
    inspect(value, { depth: 10, showHidden: true }),
    JSON.stringify(value) ?? '',
  ].join('\n');
  for (const secret of secrets) expect(shown).not.toContain(secret);
}

export function localConfig(sts: StsLocal): { endpoint: string; region: string } {
  return { endpoint: sts.endpoint, region: 'us-east-1' };
}

/** GetCallerIdentity signed with `credentials` by a client of its own: sts-local checks the signature. */
export async function callerArn(sts: StsLocal, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): Promise<string | undefined> {
  const client = new STSClient({ ...localConfig(sts), credentials });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

/** Lets real I/O run while jest's fake timers stand still. */
export const FAKE_TIMERS: Parameters<typeof jest.useFakeTimers>[0] = { doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] };

/** Resolves once `condition` holds, letting real I/O run in between (no timers, no sleeping). */
export async function until(condition: () => boolean, turns = 1_000_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}
