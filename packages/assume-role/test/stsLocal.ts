import { inspect } from 'node:util';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, demoConfig } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { StsError } from '@credchain/core';
import type { CredentialProvider, MfaCodeProvider } from '@credchain/core';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

// Test helpers shared by this package's suites: the demo identities as sts-local's config holds
// them (read from it, not copied), a client config aimed at a server, and the checks every suite makes.

const alice = demoConfig.users?.find((u) => u.name === 'alice');
const aliceKey = alice?.accessKeys?.[0];
const aliceMfa = alice?.mfaDevices?.[0];
if (aliceKey === undefined || aliceMfa === undefined) throw new Error('demoConfig has no alice with keys and an MFA device');

/** alice's long-term keys: the source credentials of most tests. */
export const ALICE: AwsCredentialIdentity = { accessKeyId: aliceKey.accessKeyId, secretAccessKey: aliceKey.secretAccessKey };
export const ALICE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`;
export const ALICE_SERIAL = aliceMfa.serialNumber;
/** alice's TOTP seed: what an automation would hold. */
export const ALICE_TOTP_SECRET = aliceMfa.secretBase32;

export const roleArn = (name: string): string => `arn:aws:iam::${DEMO_ACCOUNT}:role/${name}`;
export const sessionArn = (role: string, session: string): string =>
  `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/${role}/${session}`;

/** The STSClientConfig that aims a client at sts-local's Regional endpoint. */
export function localConfig(sts: StsLocal, region = 'us-east-1'): STSClientConfig {
  return { endpoint: sts.endpoint, region };
}

/**
 * GetCallerIdentity signed by `credentials`, through a client of its own (not the provider's):
 * sts-local verifies the signature and names the caller.
 */
export async function callerArn(
  sts: StsLocal,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
): Promise<string | undefined> {
  const client = new STSClient({ ...localConfig(sts), credentials });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

/** The calls sts-local logged for one operation. */
export const callsOf = (sts: StsLocal, operation: string) => sts.calls.filter((c) => c.operation === operation);

/** What a rejected promise rejected with (fails the test when it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got a value');
}

/**
 * The StsError a cold provider's first call fails with (then closes it), checked to show neither
 * alice's secret key nor any of `secrets` however it is printed.
 */
export async function stsFailure(provider: CredentialProvider, secrets: readonly string[] = []): Promise<StsError> {
  const error = await rejectionOf(provider());
  provider.close();
  expect(error).toBeInstanceOf(StsError);
  expectNoSecret(error, [ALICE.secretAccessKey, ...secrets]);
  return error as StsError;
}

/** Every way a user could print an error: none of them may show a secret. */
export function expectNoSecret(value: unknown, secrets: readonly string[]): void {
  const shown = [
    value instanceof Error ? value.message : '',
    value instanceof Error ? String(value.stack) : '',
    inspect(value, { depth: 8 }),
    JSON.stringify(value) ?? '',
  ].join('\n');
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(5);
    expect(shown).not.toContain(secret);
  }
}

/** Lets real I/O run while jest's fake timers stand still (nextTick and setImmediate stay real). */
export function useFakeTimers(now = Date.now()): void {
  jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
}

/** Resolves once `condition` holds, letting real I/O run in between (no timers, no sleeping). */
export async function until(condition: () => boolean, turns = 2_000_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}

/**
 * Wraps a code provider to record its answers (held in memory by the test, never printed). Keeps
 * the wrapped provider's symbol-keyed marks, so core still knows a TOTP generator when it sees one.
 */
export function recording(inner: MfaCodeProvider): MfaCodeProvider & { readonly codes: string[] } {
  const codes: string[] = [];
  const wrapper = async (serial: string, context?: Parameters<MfaCodeProvider>[1]) => {
    const code = await inner(serial, context);
    codes.push(code);
    return code;
  };
  for (const symbol of Object.getOwnPropertySymbols(inner)) {
    Object.defineProperty(wrapper, symbol, Object.getOwnPropertyDescriptor(inner, symbol)!);
  }
  return Object.assign(wrapper, { codes });
}
