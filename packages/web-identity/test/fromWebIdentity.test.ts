import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { InvalidParameterError, StsError, chain } from '@credchain/core';
import { CredentialsProviderError } from '@smithy/property-provider';

import {
  ENV_ROLE_ARN,
  ENV_ROLE_SESSION_NAME,
  ENV_TOKEN_FILE,
  WebIdentityTokenError,
  WebIdentityTokenFileError,
  fromWebIdentity,
} from '../src';
import type { FromWebIdentityInit } from '../src';
import { cannedSts, credentialsXml, errorXml } from './cannedSts';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/workload';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.TOP-SECRET-TOKEN.signature';
const HOUR = 3_600_000;
const ENV_KEYS = [ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME, ENV_TOKEN_FILE];

let dir: string;
const saved: Record<string, string | undefined> = {};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credchain-web-identity-'));
  for (const key of ENV_KEYS) {
    saved[key] = process.env[key];
    delete process.env[key];
  }
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

function sts() {
  return cannedSts(() => ({
    status: 200,
    xml: credentialsXml('AssumeRoleWithWebIdentity', new Date(Date.now() + HOUR), 'arn:aws:sts::123456789012:assumed-role/workload/s'),
  }));
}

function construct(init: unknown): unknown {
  try {
    fromWebIdentity(init as FromWebIdentityInit);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('construction', () => {
  test.each(['sourceCredentials', 'masterCredentials'])('refuses %s: the call is unsigned', (key) => {
    const error = construct({ params: { RoleArn: ROLE_ARN }, webIdentityToken: TOKEN, [key]: { accessKeyId: 'A', secretAccessKey: 'B' } });
    expect((error as InvalidParameterError).parameter).toBe(key);
  });

  test('refuses two token sources at once', () => {
    const error = construct({ params: { RoleArn: ROLE_ARN }, webIdentityToken: TOKEN, webIdentityTokenFile: '/x' });
    expect((error as InvalidParameterError).parameter).toBe('webIdentityToken');
  });

  test.each([
    ['RoleArn', { RoleArn: 'not-an-arn' }],
    ['RoleSessionName', { RoleArn: ROLE_ARN, RoleSessionName: 'has space' }],
    ['DurationSeconds', { RoleArn: ROLE_ARN, DurationSeconds: 60 }],
    ['ProviderId', { RoleArn: ROLE_ARN, ProviderId: 'ab' }],
  ])('names %s when params break STS rules', (parameter, params) => {
    expect((construct({ params, webIdentityToken: TOKEN }) as InvalidParameterError).parameter).toBe(parameter);
  });

  test('checks a string token against STS length rules without echoing it', () => {
    const error = construct({ params: { RoleArn: ROLE_ARN }, webIdentityToken: 'abc' }) as InvalidParameterError;
    expect(error.parameter).toBe('WebIdentityToken');
    const long = construct({ params: { RoleArn: ROLE_ARN }, webIdentityToken: `${TOKEN}${'x'.repeat(20_000)}` }) as Error;
    expect((long as InvalidParameterError).parameter).toBe('WebIdentityToken');
    expect(long.message).not.toContain('TOP-SECRET');
  });

  test('refuses a token in params and a token of the wrong type', () => {
    expect((construct({ params: { RoleArn: ROLE_ARN, WebIdentityToken: TOKEN } }) as InvalidParameterError).parameter).toBe(
      'params.WebIdentityToken',
    );
    expect((construct({ params: { RoleArn: ROLE_ARN }, webIdentityToken: 7 }) as InvalidParameterError).parameter).toBe('webIdentityToken');
  });

  test('reads nothing at construction: a missing token file is only an error when fetching', async () => {
    const callback = jest.fn(async () => TOKEN);
    fromWebIdentity({ params: { RoleArn: ROLE_ARN }, webIdentityToken: callback }).close();
    expect(callback).not.toHaveBeenCalled();
    const provider = fromWebIdentity({ params: { RoleArn: ROLE_ARN }, webIdentityTokenFile: join(dir, 'missing') });
    const error = (await provider().catch((e: unknown) => e)) as WebIdentityTokenFileError;
    expect(error).toBeInstanceOf(WebIdentityTokenFileError);
    expect(error.message).toContain('ENOENT');
    expect((error as { tryNextLink?: unknown }).tryNextLink).toBeUndefined();
  });
});

describe('not configured', () => {
  test('with nothing configured, calls reject with a CredentialsProviderError that lets a chain move on', async () => {
    const provider = fromWebIdentity();
    const error = (await provider().catch((e: unknown) => e)) as CredentialsProviderError;
    expect(error).toBeInstanceOf(CredentialsProviderError);
    expect(error.tryNextLink).toBe(true);
    expect(error.message).toContain(ENV_ROLE_ARN);
    expect(error.message).toContain(ENV_TOKEN_FILE);
    await expect(provider.refresh()).rejects.toBeInstanceOf(CredentialsProviderError);
  });

  test.each([
    ['a token but no role ARN', { webIdentityToken: TOKEN }, ENV_ROLE_ARN],
    ['a role ARN but no token', { params: { RoleArn: ROLE_ARN } }, ENV_TOKEN_FILE],
  ])('with %s it says what is missing', async (_what, init, missing) => {
    const error = (await fromWebIdentity(init)().catch((e: unknown) => e)) as CredentialsProviderError;
    expect(error.tryNextLink).toBe(true);
    expect(error.message).toContain(missing);
    expect(error.message).not.toContain('TOP-SECRET');
  });

  test('a chain moves past it to the next link', async () => {
    const next = { accessKeyId: 'AKIANEXT', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + HOUR) };
    const chained = chain(fromWebIdentity(), async () => next);
    await expect(chained()).resolves.toBe(next);
  });

  test('a configured but broken token file stops a chain instead of handing over to another identity', async () => {
    const chained = chain(fromWebIdentity({ params: { RoleArn: ROLE_ARN }, webIdentityTokenFile: join(dir, 'missing') }), async () => {
      throw new Error('must not be reached');
    });
    await expect(chained()).rejects.toBeInstanceOf(WebIdentityTokenFileError);
  });
});

describe('environment fallback', () => {
  test('AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME and AWS_WEB_IDENTITY_TOKEN_FILE configure it like the SDK', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, `${TOKEN}\n`);
    process.env[ENV_ROLE_ARN] = ROLE_ARN;
    process.env[ENV_ROLE_SESSION_NAME] = 'from-env';
    process.env[ENV_TOKEN_FILE] = file;
    const wire = sts();
    const provider = fromWebIdentity({ clientConfig: { region: 'us-east-1', requestHandler: wire.requestHandler } });
    // Read at construction: a later change of the environment does not reconfigure it.
    process.env[ENV_ROLE_ARN] = 'arn:aws:iam::123456789012:role/other';
    await provider();
    const form = wire.sent[0]!.form;
    expect(form.get('RoleArn')).toBe(ROLE_ARN);
    expect(form.get('RoleSessionName')).toBe('from-env');
    expect(form.get('WebIdentityToken')).toBe(TOKEN);
    provider.close();
  });

  test('options win over the environment; an empty variable counts as unset', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'env-file-token');
    process.env[ENV_ROLE_ARN] = 'arn:aws:iam::123456789012:role/from-env';
    process.env[ENV_ROLE_SESSION_NAME] = '';
    process.env[ENV_TOKEN_FILE] = file;
    const wire = sts();
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN },
      webIdentityToken: TOKEN,
      clientConfig: { region: 'us-east-1', requestHandler: wire.requestHandler },
      refresh: { clock: { now: () => 1_700_000_000_000 } },
    });
    await provider.refresh();
    const form = wire.sent[0]!.form;
    expect(form.get('RoleArn')).toBe(ROLE_ARN);
    expect(form.get('WebIdentityToken')).toBe(TOKEN);
    expect(form.get('RoleSessionName')).toBe('credchain-1700000000000');
  });
});

