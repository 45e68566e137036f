import { createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import {
  demoOidcSigningMaterial,
  mintWebIdentityToken,
  verifyWebIdentityToken,
  WebIdentityVerificationError,
  type MintWebIdentityTokenOptions,
} from '../src/oidc';

const NOW = Date.UTC(2030, 0, 15, 12, 0, 0);
const NOW_S = NOW / 1000;
const ISSUER = 'https://oidc.sts-local.example';
const AUDIENCE = 'sts.amazonaws.com';
const { privateJwk, publicJwks, kid } = demoOidcSigningMaterial;
const provider = { issuer: 'oidc.sts-local.example', audiences: [AUDIENCE], jwks: publicJwks, now: NOW };

const mint = (overrides: Partial<MintWebIdentityTokenOptions> = {}): Promise<string> =>
  mintWebIdentityToken({
    issuer: ISSUER,
    subject: 'repo:acme/app:ref:refs/heads/main',
    audience: AUDIENCE,
    privateJwk,
    kid,
    now: NOW,
    ...overrides,
  });

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Asserts a refusal with the given STS code and message, and that the message quotes nothing of the token. */
async function expectRefusal(
  token: string,
  code: WebIdentityVerificationError['code'],
  message: RegExp,
  opts = provider,
): Promise<void> {
  const error = await verifyWebIdentityToken(token, opts).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(WebIdentityVerificationError);
  const { name, code: actualCode, message: actualMessage } = error as WebIdentityVerificationError;
  expect({ name, code: actualCode, message: actualMessage }).toEqual({
    name: 'WebIdentityVerificationError',
    code,
    message: expect.stringMatching(message) as unknown,
  });
  for (const part of token.split('.')) if (part.length >= 8) expect(actualMessage).not.toContain(part.slice(0, 16));
}

describe('verifyWebIdentityToken accepts what a real OIDC provider issues', () => {
  test('a minted token round-trips with its claims, reporting the matched audience', async () => {
    const token = await mint({ claims: { email: 'dev@acme.example' } });
    await expect(verifyWebIdentityToken(token, provider)).resolves.toEqual({
      iss: ISSUER,
      sub: 'repo:acme/app:ref:refs/heads/main',
      aud: AUDIENCE,
      iat: NOW_S,
      exp: NOW_S + 3600,
      email: 'dev@acme.example',
    });
  });

  test('the issuer matches with or without https://, as IAM stores provider URLs without it', async () => {
    const token = await mint();
    await expect(verifyWebIdentityToken(token, { ...provider, issuer: ISSUER })).resolves.toMatchObject({
      iss: ISSUER,
    });
    const bare = await mint({ issuer: 'oidc.sts-local.example' });
    await expect(verifyWebIdentityToken(bare, { ...provider, issuer: ISSUER })).resolves.toMatchObject({
      iss: 'oidc.sts-local.example',
    });
  });

  test('an aud array is accepted when one entry is a client ID of the provider', async () => {
    const token = await mint({ claims: { aud: ['other-client', AUDIENCE] } });
    await expect(verifyWebIdentityToken(token, provider)).resolves.toMatchObject({ aud: AUDIENCE });
  });

  test('an ES256 (EC P-256) provider key verifies too', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const ecJwk = { ...(await exportJWK(privateKey)), kid: 'ec-1' };
    const token = await mint({ privateJwk: ecJwk, kid: 'ec-1' });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({
      alg: 'ES256',
      kid: 'ec-1',
    });
    const jwks = { keys: [...publicJwks.keys, { ...(await exportJWK(publicKey)), kid: 'ec-1' }] };
    await expect(verifyWebIdentityToken(token, { ...provider, jwks })).resolves.toMatchObject({
      sub: 'repo:acme/app:ref:refs/heads/main',
    });
  });

  test('exp is honoured: valid up to the last millisecond before it, ExpiredToken from exp on', async () => {
    const token = await mint({ lifetimeSeconds: 600 });
    await expect(verifyWebIdentityToken(token, { ...provider, now: NOW + 599_999 })).resolves.toMatchObject({
      exp: NOW_S + 600,
    });
    await expectRefusal(
      token,
      'ExpiredToken',
      /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/,
      {
        ...provider,
        now: NOW + 600_000,
      },
    );
  });
});

