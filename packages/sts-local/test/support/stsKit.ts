import { request } from 'node:http';
import { STSClient, type Credentials } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { DEMO_ACCOUNT, demoConfig, startStsLocal, type StartStsLocalOptions, type StsLocal } from '../../src';

/** SDK credentials. */
export interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A demo user's long-term keys, read from the demo config. */
export function userKeys(name: string): Keys {
  const key = demoConfig.users?.find((u) => u.name === name)?.accessKeys?.[0];
  if (key === undefined) throw new Error(`no demo user ${name}`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

export const demoRole = (name: string): string => `arn:aws:iam::${DEMO_ACCOUNT}:role/${name}`;

/**
 * A real STSClient against `server`. Retries keep the SDK's own decision of what is retryable
 * (throttling, 5xx, dropped connections) but wait 0 ms between attempts, so tests do not sleep.
 */
export function client(
  server: StsLocal,
  credentials: Keys = userKeys('alice'),
  options: { maxAttempts?: number; maxSockets?: number } = {},
): STSClient {
  return new STSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials,
    retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts ?? 1, 0),
    ...(options.maxSockets === undefined ? {} : { requestHandler: { httpAgent: { maxSockets: options.maxSockets } } }),
  });
}

/** A client for the unsigned operations (SAML, web identity): no credentials, as a federated app has none. */
export function unsignedClient(server: StsLocal): STSClient {
  return new STSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: '', secretAccessKey: '' },
  });
}

/** Runs `body` against a server of its own, always stopping it. */
export async function withServer<T>(options: StartStsLocalOptions, body: (server: StsLocal) => Promise<T>): Promise<T> {
  const server = await startStsLocal(options);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

/** Issued credentials as SDK credentials. */
export function keysFrom(issued: Credentials | undefined): Keys {
  const { AccessKeyId, SecretAccessKey, SessionToken } = issued ?? {};
  if (AccessKeyId === undefined || SecretAccessKey === undefined || SessionToken === undefined)
    throw new Error('no credentials in the answer');
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken };
}

/** What the SDK made of a refusal. */
export interface Refusal {
  readonly code: string;
  readonly status: number | undefined;
  readonly type: string | undefined;
  readonly message: string;
  readonly attempts: number | undefined;
}

/** Awaits a promise that must reject, and returns the SDK error's wire facts. */
export async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal, got a success');
    },
    (e: unknown) =>
      e as { name: string; message: string; Type?: string; $metadata?: { httpStatusCode?: number; attempts?: number } },
  );
  return {
    code: error.name,
    status: error.$metadata?.httpStatusCode,
    type: error.Type,
    message: error.message,
    attempts: error.$metadata?.attempts,
  };
}

/** A raw HTTP answer. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Sends exactly what a test wrote — for requests no SDK would send. */
export function raw(
  endpoint: string,
  init: { method?: string; path?: string; headers?: Record<string, string | number>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: init.method ?? 'POST',
        path: init.path ?? '/',
        headers: {
          ...(init.body === undefined ? {} : { 'Content-Length': Buffer.byteLength(init.body) }),
          ...init.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A form body as the Query protocol sends it. */
export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
export const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' };

/** The fields of an `ErrorResponse`, read with the exact nesting STS uses. */
export function errorResponse(
  xml: string,
): { type: string; code: string; message: string; requestId: string } | undefined {
  const m =
    /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error>\s*<Type>(.*?)<\/Type>\s*<Code>(.*?)<\/Code>\s*<Message>(.*?)<\/Message>\s*<\/Error>\s*<RequestId>(.*?)<\/RequestId>\s*<\/ErrorResponse>\s*$/s.exec(
      xml,
    );
  return m === null ? undefined : { type: m[1] ?? '', code: m[2] ?? '', message: m[3] ?? '', requestId: m[4] ?? '' };
}
