import { STSClient, type Credentials } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, demoConfig, startStsLocal, type StartStsLocalOptions, type StsLocal } from '../../src';

/** Credentials as the SDK takes them. */
export interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Long-term keys of a demo user, read from the demo config (not retyped here). */
export function demoUserKeys(name: string): Keys {
  const key = demoConfig.users?.find((u) => u.name === name)?.accessKeys?.[0];
  if (key === undefined) throw new Error(`demo user ${name} has no keys`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

/** The demo account root user's long-term keys. */
export function demoRootKeys(): Keys {
  const key = demoConfig.accounts.find((a) => a.id === DEMO_ACCOUNT)?.rootAccessKeys?.[0];
  if (key === undefined) throw new Error('demo account has no root keys');
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

export const ALICE_MFA = `arn:aws:iam::${DEMO_ACCOUNT}:mfa/alice`;
export const roleArn = (name: string, account = DEMO_ACCOUNT): string => `arn:aws:iam::${account}:role/${name}`;

/** A real STS client against sts-local; no retries, so each error is the server's first answer. */
export function stsClient(
  endpoint: string,
  credentials?: Keys,
  extra: { region?: string; systemClockOffset?: number } = {},
): STSClient {
  return new STSClient({
    endpoint,
    region: extra.region ?? 'us-east-1',
    maxAttempts: 1,
    ...(credentials === undefined ? {} : { credentials }),
    ...(extra.systemClockOffset === undefined ? {} : { systemClockOffset: extra.systemClockOffset }),
  });
}

/** Issued `Credentials` as SDK credentials for the next client. */
export function asIdentity(credentials: Credentials | undefined): Keys {
  if (
    credentials?.AccessKeyId === undefined ||
    credentials.SecretAccessKey === undefined ||
    credentials.SessionToken === undefined
  ) {
    throw new Error('response carried no credentials');
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
  };
}

interface WireError {
  name?: string;
  /** The Query protocol's <Code>, as sent (the SDK names modeled errors differently, e.g. …Exception). */
  Code?: string;
  message?: string;
  Type?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Awaits a rejection and returns what the SDK parsed off the wire: <Code>, HTTP status, <Type>, <Message>. */
export async function wireError(promise: Promise<unknown>): Promise<{
  code: string | undefined;
  status: number | undefined;
  type: string | undefined;
  message: string | undefined;
}> {
  const error = (await promise.then(
    () => {
      throw new Error('expected STS to refuse the request, but it succeeded');
    },
    (e: unknown) => e,
  )) as WireError;
  return {
    code: error.Code ?? error.name,
    status: error.$metadata?.httpStatusCode,
    type: error.Type,
    message: error.message,
  };
}

/** Asserts STS's code, status and message (exact string, or a pattern) for a refused request. */
export async function expectStsError(
  promise: Promise<unknown>,
  code: string,
  status: number,
  message: string | RegExp,
): Promise<void> {
  const got = await wireError(promise);
  expect(got).toEqual({
    code,
    status,
    type: status >= 500 ? 'Receiver' : 'Sender',
    message: typeof message === 'string' ? message : (expect.stringMatching(message) as unknown),
  });
}

/** STS's validator wording for one failed constraint. */
export function constraintMessage(value: string | null, member: string, rule: string): string {
  const shown = value === null ? 'Value null' : `Value '${value}'`;
  return `1 validation error detected: ${shown} at '${member}' failed to satisfy constraint: ${rule}`;
}

/** Starts sts-local for a describe block and stops it afterwards. */
export function useStsLocal(options: StartStsLocalOptions = {}): () => StsLocal {
  let server: StsLocal | undefined;
  beforeAll(async () => {
    server = await startStsLocal(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server === undefined) throw new Error('sts-local not started');
    return server;
  };
}

/** Runs `body` against a server of its own (custom configs, time travel), always stopping it. */
export async function withStsLocal<T>(options: StartStsLocalOptions, body: (s: StsLocal) => Promise<T>): Promise<T> {
  const s = await startStsLocal(options);
  try {
    return await body(s);
  } finally {
    await s.stop();
  }
}

/** ISO Expiration → epoch ms. */
export const expirationMs = (c: Credentials | undefined): number => c?.Expiration?.getTime() ?? Number.NaN;

/**
 * Starts timing a request: the returned check asserts an Expiration of `seconds` after the request,
 * in whole seconds (STS truncates), anywhere between this call and the check.
 */
export function timeRequest(s: StsLocal): (credentials: Credentials | undefined, seconds: number) => void {
  const before = s.now();
  return (credentials, seconds) => {
    const after = s.now();
    const expiration = expirationMs(credentials);
    expect(expiration).toBeGreaterThanOrEqual(Math.floor((before + seconds * 1000) / 1000) * 1000);
    expect(expiration).toBeLessThanOrEqual(after + seconds * 1000);
  };
}
