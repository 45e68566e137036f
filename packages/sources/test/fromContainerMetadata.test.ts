import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InvalidParameterError, chain } from '@credchain/core';
import { expectNoSecret, observe, rejectionOf, until } from '@credchain/testkit';
import { callerArn, callsOf, useStsLocal } from '@credchain/testkit/sts-local';

import { CredentialSourceError, containerFetch, fromContainerMetadata, fromEnv } from '../src';
import type { FromContainerMetadataInit } from '../src';

// fromContainerMetadata against sts-local's container credentials endpoint (EKS Pod Identity style,
// Authorization token checked), through the SDK's real fromHttp; the credentials then sign a real
// STSClient's calls, which sts-local verifies.

const MINUTE = 60_000;
let day = 0;
const sts = useStsLocal({ per: 'test', container: true, fakeNow: () => Date.UTC(2026, 3, 1 + day++, 8) });
const container = () => sts().container!;

function task(init: FromContainerMetadataInit = {}) {
  return fromContainerMetadata({
    fullUri: container().endpoint,
    authorizationToken: container().authorizationToken,
    maxRetries: 0,
    ...init,
  });
}

test("credentials sign a real STSClient's GetCallerIdentity as the task role, tagged role-session", async () => {
  using provider = task();
  const credentials = await provider();
  expect(credentials.origin).toBe('role-session');
  expect(await callerArn(sts(), provider)).toBe(container().sessionArn);
  expect(callsOf(sts(), 'container:credentials')).toHaveLength(1);
});

test('configured by the environment ECS and EKS set: URI and token, or token file (read at every fetch)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'credchain-sources-container-'));
  try {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, container().authorizationToken);
    using byToken = fromContainerMetadata({ env: { ...container().env }, maxRetries: 0 });
    expect(await callerArn(sts(), byToken)).toBe(container().sessionArn);
    const env = {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: container().endpoint,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
    };
    using byFile = fromContainerMetadata({ env, maxRetries: 0 });
    expect(await callerArn(sts(), byFile)).toBe(container().sessionArn);
    rmSync(tokenFile);
    const error = await rejectionOf(byFile.refresh());
    expect((error as Error).message).toBe(
      `container: the authorization token file ${tokenFile} cannot be read (ENOENT)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('not configured (no URI in the options or the environment): tryNextLink, and a chain goes on', async () => {
  const error = await rejectionOf(fromContainerMetadata({ env: {} })());
  expect(error).toMatchObject({ source: 'container', tryNextLink: true });
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
  };
  await expect(chain(fromContainerMetadata({ env: {} }), fromEnv({ env }))()).resolves.toMatchObject({
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  });
  expect(sts().calls).toEqual([]);
});

describe('failures are CredentialSourceErrors naming the source, without the token or the body', () => {
  test('a refused token: HTTP 403 with the code the endpoint gave', async () => {
    const wrong = 'WrongToken0123456789abcdefABCDEF';
    const seen = observe();
    const error = await rejectionOf(task({ authorizationToken: wrong, logger: seen.logger, onEvent: seen.onEvent })());
    expect(error).toBeInstanceOf(CredentialSourceError);
    expect((error as Error).message).toBe(
      `container: the container endpoint ${container().endpoint} answered HTTP 403 (AccessDenied)`,
    );
    expectNoSecret([error, seen.lines, seen.events], [wrong, container().authorizationToken]);
  });

  test('an endpoint that takes the request and never answers: a timeout, not a fetch held for good', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const fullUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/credentials`;
      const pending = rejectionOf(
        fromContainerMetadata({ fullUri, authorizationToken: 't', timeoutMs: 500, maxRetries: 0 })(),
      );
      await jest.advanceTimersByTimeAsync(1500);
      // The SDK's request timeout, or else the deadline around the whole fetch.
      expect(((await pending) as Error).message).toMatch(/^container: the container endpoint .* did not answer within/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('an endpoint answering an HTML page', async () => {
    sts().injectFault({ kind: 'garbage', operation: 'container:credentials' });
    const error = await rejectionOf(task()());
    expect((error as Error).message).toMatch(
      /^container: the container endpoint .* answered with a body that is not JSON/,
    );
  });

  test('an outage while the credentials are valid: callers are served the cached credentials', async () => {
    const seen = observe();
    using provider = task({ onEvent: seen.onEvent });
    const first = await provider();
    sts().injectFault({ kind: 'server-error', operation: 'container:*', rate: 1 });
    for (let minute = 0; minute < 6 * 60 - 1; minute++) {
      expect(await provider()).toBe(first);
      await jest.advanceTimersByTimeAsync(MINUTE);
      await until(seen.settled);
    }
    // 30 s before expiry, in the mandatory window: the caller waits for one attempt, which fails, and
    // still gets the valid credentials.
    await jest.advanceTimersByTimeAsync(MINUTE / 2);
    await until(seen.settled);
    expect(await provider()).toBe(first);
    expect(seen.events.filter((e) => e.type === 'refresh-failure').length).toBeGreaterThan(0);
    expect(seen.events.some((e) => e.type === 'served-stale')).toBe(true);
  });
});

test.each<[string, FromContainerMetadataInit]>([
  ['fullUri', { fullUri: 'http://10.0.0.8/creds' }],
  ['fullUri', { fullUri: 'not a url' }],
  ['relativeUri', { relativeUri: 'v2/credentials' }],
  ['authorizationToken', { authorizationToken: 'a\r\nX-Injected: 1' }],
  ['timeoutMs', { timeoutMs: 0 }],
  ['maxRetries', { maxRetries: 1.5 }],
  ['env', { env: 'x' as never }],
])('names %s when it is wrong, at creation, with no request', (parameter, init) => {
  let error: unknown;
  try {
    fromContainerMetadata(init);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidParameterError);
  expect((error as InvalidParameterError).parameter).toBe(parameter);
  expect(sts().calls).toEqual([]);
});

test('containerFetch: one request per call, for an engine of its own', async () => {
  const fetch = containerFetch({ fullUri: container().endpoint, authorizationToken: container().authorizationToken });
  await fetch({ reason: 'initial', previous: undefined });
  expect(callsOf(sts(), 'container:credentials')).toHaveLength(1);
});
