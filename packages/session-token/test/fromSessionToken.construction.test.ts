import { InvalidParameterError, InvalidSourceCredentialsError } from '@credchain/core';
import { expectNoSecret } from '@credchain/testkit';
import { ALICE, ALICE_SERIAL, localConfig, useStsLocal } from '@credchain/testkit/sts-local';

import { fromSessionToken } from '../src';
import type { FromSessionTokenInit } from '../src';

// Every check runs when fromSessionToken is called: a live sts-local stands by and must hear nothing.
const sts = useStsLocal();
afterEach(() => {
  expect(sts().calls).toHaveLength(0);
});

function refusal(init: unknown): Error {
  try {
    fromSessionToken({
      sourceCredentials: ALICE,
      clientConfig: localConfig(sts()),
      ...(init as FromSessionTokenInit),
    }).close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected fromSessionToken to throw');
}

function parameterOf(init: unknown): InvalidParameterError {
  const error = refusal(init);
  expect(error).toBeInstanceOf(InvalidParameterError);
  return error as InvalidParameterError;
}

describe('fromSessionToken refuses bad input when it is created', () => {
  test('init and params must be objects', () => {
    expect(() => fromSessionToken(null as unknown as FromSessionTokenInit)).toThrow(InvalidParameterError);
    expect(parameterOf({ params: 'DurationSeconds=900' }).parameter).toBe('params');
    expect(parameterOf({ params: null }).parameter).toBe('params');
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['DurationSeconds', { DurationSeconds: 899 }, /between 900 and 129600/],
    ['DurationSeconds', { DurationSeconds: 129_601 }, /between 900 and 129600/],
    ['DurationSeconds', { DurationSeconds: 3600.5 }, /integer/],
    ['SerialNumber', { SerialNumber: 'mfa/ali' }, /\{9,256\}/],
    ['SerialNumber', { SerialNumber: 'arn:aws:iam::111122223333:mfa/a lice' }, /" " is not allowed/],
    ['TokenCode', { SerialNumber: ALICE_SERIAL, TokenCode: '12345' }, /exactly 6 digits/],
    ['TokenCode', { TokenCode: '123456' }, /needs SerialNumber/],
    ['MinimumSessionTokenSize', { MinimumSessionTokenSize: 5000 }, /between 0 and 4096/],
    ['Serialnumber', { Serialnumber: ALICE_SERIAL }, /did you mean SerialNumber/],
  ])('names %s', (parameter, params, rule) => {
    const error = parameterOf({ params, mfaCodeProvider: async () => '123456' });
    expect(error.parameter).toBe(parameter);
    expect(error.rule).toMatch(rule);
  });

  test('a SerialNumber needs an mfaCodeProvider (or a one-off TokenCode)', () => {
    const error = parameterOf({ params: { SerialNumber: ALICE_SERIAL } });
    expect(error.parameter).toBe('mfaCodeProvider');
    expect(error.rule).toMatch(/required when SerialNumber is set/);
    expect(parameterOf({ params: { SerialNumber: ALICE_SERIAL }, mfaCodeProvider: 'totp' }).parameter).toBe(
      'mfaCodeProvider',
    );
    expect(() =>
      fromSessionToken({ params: { SerialNumber: ALICE_SERIAL, TokenCode: '123456' } }).close(),
    ).not.toThrow();
  });

  test('a TokenCode never reaches the message', () => {
    expectNoSecret(parameterOf({ params: { SerialNumber: ALICE_SERIAL, TokenCode: '12345a' } }), ['12345a']);
  });

  test.each(['sourceCredentials', 'masterCredentials'])(
    'refuses %s holding a session token, without sending or showing it',
    (key) => {
      const temporary = {
        accessKeyId: 'ASIAEXAMPLETEMPORARY',
        secretAccessKey: 'temporarySecretKey/credchain/EXAMPLE0000',
        sessionToken: 'FwoGZXIvYXdzEXAMPLE-session-token-value',
      };
      const error = refusal({ sourceCredentials: undefined, [key]: temporary });
      expect(error).toBeInstanceOf(InvalidSourceCredentialsError);
      expect(error.message).toMatch(/GetSessionToken accepts only long-term keys/);
      expect(error.message).toMatch(new RegExp(key));
      expectNoSecret(error, [temporary.secretAccessKey, temporary.sessionToken]);
    },
  );

  test('the common options are checked too', () => {
    expect(parameterOf({ masterCredentials: ALICE }).parameter).toBe('sourceCredentials');
    expect(parameterOf({ clientConfig: 'us-east-1' }).parameter).toBe('clientConfig');
  });

  test('no params at all is valid, and init is left untouched', () => {
    const params = { DurationSeconds: 900 };
    const init = { params, sourceCredentials: ALICE, clientConfig: localConfig(sts()) };
    fromSessionToken(init).close();
    expect(init.params).toBe(params);
    expect(params).toEqual({ DurationSeconds: 900 });
    expect(() => fromSessionToken().close()).not.toThrow();
  });
});
