import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { InvalidParameterError, StsError, chain } from '@credchain/core';
import { DEMO_ACCOUNT } from '@credchain/sts-local';
import { expectNoSecret, thrownBy, until } from '@credchain/testkit';
import type { Observed } from '@credchain/testkit';
import { callerArn, expectRefused, localConfig, useStsLocal } from '@credchain/testkit/sts-local';
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
import {
  ROLE_ARN,
  UNTRUSTING_ROLE_ARN,
  mintToken,
  mintWithForeignKey,
  secretsOf,
  sessionArn,
  withPayload,
} from './demoOidc';

// Stands in for a token where no server is involved: recognisable, and never to be shown.
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

const construct = (init: unknown): unknown => thrownBy(() => fromWebIdentity(init as FromWebIdentityInit));

// AssumeRoleWithWebIdentity's own behaviour: the environment fallback, the token as a string, callback
// or file, "not configured" for a chain, what a real verifier refuses. What every provider promises
// (construction checks, RegionDisabled, AccessDenied, no secret shown, …) is in the contract suite,
// packages/credchain/test/contract.
describe('construction', () => {
  test('refuses two token sources at once', () => {
    const error = construct({ params: { RoleArn: ROLE_ARN }, webIdentityToken: TOKEN, webIdentityTokenFile: '/x' });
    expect((error as InvalidParameterError).parameter).toBe('webIdentityToken');
  });

  test.each([
    ['RoleArn', { RoleArn: 'not-an-arn' }],
    ['RoleSessionName', { RoleArn: ROLE_ARN, RoleSessionName: 'has space' }],
    ['DurationSeconds', { RoleArn: ROLE_ARN, DurationSeconds: 60 }],
  ])('names %s when params break STS rules', (parameter, params) => {
    expect((construct({ params, webIdentityToken: TOKEN }) as InvalidParameterError).parameter).toBe(parameter);
  });

  test('checks a string token against STS length rules without echoing it', () => {
    const error = construct({ params: { RoleArn: ROLE_ARN }, webIdentityToken: 'abc' }) as InvalidParameterError;
    expect(error.parameter).toBe('WebIdentityToken');
    const long = construct({
      params: { RoleArn: ROLE_ARN },
      webIdentityToken: `${TOKEN}${'x'.repeat(20_000)}`,
    }) as Error;
    expect((long as InvalidParameterError).parameter).toBe('WebIdentityToken');
    expect(long.message).not.toContain('TOP-SECRET');
  });

  test('refuses a token in params, pointing at webIdentityToken', () => {
    expect(
      (construct({ params: { RoleArn: ROLE_ARN, WebIdentityToken: TOKEN } }) as InvalidParameterError).parameter,
    ).toBe('params.WebIdentityToken');
  });

  test('reads nothing at construction: a missing token file is only an error when fetching', async () => {
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
    const next = {
      accessKeyId: 'AKIANEXT',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date(Date.now() + HOUR),
    };
    const chained = chain(fromWebIdentity(), async () => next);
    await expect(chained()).resolves.toBe(next);
  });

  test('a configured but broken token file stops a chain instead of handing over to another identity', async () => {
    const chained = chain(
      fromWebIdentity({ params: { RoleArn: ROLE_ARN }, webIdentityTokenFile: join(dir, 'missing') }),
      async () => {
        throw new Error('must not be reached');
      },
    );
    await expect(chained()).rejects.toBeInstanceOf(WebIdentityTokenFileError);
  });
});

