import { inspect } from 'node:util';

import { chain } from '@credchain/core';
import { expectNoSecret, rejectionOf } from '@credchain/testkit';

import { CredentialSourceError, fromEnv } from '../src';

// fromEnv: the variables read at every call, static keys passed through as they are, session
// credentials refused once expired, and "not set" a tryNextLink error so a chain goes on.

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDx5Rcanary7token';

test('reads the variables at every call, not at creation', async () => {
  const env: NodeJS.ProcessEnv = {};
  const provider = fromEnv({ env });
  env.AWS_ACCESS_KEY_ID = KEY;
  env.AWS_SECRET_ACCESS_KEY = SECRET;
  expect(await provider()).toEqual({ accessKeyId: KEY, secretAccessKey: SECRET });
  env.AWS_ACCESS_KEY_ID = 'AKIAI44QH8DHBEXAMPLE';
  expect((await provider()).accessKeyId).toBe('AKIAI44QH8DHBEXAMPLE');
});

test('static keys pass through: the same object while the variables stay, no expiration made up', async () => {
  const provider = fromEnv({
    env: { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_ACCOUNT_ID: '111122223333' },
  });
  const first = await provider();
  expect(first).toEqual({ accessKeyId: KEY, secretAccessKey: SECRET, accountId: '111122223333' });
  expect(await provider()).toBe(first);
  expect(await provider.refresh()).toBe(first);
  expect(first.expiration).toBeUndefined();
});

test('session credentials with AWS_CREDENTIAL_EXPIRATION are handed out until they expire, then refused', async () => {
  let now = Date.UTC(2026, 0, 1);
  const env = {
    AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: TOKEN,
    AWS_CREDENTIAL_EXPIRATION: new Date(now + 60_000).toISOString(),
  };
  const provider = fromEnv({ env, refresh: { clock: { now: () => now } } });
  expect(await provider()).toMatchObject({ sessionToken: TOKEN, expiration: new Date(now + 60_000) });
  now += 60_000;
  const error = await rejectionOf(provider());
  expect(error).toBeInstanceOf(CredentialSourceError);
  expect(error).toMatchObject({ source: 'environment', tryNextLink: false, final: true });
  expect((error as Error).message).toMatch(/ASIAIOSFODNN7EXAMPLE expired at 2026-01-01T00:01:00.000Z/);
  expectNoSecret(error, [SECRET, TOKEN]);
});

test('an AWS_CREDENTIAL_EXPIRATION that is not a date is refused, naming the variable', async () => {
  const env = { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_CREDENTIAL_EXPIRATION: 'tomorrow' };
  await expect(fromEnv({ env })()).rejects.toThrow('environment: AWS_CREDENTIAL_EXPIRATION is not a date');
});

test.each([
  [{}, 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set'],
  [{ AWS_ACCESS_KEY_ID: KEY }, 'AWS_SECRET_ACCESS_KEY not set'],
  [{ AWS_SECRET_ACCESS_KEY: SECRET, AWS_ACCESS_KEY_ID: '' }, 'AWS_ACCESS_KEY_ID not set'],
])('missing keys (%p) are "not configured here": tryNextLink, and a chain goes on', async (env, said) => {
  const error = await rejectionOf(fromEnv({ env })());
  expect(error).toMatchObject({ source: 'environment', tryNextLink: true, message: `environment: ${said}` });
  const next = async () => ({ accessKeyId: 'AKIAI44QH8DHBEXAMPLE', secretAccessKey: SECRET });
  await expect(chain(fromEnv({ env }), next)()).resolves.toMatchObject({ accessKeyId: 'AKIAI44QH8DHBEXAMPLE' });
  expectNoSecret(error, [SECRET]);
});

test('no secret in the provider or its credentials when printed; a log line names the key id only', async () => {
  const lines: unknown[][] = [];
  const logger = { debug: (...a: unknown[]) => lines.push(a), info: () => {}, warn: () => {}, error: () => {} };
  const env = { AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN };
  const provider = fromEnv({ env, logger });
  const credentials = await provider();
  expectNoSecret(credentials, [SECRET, TOKEN]);
  expectNoSecret(provider, [SECRET, TOKEN]);
  expect(inspect(provider)).toBe('SourceCredentialProvider(environment)');
  expect(JSON.stringify(lines)).toContain('ASIAIOSFODNN7EXAMPLE');
  expectNoSecret(JSON.stringify(lines), [SECRET, TOKEN]);
  // A spread copy is plain again, for a caller that means to write the secret out (credential_process).
  expect({ ...credentials }.secretAccessKey).toBe(SECRET);
});
