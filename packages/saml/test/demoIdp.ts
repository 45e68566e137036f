import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, demoSamlSigningMaterial, mintSamlResponse } from '@credchain/sts-local';
import type { MintSamlResponseOptions, StsLocal } from '@credchain/sts-local';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

// The demo identity provider of sts-local's demo config, as this package's suites use it.

export const ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/saml-role`;
export const PRINCIPAL_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`;
/** A role of the demo config whose trust policy names no SAML provider. */
export const UNTRUSTING_ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`;
export const sessionArn = (session: string): string => `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/saml-role/${session}`;

/** A signed SAML response for saml-role, issued now (the fake clock's now, under fake timers). */
export function mint(overrides: Partial<MintSamlResponseOptions> = {}): string {
  return mintSamlResponse({
    issuer: 'https://idp.credchain.example/saml',
    ...demoSamlSigningMaterial,
    subject: 'alice',
    roles: [{ roleArn: ROLE_ARN, principalArn: PRINCIPAL_ARN }],
    roleSessionName: 'alice',
    now: Date.now(),
    ...overrides,
  });
}

/** Signed by a key that is not the provider's, with the provider's certificate in KeyInfo. */
export function mintWithForeignKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return mint({ privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
}

/** A response rewritten after signing: `from` replaced by `to` in its XML. */
export function rewrite(assertion: string, from: string, to: string): string {
  const xml = Buffer.from(assertion, 'base64').toString('utf8');
  if (!xml.includes(from)) throw new Error(`the minted response has no ${from}`);
  return Buffer.from(xml.replace(from, to), 'utf8').toString('base64');
}

/** The parts of a response that must never be shown: the base64 itself and its signature values. */
export function secretsOf(assertion: string): string[] {
  const xml = Buffer.from(assertion, 'base64').toString('utf8');
  const signatures = [...xml.matchAll(/<ds:SignatureValue>([^<]+)<\/ds:SignatureValue>/g)].map((m) => m[1]!.slice(0, 40));
  if (signatures.length === 0) throw new Error('the minted response is unsigned');
  return [assertion, assertion.slice(0, 60), assertion.slice(-60), ...signatures];
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
