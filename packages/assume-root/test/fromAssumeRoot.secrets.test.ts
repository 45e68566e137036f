import { inspect } from 'node:util';

import type { CredentialEvent, Logger } from '@credchain/core';
import { fromAssumeRoot } from '@credchain/assume-root';
import type { FromAssumeRootInit } from '@credchain/assume-root';
import type { StsLocal } from '@credchain/sts-local';

import { useStsLocal } from '@credchain/testkit/sts-local';

import { AUDIT_TASK, DEMO_MEMBER_ACCOUNT, MANAGEMENT_USER, MEMBER_USER, errorOf, regional } from './demoIdentities';

// Canary: the secrets a user holds (source secret keys), the ones the provider gets (the root
// session's secret key and token) and a wrong secret must not show in any way a user prints what
// the provider gives back: errors (message, stack, causes), util.inspect, JSON, logs and events.

const local = useStsLocal();
const params = { TargetPrincipal: DEMO_MEMBER_ACCOUNT, TaskPolicyArn: AUDIT_TASK };
const WRONG_SECRET = 'canaryWrongSecret/credchain/DO-NOT-PRINT';

function shown(value: unknown): string {
  return [
    value instanceof Error ? `${value.message}\n${value.stack}` : String(value),
    inspect(value, { depth: Infinity, showHidden: true }),
    JSON.stringify(value) ?? '',
  ].join('\n');
}

function expectHidden(value: unknown, secrets: readonly string[]): void {
  const text = shown(value);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

function recorded(init: Partial<FromAssumeRootInit>) {
  const lines: unknown[][] = [];
  const events: CredentialEvent[] = [];
  const record = (...args: unknown[]) => void lines.push(args);
  const logger: Logger = { debug: record, info: record, warn: record, error: record };
  const credentials = fromAssumeRoot({
    params,
    clientConfig: { ...regional(local()), maxAttempts: 1 },
    logger,
    onEvent: (e) => events.push(e),
    ...init,
  });
  return { credentials, lines, events };
}

test('credentials, the provider and its logs show no secret', async () => {
  const { credentials, lines, events } = recorded({ sourceCredentials: MANAGEMENT_USER });
  const issued = await credentials();
  const secrets = [MANAGEMENT_USER.secretAccessKey, issued.secretAccessKey, issued.sessionToken];
  // The values are there for an SDK client to sign with…
  expect(issued.secretAccessKey.length).toBeGreaterThan(10);
  expect(issued.sessionToken.length).toBeGreaterThan(10);
  // …and a plain copy shows them, so the checks below can see a secret where there is one…
  expect(shown({ ...issued })).toContain(issued.sessionToken);
  // …but printing them, or the provider, shows none.
  expectHidden(issued, secrets);
  expectHidden(credentials, secrets);
  expectHidden(String(credentials), secrets);
  expectHidden(lines, secrets);
  expectHidden(events, secrets);
  expect(lines.length).toBeGreaterThan(0);
  credentials.close();
});

test.each<[string, (sts: StsLocal) => Partial<FromAssumeRootInit>]>([
  ['STS refuses the caller (AccessDenied)', () => ({ sourceCredentials: MEMBER_USER })],
  [
    'the signature is wrong (SignatureDoesNotMatch)',
    () => ({ sourceCredentials: { ...MANAGEMENT_USER, secretAccessKey: WRONG_SECRET } }),
  ],
  [
    'the endpoint does not know AssumeRoot',
    (sts) => ({
      sourceCredentials: MANAGEMENT_USER,
      clientConfig: { endpoint: sts.globalEndpoint, region: 'us-east-1' },
    }),
  ],
])('errors show no secret when %s', async (_, init) => {
  const { credentials, lines, events } = recorded(init(local()));
  const error = await errorOf(() => credentials());
  expect(error).toBeInstanceOf(Error);
  const secrets = [MANAGEMENT_USER.secretAccessKey, MEMBER_USER.secretAccessKey, WRONG_SECRET];
  expectHidden(error, secrets);
  expectHidden(lines, secrets);
  expectHidden(events, secrets);
  credentials.close();
});