describe('on the wire', () => {
  test('sends an unsigned AssumeRoleWithWebIdentity, even where the endpoint rules would ask for SigV4', async () => {
    const wire = sts();
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN, RoleSessionName: 'pod-1', DurationSeconds: 900 },
      webIdentityToken: TOKEN,
      clientConfig: { region: 'aws-global', requestHandler: wire.requestHandler },
    });
    const credentials = await provider();
    expect(credentials.origin).toBe('role-session');
    expect(credentials.accountId).toBe('123456789012');
    const request = wire.sent[0]!;
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form.get('Action')).toBe('AssumeRoleWithWebIdentity');
    expect(request.form.get('DurationSeconds')).toBe('900');
    provider.close();
  });

  test('re-reads the token file on every fetch', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'token-generation-1');
    const wire = sts();
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN },
      webIdentityTokenFile: file,
      clientConfig: { region: 'us-east-1', requestHandler: wire.requestHandler },
    });
    await provider();
    writeFileSync(file, 'token-generation-2');
    await provider.refresh();
    expect(wire.sent.map((r) => r.form.get('WebIdentityToken'))).toEqual(['token-generation-1', 'token-generation-2']);
    provider.close();
  });

  test('an empty token file is an error naming the file, not a request', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, '\n');
    const wire = sts();
    const provider = fromWebIdentity({ params: { RoleArn: ROLE_ARN }, webIdentityTokenFile: file, clientConfig: { region: 'us-east-1', requestHandler: wire.requestHandler } });
    const error = (await provider().catch((e: unknown) => e)) as WebIdentityTokenFileError;
    expect(error).toBeInstanceOf(WebIdentityTokenFileError);
    expect(error.path).toBe(file);
    expect(wire.sent).toHaveLength(0);
  });

  test('asks the callback for a fresh token on every fetch; its failure keeps the cause', async () => {
    let n = 0;
    const wire = sts();
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN },
      webIdentityToken: async () => {
        n += 1;
        if (n === 3) throw new Error('IdP down');
        return `callback-token-${n}`;
      },
      clientConfig: { region: 'us-east-1', requestHandler: wire.requestHandler },
    });
    await provider();
    await provider.refresh();
    const error = (await provider.refresh().catch((e: unknown) => e)) as WebIdentityTokenError;
    expect(error).toBeInstanceOf(WebIdentityTokenError);
    expect((error.cause as Error).message).toBe('IdP down');
    expect(wire.sent.map((r) => r.form.get('WebIdentityToken'))).toEqual(['callback-token-1', 'callback-token-2']);
  });

  test('an STS refusal is a typed StsError; the token is in no error, log line, event or inspection', async () => {
    const wire = cannedSts(() => ({ status: 400, xml: errorXml('ExpiredToken', 'Token expired: current date/time 1 must be before the expiration date/time 0') }));
    const logged: unknown[] = [];
    const events: unknown[] = [];
    const log = (...args: unknown[]): void => void logged.push(args);
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN },
      webIdentityToken: TOKEN,
      clientConfig: { region: 'us-east-1', requestHandler: wire.requestHandler },
      logger: { debug: log, info: log, warn: log, error: log },
      onEvent: (event) => void events.push(event),
    });
    const error = (await provider().catch((e: unknown) => e)) as StsError;
    expect(error).toBeInstanceOf(StsError);
    expect(error.code).toBe('ExpiredToken');
    expect(logged.length).toBeGreaterThan(0);
    const shown = [error.message, inspect(error, { depth: 8 }), inspect(logged, { depth: 8 }), inspect(events, { depth: 8 }), inspect(provider, { showHidden: true })];
    for (const text of shown) expect(text).not.toContain('TOP-SECRET');
  });
});
