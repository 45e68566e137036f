import { generateKeyPairSync } from 'node:crypto';

import { DEMO_ACCOUNT, demoSamlSigningMaterial, mintSamlResponse } from '@credchain/sts-local';
import type { MintSamlResponseOptions } from '@credchain/sts-local';

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
  const signatures = [...xml.matchAll(/<ds:SignatureValue>([^<]+)<\/ds:SignatureValue>/g)].map((m) =>
    m[1]!.slice(0, 40),
  );
  if (signatures.length === 0) throw new Error('the minted response is unsigned');
  return [assertion, assertion.slice(0, 60), assertion.slice(-60), ...signatures];
}