describe('verifyWebIdentityToken refuses tokens STS would refuse', () => {
  test('a token signed by another key under the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const token = await mint({ privateJwk: await exportJWK(privateKey) });
    await expectRefusal(token, 'InvalidIdentityToken', /signature/);
  });

  test('a token whose payload was changed after signing', async () => {
    const [header, payload, signature] = (await mint()).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${b64url({ ...claims, sub: 'repo:acme/app:environment:production' })}.${signature}`;
    await expectRefusal(forged, 'InvalidIdentityToken', /signature/);
  });

  test('a kid the provider does not publish', async () => {
    await expectRefusal(
      await mint({ kid: 'rotated-away' }),
      'InvalidIdentityToken',
      /^Couldn't retrieve verification key from your identity provider/,
    );
  });

  test('another issuer', async () => {
    await expectRefusal(
      await mint({ issuer: 'https://evil.example' }),
      'InvalidIdentityToken',
      /^No OpenIDConnect provider found in your account for https:\/\/evil\.example$/,
    );
  });

  test('an audience that is not one of the provider client IDs', async () => {
    await expectRefusal(
      await mint({ audience: 'some-other-client' }),
      'InvalidIdentityToken',
      /^Incorrect token audience$/,
    );
  });

  test('an nbf or an iat in the future', async () => {
    await expectRefusal(await mint({ claims: { nbf: NOW_S + 1 } }), 'InvalidIdentityToken', /not yet valid/);
    await expectRefusal(await mint({ claims: { iat: NOW_S + 1 } }), 'InvalidIdentityToken', /issued in the future/);
  });

  test('a token without exp or without sub', async () => {
    await expectRefusal(await mint({ claims: { exp: undefined } }), 'InvalidIdentityToken', /no exp claim/);
    await expectRefusal(await mint({ claims: { sub: undefined } }), 'InvalidIdentityToken', /no sub claim/);
  });

  test('an unsigned token (alg none)', async () => {
    const claims = { iss: ISSUER, sub: 'x', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 60 };
    await expectRefusal(
      `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`,
      'InvalidIdentityToken',
      /signing algorithm/,
    );
  });

  test('an HS256 token keyed with the public RSA modulus (algorithm confusion)', async () => {
    const claims = { iss: ISSUER, sub: 'x', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 60 };
    const input = `${b64url({ alg: 'HS256', kid })}.${b64url(claims)}`;
    const secret = (publicJwks.keys[0] as { n: string }).n;
    const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    await expectRefusal(token, 'InvalidIdentityToken', /signing algorithm/);
  });

  test.each([
    ['an empty string', ''],
    ['an opaque access token', 'ya29.a0AfH6SMBx'],
    ['two segments', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0'],
    ['a header that is not JSON', `${Buffer.from('not json').toString('base64url')}.${b64url({ sub: 'x' })}.c2ln`],
    [
      'a payload that is not JSON',
      `${b64url({ alg: 'RS256', kid })}.${Buffer.from('nope').toString('base64url')}.c2ln`,
    ],
  ])('a malformed token: %s', async (_what, token) => {
    await expectRefusal(token, 'InvalidIdentityToken', /not a valid JWT|signature/);
  });

  test('options are checked before the token', async () => {
    const token = await mint();
    await expect(verifyWebIdentityToken(token, { ...provider, now: Number.NaN })).rejects.toThrow(TypeError);
    await expect(verifyWebIdentityToken(token, { ...provider, audiences: [] })).rejects.toThrow(/audiences/);
    await expect(verifyWebIdentityToken(token, { ...provider, jwks: { keys: 'x' } as never })).rejects.toThrow(/jwks/);
  });
});

describe('mintWebIdentityToken', () => {
  test('writes the kid and alg headers and the lifetime from now, never the wall clock', async () => {
    const [header, payload] = (await mint({ lifetimeSeconds: 900 })).split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'RS256', kid, typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({ iat: NOW_S, exp: NOW_S + 900 });
  });

  test('refuses a public key as privateJwk', async () => {
    await expect(mint({ privateJwk: publicJwks.keys[0]! })).rejects.toThrow(/privateJwk/);
  });
});