describe('against sts-local', () => {
  const sts = useStsLocal();

  describe('environment fallback', () => {
    test('AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME and AWS_WEB_IDENTITY_TOKEN_FILE configure it like the SDK', async () => {
      const file = join(dir, 'token');
      writeFileSync(file, `${await mintToken()}\n`);
      process.env[ENV_ROLE_ARN] = ROLE_ARN;
      process.env[ENV_ROLE_SESSION_NAME] = 'from-env';
      process.env[ENV_TOKEN_FILE] = file;
      const provider = fromWebIdentity({ clientConfig: localConfig(sts()) });
      // Read at construction: a later change of the environment does not reconfigure it.
      process.env[ENV_ROLE_ARN] = UNTRUSTING_ROLE_ARN;
      try {
        expect(await callerArn(sts(), provider)).toBe(sessionArn('from-env'));
        expect(sts().calls[0]?.params).toMatchObject({ RoleArn: ROLE_ARN, RoleSessionName: 'from-env' });
      } finally {
        provider.close();
      }
    });

    test('options win over the environment; an empty variable counts as unset', async () => {
      const file = join(dir, 'token');
      writeFileSync(file, 'not-the-token-to-use');
      process.env[ENV_ROLE_ARN] = UNTRUSTING_ROLE_ARN;
      process.env[ENV_ROLE_SESSION_NAME] = '';
      process.env[ENV_TOKEN_FILE] = file;
      const provider = fromWebIdentity({
        params: { RoleArn: ROLE_ARN },
        webIdentityToken: await mintToken(),
        clientConfig: localConfig(sts()),
        refresh: { clock: { now: () => 1_700_000_000_000 } },
      });
      try {
        expect(await callerArn(sts(), await provider.refresh())).toBe(sessionArn('credchain-1700000000000'));
      } finally {
        provider.close();
      }
    });

    test('with nothing configured, a chain moves on to its next link and never calls STS', async () => {
      const next = {
        accessKeyId: 'AKIANEXT',
        secretAccessKey: 's',
        sessionToken: 't',
        expiration: new Date(Date.now() + HOUR),
      };
      const chained = chain(fromWebIdentity({ clientConfig: localConfig(sts()) }), async () => next);
      await expect(chained()).resolves.toBe(next);
      expect(sts().calls).toHaveLength(0);
    });
  });

  test('an unsigned AssumeRoleWithWebIdentity gives credentials sts-local accepts as the role session', async () => {
    const before = Date.now();
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN, RoleSessionName: 'pod-1', DurationSeconds: 900 },
      webIdentityToken: await mintToken({ audience: 'credchain-demo' }),
      clientConfig: localConfig(sts()),
    });
    try {
      const credentials = await provider();
      expect(credentials.accessKeyId).toMatch(/^ASIA/);
      expect(credentials.origin).toBe('role-session');
      expect(credentials.accountId).toBe(DEMO_ACCOUNT);
      expect(credentials.expiration.getTime() - before).toBeGreaterThan(900_000 - 2_000);
      expect(credentials.expiration.getTime() - before).toBeLessThanOrEqual(900_000 + 1_000);
      expect(await callerArn(sts(), provider)).toBe(sessionArn('pod-1'));
      const [assume, identity] = sts().calls;
      expect(assume).toMatchObject({ operation: 'AssumeRoleWithWebIdentity', status: 200, accessKeyId: undefined });
      expect(assume?.params).toMatchObject({ RoleArn: ROLE_ARN, RoleSessionName: 'pod-1', DurationSeconds: '900' });
      expect(identity).toMatchObject({
        operation: 'GetCallerIdentity',
        status: 200,
        accessKeyId: credentials.accessKeyId,
      });
    } finally {
      provider.close();
    }
  });

  // Each refusal STS documents for AssumeRoleWithWebIdentity, produced by a real verifier.
  test.each<[string, () => Promise<{ token: string; RoleArn?: string }>, string, number]>([
    [
      'signed by a key the issuer does not publish',
      async () => ({ token: await mintWithForeignKey() }),
      'InvalidIdentityToken',
      400,
    ],
    [
      'altered after signing',
      async () => ({ token: withPayload(await mintToken(), { sub: 'mallory' }) }),
      'InvalidIdentityToken',
      400,
    ],
    [
      'of an issuer the account does not trust',
      async () => ({ token: await mintToken({ issuer: 'https://oidc.evil.example' }) }),
      'InvalidIdentityToken',
      400,
    ],
    [
      'for another audience',
      async () => ({ token: await mintToken({ audience: 'someone-else' }) }),
      'InvalidIdentityToken',
      400,
    ],
    ['that is not a JWT', async () => ({ token: 'opaque-access-token-0123456789' }), 'InvalidIdentityToken', 400],
    ['past its exp', async () => ({ token: await mintToken({ now: Date.now() - 2 * HOUR }) }), 'ExpiredToken', 400],
  ])('a token %s is a typed StsError that never shows the token', async (_what, make, code, statusCode) => {
    const { token, RoleArn = ROLE_ARN } = await make();
    // Final (no background retry) unless a fresh token could help: an expired one.
    const refusal = { operation: 'AssumeRoleWithWebIdentity', code, statusCode, final: code !== 'ExpiredToken' };
    const build = (seen: Observed) =>
      fromWebIdentity({
        params: { RoleArn },
        webIdentityToken: token,
        clientConfig: localConfig(sts()),
        logger: seen.logger,
        onEvent: seen.onEvent,
        retry: { retries: 0 },
      });
    await expectRefused(sts(), build, refusal, token.includes('.') ? secretsOf(token) : [token]);
  });

  test('re-reads the token file at every fetch: only the file changes from a refused to a good refresh', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, await mintToken());
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN, RoleSessionName: 'pod' },
      webIdentityTokenFile: file,
      clientConfig: localConfig(sts()),
    });
    try {
      await provider();
      writeFileSync(file, await mintToken({ audience: 'someone-else' }));
      expect(await provider.refresh().catch((e: unknown) => (e as StsError).code)).toBe('InvalidIdentityToken');
      writeFileSync(file, `${await mintToken()}\n`);
      expect(await callerArn(sts(), await provider.refresh())).toBe(sessionArn('pod'));
      expect(
        sts()
          .calls.filter((c) => c.operation === 'AssumeRoleWithWebIdentity')
          .map((c) => c.status),
      ).toEqual([200, 400, 200]);
    } finally {
      provider.close();
    }
  });

  test('an empty token file is an error naming the file, not a request', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, '\n');
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN },
      webIdentityTokenFile: file,
      clientConfig: localConfig(sts()),
    });
    try {
      const error = (await provider().catch((e: unknown) => e)) as WebIdentityTokenFileError;
      expect(error).toBeInstanceOf(WebIdentityTokenFileError);
      expect(error.path).toBe(file);
      expect(sts().calls).toHaveLength(0);
    } finally {
      provider.close();
    }
  });

  test('asks the callback for a fresh token at every fetch; its failure keeps the cause, sends nothing', async () => {
    let n = 0;
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN },
      webIdentityToken: async () => {
        n += 1;
        if (n === 3) throw new Error('IdP down');
        return mintToken({ subject: `callback-${n}` });
      },
      clientConfig: localConfig(sts()),
      retry: { retries: 0 },
    });
    try {
      await provider();
      await provider.refresh();
      const error = (await provider.refresh().catch((e: unknown) => e)) as WebIdentityTokenError;
      expect(error).toBeInstanceOf(WebIdentityTokenError);
      expect((error.cause as Error).message).toBe('IdP down');
      expect(sts().calls.map((c) => c.status)).toEqual([200, 200]);
    } finally {
      provider.close();
    }
  });
});

