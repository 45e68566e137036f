import { STSClient } from '@aws-sdk/client-sts';

import { CredchainError, InvalidParameterError, InvalidSourceCredentialsError, MfaCodeRejectedError } from '../src';
import {
  callbackSource,
  frozenParams,
  noopLogger,
  refuseSourceCredentials,
  requireLongTermKeys,
  stsMfa,
} from '../src/provider-kit';
import { stsError } from './helpers';

// Unit tests of the steps the provider factories share; the providers' contract suite
// (packages/credchain/test/contract) holds them to these promises against sts-local.

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('frozenParams', () => {
  const spec = { operation: 'AssumeRole', fields: 'RoleArn, …' };

  test('copies params deeply and freezes the copy: the caller changing theirs later changes nothing', () => {
    const params = { RoleArn: 'arn', PolicyArns: [{ arn: 'a' }], Tags: [{ Key: 'k', Value: 'v' }] };
    const copy = frozenParams({ params }, spec);
    params.PolicyArns[0]!.arn = 'changed';
    params.PolicyArns.push({ arn: 'more' });
    params.Tags[0]!.Value = 'changed';
    params.RoleArn = 'changed';
    expect(copy).toEqual({ RoleArn: 'arn', PolicyArns: [{ arn: 'a' }], Tags: [{ Key: 'k', Value: 'v' }] });
    expect(Object.isFrozen(copy)).toBe(true);
    expect(Object.isFrozen(copy.PolicyArns)).toBe(true);
    expect(Object.isFrozen(copy.PolicyArns[0])).toBe(true);
  });

  test('never touches the caller’s object, even a frozen one', () => {
    const params = Object.freeze({ RoleArn: 'arn', PolicyArns: Object.freeze([Object.freeze({ arn: 'a' })]) });
    expect(frozenParams({ params }, spec)).not.toBe(params);
  });

  test.each<[string, unknown, string]>([
    ['init', null, 'init'],
    ['init', 'arn', 'init'],
    ['params missing', {}, 'params'],
    ['params a string', { params: 'arn' }, 'params'],
    ['params an array', { params: [] }, 'params'],
  ])('names what is wrong: %s', (_, init, parameter) => {
    expect(thrown(() => frozenParams(init as never, spec))).toMatchObject({ parameter });
  });

  test('optional params may be left out: an empty, frozen input', () => {
    const init: { params?: { DurationSeconds?: number } } = {};
    const copy = frozenParams(init, {
      operation: 'GetSessionToken',
      optional: true,
    });
    expect(copy).toEqual({});
    expect(Object.isFrozen(copy)).toBe(true);
  });

  test('a parameter that travels beside params is refused by name, pointing at its option', () => {
    const error = thrown(() =>
      frozenParams(
        { params: { RoleArn: 'arn', SAMLAssertion: 'secret-assertion' } },
        { operation: 'AssumeRoleWithSAML', elsewhere: { SAMLAssertion: 'samlAssertion' } },
      ),
    );
    expect(error).toMatchObject({ parameter: 'params.SAMLAssertion' });
    expect((error as Error).message).toContain('samlAssertion');
    expect((error as Error).message).not.toContain('secret-assertion');
  });

  test('a structure that contains itself is refused, naming where', () => {
    const tag: Record<string, unknown> = { Key: 'k' };
    tag.Value = tag;
    expect(thrown(() => frozenParams({ params: { Tags: [tag] } }, spec))).toMatchObject({
      parameter: 'Tags[0].Value',
    });
  });

  test('the same object twice is no cycle', () => {
    const arn = { arn: 'a' };
    expect(frozenParams({ params: { PolicyArns: [arn, arn] } }, spec)).toEqual({ PolicyArns: [arn, arn] });
  });
});

describe('refuseSourceCredentials', () => {
  test.each(['sourceCredentials', 'masterCredentials'])('names %s: the call is unsigned', (key) => {
    const error = thrown(() => refuseSourceCredentials({ [key]: {} }, 'AssumeRoleWithSAML', 'the SAML assertion'));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error).toMatchObject({ parameter: key });
    expect((error as Error).message).toMatch(/unsigned call, the SAML assertion is the proof/);
  });

  test('lets options without them through', () => {
    expect(() => refuseSourceCredentials({ clientConfig: {} }, 'AssumeRoleWithSAML', 'x')).not.toThrow();
  });
});

