import { inspect } from 'node:util';

import { chain } from '@credchain/core';
import { expectNoSecret } from '@credchain/testkit';
import { CredentialsProviderError, ProviderError } from '@smithy/property-provider';

import { CredentialSourceError } from '../src';
import { redactText, sdkLogger } from '../src/redact';
import { toSourceError } from '../src/toSourceError';

// How what the SDK's source packages throw becomes a CredentialSourceError: the source named, the
// SDK's chain semantics kept, and nothing the source sent (a body, a token file, stderr) in the message,
// the cause, or a log line.

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDx5Rcanary7token';
const where = { where: 'IMDS at http://127.0.0.1:1', timeoutMs: 1000 };

describe('redactText', () => {
  test.each([
    ['a secret access key', `leaked ${SECRET} here`],
    ['a session token', `token=${TOKEN}`],
    [
      'a JSON parser excerpt of a body',
      `SyntaxError: Unexpected token 'x', "{"Secret":"${SECRET.slice(0, 12)}"... is not valid JSON`,
    ],
  ])('takes out %s', (_what, text) => {
    const shown = redactText(text);
    expect(shown).not.toContain(SECRET.slice(0, 12));
    expect(shown).not.toContain(TOKEN.slice(0, 20));
  });

  test.each([
    'arn:aws:sts::111122223333:assumed-role/web-identity-role/app',
    'access key AKIAIOSFODNN7EXAMPLE refused',
    '/home/u/.aws/sso/cache/0123456789abcdef0123456789abcdef01234567.json does not exist',
    'token expired, log in',
  ])('keeps what carries no secret: %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  test('one line of at most 300 characters', () => {
    const shown = redactText(`${'word '.repeat(100)}\nsecond line`);
    expect(shown).not.toContain('\n');
    expect(shown.length).toBeLessThanOrEqual(301);
  });
});

describe('toSourceError', () => {
  test("keeps the SDK's tryNextLink: not configured here goes on, anything else stops a chain", () => {
    const notHere = toSourceError('container', new CredentialsProviderError('No HTTP credential provider host'), where);
    expect(notHere).toMatchObject({ source: 'container', tryNextLink: true });
    const broken = toSourceError('sso', new CredentialsProviderError('Conflicting SSO region', false), where);
    expect(broken.tryNextLink).toBe(false);
    expect(toSourceError('process', new Error('boom'), where).tryNextLink).toBe(false);
  });

  test('names a connection failure by its code, a timeout by the timeout', () => {
    const refused = Object.assign(new ProviderError('Unable to connect to instance metadata service'), {
      code: 'ECONNREFUSED',
      errno: -111,
    });
    expect(toSourceError('instance-metadata', refused, where).message).toBe(
      'instance-metadata: IMDS at http://127.0.0.1:1 could not be reached (ECONNREFUSED)',
    );
    const timeout = new ProviderError('TimeoutError from instance metadata service');
    expect(toSourceError('instance-metadata', timeout, where).message).toMatch(/did not answer within 1000 ms$/);
  });

  test("an answer that is not JSON is said to be so, the parser's excerpt withheld everywhere", () => {
    const sdk = new CredentialsProviderError(
      `SyntaxError: Unexpected token '<', "<html>${SECRET}"... is not valid JSON`,
    );
    const error = toSourceError('container', sdk, { where: 'the container endpoint http://127.0.0.1:9/v1' });
    expect(error.message).toBe(
      "container: the container endpoint http://127.0.0.1:9/v1 answered with a body that is not JSON (an HTML page, a proxy's answer?)",
    );
    expectNoSecret(error, [SECRET]);
  });

  test("an HTTP status, from a field or from fromHttp's message, with the error code the body named", () => {
    const status = Object.assign(new ProviderError('Error response received from instance metadata service'), {
      statusCode: 503,
    });
    expect(toSourceError('instance-metadata', status, where)).toMatchObject({ statusCode: 503 });
    const fromHttp = Object.assign(new CredentialsProviderError('Server responded with status: 403'), {
      Code: 'AccessDenied',
      Message: `denied ${SECRET}`,
    });
    const error = toSourceError('container', fromHttp, { where: 'the endpoint' });
    expect(error.message).toBe('container: the endpoint answered HTTP 403 (AccessDenied)');
    expect(error.statusCode).toBe(403);
    expectNoSecret(error, [SECRET]);
  });

  test('the cause is a copy with the safe fields only', () => {
    const sdk = Object.assign(new ProviderError(`failed: ${TOKEN}`), { code: 'EPIPE', body: SECRET, statusCode: 500 });
    const error = toSourceError('sso', sdk, where);
    expect(error.cause).toMatchObject({ name: 'ProviderError', code: 'EPIPE', statusCode: 500 });
    expect(error.cause).not.toHaveProperty('body');
    expectNoSecret(error, [SECRET, TOKEN]);
    expect(inspect(error, { showHidden: true, depth: 5 })).toContain('ProviderError');
  });

  test('a CredentialSourceError passes as it is', () => {
    const error = new CredentialSourceError('environment', 'not set', { tryNextLink: true });
    expect(toSourceError('sso', error, where)).toBe(error);
  });

  test("core's chain goes past a link whose source is not configured, and stops at one that is broken", async () => {
    const notHere = () =>
      Promise.reject(new CredentialSourceError('container', 'not configured', { tryNextLink: true }));
    const broken = () => Promise.reject(new CredentialSourceError('instance-metadata', 'down'));
    const keys = async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
    await expect(chain(notHere, keys)()).resolves.toMatchObject({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    await expect(chain(broken, keys)()).rejects.toThrow('instance-metadata: down');
  });
});

test("the SDK's log lines reach the provider's logger under its tag, redacted", () => {
  const lines: string[] = [];
  const record = (...args: unknown[]) => void lines.push(args.join(' '));
  const logger = sdkLogger({ debug: record, info: record, warn: record, error: record }, 'credchain:imds -');
  logger.debug('@smithy/property-provider ->', `SyntaxError: Unexpected token in JSON "${SECRET}"`);
  logger.warn('Credential renew failed: ', new ProviderError(`failed with ${TOKEN}`));
  expect(lines).toHaveLength(2);
  expect(lines.every((line) => line.startsWith('credchain:imds - sdk:'))).toBe(true);
  expectNoSecret(lines.join('\n'), [SECRET, TOKEN]);
});
