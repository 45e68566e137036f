import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { fromAssumeRole } from '@credchain/assume-role';
import { expectNoSecret, observe, rejectionOf, until } from '@credchain/testkit';
import { callerArn, callsOf, localConfig, roleArn, sessionArn, useStsLocal } from '@credchain/testkit/sts-local';
import type { StsLocal } from '@credchain/sts-local';

import { CredentialSourceError, fromInstanceMetadata, instanceMetadataFetch } from '../src';
import type { FromInstanceMetadataInit } from '../src';

// fromInstanceMetadata against sts-local's IMDSv2 endpoint, through the SDK's real provider; the
// credentials then sign a real STSClient's calls, which sts-local verifies. Time moves by jest's fake
// timers, which move sts-local's clock too (its IMDS serves 6-hour credentials, rotated 15 minutes
// before they expire).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let day = 0;
const sts = useStsLocal({ per: 'test', imds: true, fakeNow: () => Date.UTC(2026, 2, 1 + day++, 8) });
const imds = (server: StsLocal = sts()) => server.imds!;
const ENV_ENDPOINT = 'AWS_EC2_METADATA_SERVICE_ENDPOINT';

function instance(init: FromInstanceMetadataInit = {}) {
  return fromInstanceMetadata({ endpoint: imds().endpoint, ...init });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('credentials from IMDS', () => {
  test("sign a real STSClient's GetCallerIdentity as the instance role, tagged role-session", async () => {
    using provider = instance();
    const credentials = await provider();
    expect(credentials.origin).toBe('role-session');
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.expiration.getTime() - Date.now()).toBe(6 * HOUR);
    expect(await callerArn(sts(), provider)).toBe(imds().sessionArn);
    expect(sts().calls.map((c) => c.operation)).toEqual([
      'imds:token',
      'imds:role-name',
      'imds:credentials',
      'GetCallerIdentity',
    ]);
  });

  test('from AWS_EC2_METADATA_SERVICE_ENDPOINT when no endpoint is given', async () => {
    process.env[ENV_ENDPOINT] = imds().env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    try {
      using provider = fromInstanceMetadata();
      expect(await callerArn(sts(), provider)).toBe(imds().sessionArn);
    } finally {
      delete process.env[ENV_ENDPOINT];
    }
  });

  test('init.endpoint is where the SDK goes, and the environment is left as it was', async () => {
    const elsewhere = `http://127.0.0.1:${await closedPort()}`;
    process.env[ENV_ENDPOINT] = elsewhere;
    try {
      using provider = instance();
      await provider();
      expect(process.env[ENV_ENDPOINT]).toBe(elsewhere);
      expect(callsOf(sts(), 'imds:credentials')).toHaveLength(1);
    } finally {
      delete process.env[ENV_ENDPOINT];
    }
    await instance()();
    expect(process.env[ENV_ENDPOINT]).toBeUndefined();
  });

  test('an AssumeRole from them is role chaining: capped at one hour, end to end against sts-local', async () => {
    const seen = observe();
    using source = instance();
    using role = fromAssumeRole({
      params: { RoleArn: roleArn('demo-role'), RoleSessionName: 'from-instance', DurationSeconds: 7200 },
      sourceCredentials: source,
      clientConfig: localConfig(sts()),
      onEvent: seen.onEvent,
    });
    const credentials = await role();
    expect(credentials.expiration.getTime() - Date.now()).toBe(HOUR);
    expect(seen.events).toContainEqual(expect.objectContaining({ type: 'duration-capped', grantedSeconds: 3600 }));
    expect(await callerArn(sts(), role)).toBe(sessionArn('demo-role', 'from-instance'));
    expect(callsOf(sts(), 'AssumeRole')[0]).toMatchObject({ outcome: 'success', callerArn: imds().sessionArn });
  });
});