describe('requireLongTermKeys', () => {
  const KEYS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'long-term-secret-key' };
  const SESSION = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'session-secret-key', sessionToken: 'session-token' };

  test.each(['sourceCredentials', 'masterCredentials'])('refuses static session credentials as %s, now', (key) => {
    const error = thrown(() => requireLongTermKeys({ [key]: SESSION }, 'GetSessionToken'));
    expect(error).toBeInstanceOf(InvalidSourceCredentialsError);
    expect((error as Error).message).toMatch(new RegExp(`^${key} holds a session token: GetSessionToken`));
    expect((error as Error).message).not.toContain(SESSION.secretAccessKey);
  });

  test('at fetch, refuses session credentials a provider source resolves to, naming only the key id', async () => {
    const client = new STSClient({ region: 'us-east-1', credentials: async () => SESSION });
    const check = requireLongTermKeys({ sourceCredentials: async () => SESSION }, 'GetFederationToken');
    const error = await check(client).catch((e: unknown) => e);
    client.destroy();
    expect(error).toBeInstanceOf(InvalidSourceCredentialsError);
    expect((error as Error).message).toContain(SESSION.accessKeyId);
    expect((error as Error).message).not.toContain(SESSION.sessionToken);
  });

  test('long-term keys pass, at creation and at fetch', async () => {
    const client = new STSClient({ region: 'us-east-1', credentials: KEYS });
    await expect(requireLongTermKeys({ sourceCredentials: KEYS }, 'GetSessionToken')(client)).resolves.toBeUndefined();
    client.destroy();
  });
});

describe('callbackSource', () => {
  class SourceError extends CredchainError {
    override name = 'SourceError';
  }
  const options = (check: (value: string) => void = () => undefined) => ({
    provider: 'test',
    option: 'token',
    what: 'a non-empty token',
    error: SourceError,
    check,
    logger: noopLogger,
  });

  test('a string is the value of every fetch', async () => {
    const get = callbackSource('the-token', options());
    await expect(get()).resolves.toBe('the-token');
    await expect(get()).resolves.toBe('the-token');
  });

  test('a callback is asked at each fetch, not before, and its answers are checked', async () => {
    let asked = 0;
    const check = jest.fn();
    const get = callbackSource(async () => `token-${++asked}`, options(check));
    expect(asked).toBe(0);
    await expect(get()).resolves.toBe('token-1');
    await expect(get()).resolves.toBe('token-2');
    expect(check.mock.calls).toEqual([['token-1'], ['token-2']]);
  });

  test('anything else is refused at creation, naming the option', () => {
    expect(thrown(() => callbackSource(42, options()))).toMatchObject({ parameter: 'token' });
    expect(thrown(() => callbackSource(undefined, options()))).toBeInstanceOf(InvalidParameterError);
  });

  test("a failing callback is the provider's error, with the cause kept", async () => {
    const cause = new Error('IdP down');
    const error = await callbackSource(() => Promise.reject(cause), options())().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toContain('IdP down');
  });

  test.each([42, '', undefined])(
    'a callback answering %p is the provider’s error, the value not shown',
    async (value) => {
      const error = await callbackSource(async () => value, options())().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as Error).message).toBe('the token callback must resolve to a non-empty token');
    },
  );
});

describe('stsMfa', () => {
  const SERIAL = 'arn:aws:iam::111122223333:mfa/erin';
  const emit = jest.fn();

  test('without SerialNumber the input passes as it is, and errors as they are', async () => {
    const mfa = stsMfa({ provider: 'test', params: {}, mfaCodeProvider: undefined, emit });
    const input = { DurationSeconds: 900 };
    expect(await mfa.withTokenCode(input)).toBe(input);
    const denied = stsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    await expect(mfa.send('GetSessionToken', () => Promise.reject(denied))).rejects.toBe(denied);
  });

  test('a one-off TokenCode serves one fetch; SerialNumber without a way to get codes is refused', async () => {
    const mfa = stsMfa({
      provider: 'test',
      params: { SerialNumber: SERIAL, TokenCode: '123456' },
      mfaCodeProvider: undefined,
      emit,
    });
    expect(await mfa.withTokenCode({})).toEqual({ TokenCode: '123456' });
    await expect(mfa.withTokenCode({})).rejects.toMatchObject({ parameter: 'TokenCode' });
    expect(
      thrown(() => stsMfa({ provider: 'test', params: { SerialNumber: SERIAL }, mfaCodeProvider: undefined, emit })),
    ).toMatchObject({
      parameter: 'mfaCodeProvider',
    });
  });

  test('STS refusing the code is MfaCodeRejectedError with the cause; other refusals pass as they are', async () => {
    const mfa = stsMfa({
      provider: 'test',
      params: { SerialNumber: SERIAL, TokenCode: '123456' },
      mfaCodeProvider: undefined,
      emit,
    });
    const refused = stsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    const error = await mfa.send('AssumeRole', () => Promise.reject(refused)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MfaCodeRejectedError);
    expect(error).toMatchObject({ serialNumber: SERIAL, final: true });
    expect((error as Error).cause).toBe(refused);
    const other = stsError('AccessDenied', 'User: x is not authorized to perform: sts:AssumeRole');
    await expect(mfa.send('AssumeRole', () => Promise.reject(other))).rejects.toBe(other);
  });
});
