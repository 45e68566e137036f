import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { GetCallerIdentityCommandOutput, STSClientConfig } from '@aws-sdk/client-sts';
import { StsError } from '@credchain/core';
import type { CredentialProvider, MfaCodeProvider } from '@credchain/core';
import {
  DEMO_ACCOUNT,
  DEMO_OIDC_ISSUER,
  demoConfig,
  demoOidcSigningMaterial,
  mintWebIdentityToken,
  startStsLocal,
} from '@credchain/sts-local';
import type { MintWebIdentityTokenOptions, StartStsLocalOptions, StsLocal } from '@credchain/sts-local';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

import { expectNoSecret, rejectionOf } from '../expectations';
import { observe } from '../observe';
import type { Observed } from '../observe';
import { useFakeTimers } from '../timers';

// sts-local as the providers' suites use it: the demo identities as its config holds them (read
// from it, not copied), a server per suite or per test, a client config aimed at it, and the checks
// every suite makes.

/** The long-term keys of IAM user `name` of `account` in sts-local's demo config (read from it, not copied). */
export function userKeys(name: string, account = DEMO_ACCOUNT): AwsCredentialIdentity {
  const key = demoConfig.users?.find((u) => u.account === account && u.name === name)?.accessKeys?.[0];
  if (key === undefined) throw new Error(`demoConfig has no user ${name} with keys in ${account}`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

/** The root user's keys of `account` in sts-local's demo config. */
export function rootKeys(account = DEMO_ACCOUNT): AwsCredentialIdentity {
  const key = demoConfig.accounts.find((a) => a.id === account)?.rootAccessKeys?.[0];
  if (key === undefined) throw new Error(`demoConfig has no root access key for ${account}`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

const aliceMfa = demoConfig.users?.find((u) => u.account === DEMO_ACCOUNT && u.name === 'alice')?.mfaDevices?.[0];
if (aliceMfa === undefined) throw new Error('demoConfig has no alice with an MFA device');

/** alice's long-term keys: the source credentials of most tests. */
export const ALICE: AwsCredentialIdentity = userKeys('alice');
export const ALICE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`;
export const ALICE_SERIAL = aliceMfa.serialNumber;
/** alice's TOTP seed: what an automation would hold. */
export const ALICE_TOTP_SECRET = aliceMfa.secretBase32;

export const roleArn = (name: string): string => `arn:aws:iam::${DEMO_ACCOUNT}:role/${name}`;
export const sessionArn = (role: string, session: string): string =>
  `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/${role}/${session}`;

/**
 * A clock that reads the global `Date` at every call. sts-local's default clock is the `Date` it
 * finds when it starts: jest's fake timers move its time only if they were installed before it
 * started. With this clock they move it whenever they are installed.
 */
export const globalDateClock = { now: (): number => Date.now() };

export interface UseStsLocalOptions extends StartStsLocalOptions {
  /** `'suite'` (default): one server for the enclosing describe block; `'test'`: a fresh one per test. */
  readonly per?: 'suite' | 'test';
  /**
   * With `per: 'test'`: install FAKE_TIMERS before each test's server starts, the fake clock at the
   * epoch ms this returns (called once per test); the real timers are back after the test.
   */
  readonly fakeNow?: () => number;
}

/**
 * sts-local for a suite: started before (the suite, or each test), stopped after, its call log
 * cleared before each test. Read it in a test (or a hook declared after this call) through the
 * returned function. Unless `clock` is given, the server's clock is globalDateClock, so jest's fake
 * timers move sts-local's time together with the provider's, whenever they are installed.
 */
export function useStsLocal(options: UseStsLocalOptions = {}): () => StsLocal {
  const { per = 'suite', fakeNow, ...start } = options;
  const startOptions: StartStsLocalOptions = { clock: globalDateClock, ...start };
  let sts: StsLocal | undefined;
  if (per === 'suite') {
    if (fakeNow !== undefined) throw new Error('useStsLocal: fakeNow needs per: "test"');
    beforeAll(async () => {
      sts = await startStsLocal(startOptions);
    });
    afterAll(async () => {
      await sts?.stop();
      sts = undefined;
    });
    beforeEach(() => sts?.clearCalls());
  } else {
    beforeEach(async () => {
      if (fakeNow !== undefined) useFakeTimers(fakeNow());
      sts = await startStsLocal(startOptions);
    });
    afterEach(async () => {
      try {
        await sts?.stop();
      } finally {
        sts = undefined;
        if (fakeNow !== undefined) jest.useRealTimers();
      }
    });
  }
  return () => {
    if (sts === undefined)
      throw new Error('sts-local is not running (useStsLocal serves tests and hooks declared after it)');
    return sts;
  };
}

/** The STSClientConfig that aims a client at sts-local's Regional endpoint. */
export function localConfig(
  sts: StsLocal,
  region = 'us-east-1',
): STSClientConfig & { endpoint: string; region: string } {
  return { endpoint: sts.endpoint, region };
}

/**
 * GetCallerIdentity signed by `credentials`, through a client of its own (not the provider's), one
 * attempt: sts-local verifies the signature (and the session's expiry) and names the caller.
 */
export async function callerIdentity(
  sts: StsLocal,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
): Promise<GetCallerIdentityCommandOutput> {
  const client = new STSClient({ ...localConfig(sts), credentials, maxAttempts: 1 });
  try {
    return await client.send(new GetCallerIdentityCommand({}));
  } finally {
    client.destroy();
  }
}

/** The ARN of the caller `credentials` sign for, as sts-local names it (see {@link callerIdentity}). */
export async function callerArn(
  sts: StsLocal,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
): Promise<string | undefined> {
  return (await callerIdentity(sts, credentials)).Arn;
}

/** The calls sts-local logged for one operation. */
export const callsOf = (sts: StsLocal, operation: string) => sts.calls.filter((c) => c.operation === operation);

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

/** What {@link expectRefused} expects of the error. */
export interface Refusal {
  readonly operation: string;
  /** STS's code, as the StsError states it (without the SDK's `Exception` suffix). */
  readonly code: string;
  readonly statusCode: number;
  readonly final: boolean;
}

/**
 * The StsError the first call of the provider `build` makes (with a recording logger and onEvent)
 * fails with: it is the answer `refusal` describes, sts-local logged exactly that one refused call,
 * and none of `secrets` shows in the error, the provider, its log lines or its events.
 */
export async function expectRefused(
  sts: StsLocal,
  build: (seen: Observed) => CredentialProvider,
  refusal: Refusal,
  secrets: readonly string[],
): Promise<StsError> {
  const seen = observe();
  const provider = build(seen);
  try {
    const error = await rejectionOf(provider());
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject(refusal);
    expect(sts.calls.map((c) => c.errorCode?.replace(/Exception$/, ''))).toEqual([refusal.code]);
    expect(seen.lines.length + seen.events.length).toBeGreaterThan(0);
    for (const shown of [error, seen.lines, seen.events, provider]) expectNoSecret(shown, secrets);
    return error as StsError;
  } finally {
    provider.close();
  }
}

/** A token of the demo OIDC issuer for the audience sts.amazonaws.com, issued now (the fake clock's, if any). */
export function mintDemoToken(overrides: Partial<MintWebIdentityTokenOptions> = {}): Promise<string> {
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