describe('refresh', () => {
  test('12 hours of signed calls each minute: all accepted, IMDS asked twice per rotation, never spun on', async () => {
    const seen = observe();
    using provider = instance({ onEvent: seen.onEvent, logger: seen.logger });
    const keys = new Set<string>();
    for (let minute = 0; minute < 12 * 60; minute++) {
      keys.add((await provider()).accessKeyId);
      await jest.advanceTimersByTimeAsync(MINUTE);
      await until(seen.settled);
    }
    expect(await callerArn(sts(), provider)).toBe(imds().sessionArn);
    // Two rotations in 12 hours (6-hour credentials, rotated with 15 minutes left): the first refresh,
    // early in the default window, gets the same credentials back; the second, where EC2 promises new
    // ones (in the last 5 minutes), gets them. 1 + 2 × 2 fetches.
    expect(keys.size).toBe(3);
    expect(callsOf(sts(), 'imds:credentials')).toHaveLength(5);
    expect(seen.events.filter((e) => e.type === 'refresh-failure' || e.type === 'served-stale')).toEqual([]);
    expect(seen.lines.some((l) => /served the same credentials .* not rotated yet/.test(String(l.args[0])))).toBe(true);
  });

  test('the refresh runs in the background before expiry: callers never wait for IMDS', async () => {
    const seen = observe();
    using provider = instance({ onEvent: seen.onEvent });
    const first = await provider();
    // Minute by minute, letting each refresh's HTTP exchange finish before time moves on.
    for (let minute = 0; minute < 6 * 60 - 3; minute++) {
      await jest.advanceTimersByTimeAsync(MINUTE);
      await until(seen.settled);
    }
    const next = await provider();
    expect(next.accessKeyId).not.toBe(first.accessKeyId);
    expect(seen.events.flatMap((e) => (e.type === 'refresh-start' ? [e.reason] : []))).toEqual([
      'initial',
      'timer',
      'timer',
    ]);
  });

  test('an IMDS outage while the credentials are valid: callers are served, never an expired key', async () => {
    const seen = observe();
    using provider = instance({ onEvent: seen.onEvent, logger: seen.logger });
    const first = await provider();
    sts().injectFault({ kind: 'unavailable', operation: 'imds:*', rate: 1 });
    for (let minute = 0; minute < 6 * 60 - 1; minute++) {
      const credentials = await provider();
      expect(credentials).toBe(first);
      expect(credentials.expiration.getTime()).toBeGreaterThan(Date.now());
      await jest.advanceTimersByTimeAsync(MINUTE);
      await until(seen.settled);
    }
    expect(seen.events.some((e) => e.type === 'refresh-failure')).toBe(true);
    await jest.advanceTimersByTimeAsync(MINUTE);
    await until(seen.settled);
    const expired = await rejectionOf(provider());
    expect(expired).toMatchObject({ name: 'CredentialsExpiredError' });
    // IMDS back: the background loop's next attempt (within its longest backoff) gets new credentials.
    sts().clearFaults();
    await jest.advanceTimersByTimeAsync(2 * MINUTE);
    await until(seen.settled);
    await expect(provider()).resolves.toMatchObject({ origin: 'role-session' });
    expectNoSecret([seen.events, seen.lines, expired], [first.secretAccessKey, first.sessionToken]);
  });
});

describe('failures are CredentialSourceErrors naming the source', () => {
  test('an unreachable IMDS: tryNextLink, as the SDK says (off EC2, there is no IMDS)', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const error = await rejectionOf(fromInstanceMetadata({ endpoint })());
    expect(error).toBeInstanceOf(CredentialSourceError);
    expect(error).toMatchObject({
      source: 'instance-metadata',
      tryNextLink: true,
      message: `instance-metadata: IMDS at ${endpoint} could not be reached (ECONNREFUSED)`,
    });
  });

  test('IMDS answering 503', async () => {
    sts().injectFault({ kind: 'unavailable', operation: 'imds:*', rate: 1 });
    const error = await rejectionOf(instance()());
    expect(error).toMatchObject({ source: 'instance-metadata', statusCode: 503 });
    expect((error as Error).message).toMatch(/answered HTTP 503$/);
  });

  test('IMDS answering an HTML page', async () => {
    sts().injectFault({ kind: 'garbage', operation: 'imds:credentials' });
    const error = await rejectionOf(instance()());
    expect((error as Error).message).toMatch(/^instance-metadata: IMDS at .* answered with a body that is not JSON/);
  });

  test('AWS_EC2_METADATA_DISABLED: not configured here, a chain goes on', async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    try {
      const error = await rejectionOf(instance()());
      expect(error).toMatchObject({ source: 'instance-metadata', tryNextLink: true });
      expect(sts().calls).toEqual([]);
    } finally {
      delete process.env.AWS_EC2_METADATA_DISABLED;
    }
  });

  test("credentials IMDS hands out expired, which the SDK's static stability would extend, are refused", async () => {
    // Not sts-local: a server that answers what a broken IMDS would, expired credentials.
    const expired = JSON.stringify({
      Code: 'Success',
      AccessKeyId: 'ASIAEXPIREDEXAMPLE00',
      SecretAccessKey: 'expiredSecretKey/credchain/EXAMPLEKEY000',
      Token: 'expiredSessionToken0123456789abcdefghijklmnopqrstuvwxyzEXAMPLE',
      Expiration: new Date(Date.now() - MINUTE).toISOString(),
    });
    const server = createServer((req, res) => res.end(req.url?.endsWith('/') ? 'role' : expired));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const seen = observe();
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const error = await rejectionOf(fromInstanceMetadata({ endpoint, logger: seen.logger })());
      expect((error as Error).message).toBe(
        `instance-metadata: IMDS at ${endpoint} answered credentials that had already expired`,
      );
      // The SDK's warning reached the provider's logger, not the console.
      expect(seen.lines.some((l) => l.level === 'warn' && /expiration extension/.test(String(l.args[0])))).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

test('instanceMetadataFetch: one IMDS round per call, for an engine of its own', async () => {
  const fetch = instanceMetadataFetch({ endpoint: imds().endpoint });
  const credentials = await fetch({ reason: 'initial', previous: undefined });
  expect(credentials.origin).toBe('role-session');
  await fetch({ reason: 'forced', previous: credentials });
  expect(callsOf(sts(), 'imds:token')).toHaveLength(2);
});