// sts-local verifies tokens against the JWKS in its config and never calls the IdP, so it cannot
// answer IDPCommunicationError; this one documented error comes from a canned transport.
test('IDPCommunicationError is a typed StsError a retry may fix (not final)', async () => {
  const xml =
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
    '<Code>IDPCommunicationError</Code><Message>The request could not be fulfilled because the identity provider ' +
    '(IDP) that was asked to verify the incoming identity token could not be reached.</Message></Error>' +
    '<RequestId>r</RequestId></ErrorResponse>';
  const requestHandler = {
    handle: async () => ({
      response: { statusCode: 400, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) },
    }),
  };
  const provider = fromWebIdentity({
    params: { RoleArn: ROLE_ARN },
    webIdentityToken: TOKEN,
    clientConfig: { region: 'us-east-1', requestHandler },
    retry: { retries: 0 },
  });
  try {
    const error = (await provider().catch((e: unknown) => e)) as StsError;
    expect(error).toBeInstanceOf(StsError);
    expect(error.code).toBe('IDPCommunicationError');
    expect(error.final).toBe(false);
    expectNoSecret(error, ['TOP-SECRET']);
  } finally {
    provider.close();
  }
});

describe('refresh across expiry, on a fake clock sts-local shares', () => {
  // A server per test, started after FAKE_TIMERS are installed (the fake clock at the real now).
  const sts = useStsLocal({ per: 'test', fakeNow: () => Date.now() });

  test('the token file is re-read for every refresh, and the rotated token is what sts-local verifies', async () => {
    const file = join(dir, 'token');
    // Ten-minute tokens, rotated by "the kubelet" at half-life; 15-minute credentials, refreshed
    // 540 s after issue (jitter 0). Each refresh falls after the previous token's expiry, so only
    // the rotated token can succeed.
    const rotate = async () => writeFileSync(file, await mintToken({ lifetimeSeconds: 600 }));
    await rotate();
    const successes: number[] = [];
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN, RoleSessionName: 'pod', DurationSeconds: 900 },
      webIdentityTokenFile: file,
      clientConfig: localConfig(sts()),
      refresh: { jitter: 0 },
      onEvent: (event) => void (event.type === 'refresh-success' && successes.push(Date.now())),
    });
    try {
      const first = await provider();
      expect(await callerArn(sts(), first)).toBe(sessionArn('pod'));

      await jest.advanceTimersByTimeAsync(300_000);
      await rotate(); // t = 300 s: token 2, valid until 900 s
      await jest.advanceTimersByTimeAsync(300_000); // t = 600 s: token 1 has expired; the timer fired at 540 s
      await until(() => successes.length === 2);
      const second = await provider();
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
      expect(await callerArn(sts(), provider)).toBe(sessionArn('pod'));

      // t = 910 s: the first credentials and token 2 have expired. Not rotated, a refresh is refused.
      await jest.advanceTimersByTimeAsync(310_000);
      expect(((await callerArn(sts(), first).catch((e: unknown) => e)) as Error).name).toMatch(/^ExpiredToken/);
      expect(await provider.refresh().catch((e: unknown) => (e as StsError).code)).toBe('ExpiredToken');
      // Rotated, the same provider succeeds: the file's new content is what reached sts-local.
      await rotate();
      const third = await provider.refresh();
      expect(third.accessKeyId).not.toBe(second.accessKeyId);
      expect(await callerArn(sts(), provider)).toBe(sessionArn('pod'));
      const assumed = sts().calls.filter((c) => c.operation === 'AssumeRoleWithWebIdentity');
      expect(assumed.map((c) => c.errorCode ?? c.status)).toEqual([200, 200, 'ExpiredTokenException', 200]);
    } finally {
      provider.close();
    }
  });

  test('a callback token is asked for again when the credentials expire', async () => {
    const webIdentityToken = jest.fn(() => mintToken({ lifetimeSeconds: 600 }));
    const provider = fromWebIdentity({
      params: { RoleArn: ROLE_ARN, RoleSessionName: 'cb', DurationSeconds: 900 },
      webIdentityToken,
      clientConfig: localConfig(sts()),
      refresh: { background: false },
    });
    try {
      await provider();
      jest.advanceTimersByTime(900_001);
      expect(await callerArn(sts(), provider)).toBe(sessionArn('cb'));
      expect(webIdentityToken).toHaveBeenCalledTimes(2);
    } finally {
      provider.close();
    }
  });
});
