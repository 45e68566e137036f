import { InvalidParameterError } from '@credchain/core';
import { expectNoSecret, thrownBy } from '@credchain/testkit';
import { ALICE, ALICE_SERIAL, localConfig, useStsLocal } from '@credchain/testkit/sts-local';

import { fromSessionToken } from '../src';
import type { FromSessionTokenInit } from '../src';

// GetSessionToken's own rules, checked when fromSessionToken is called: a live sts-local stands by and
// must hear nothing. What every provider checks (init, params, common and MFA options, session
// credentials as source) is in the contract suite, packages/credchain/test/contract.
const sts = useStsLocal();
afterEach(() => {
  expect(sts().calls).toHaveLength(0);
});

function parameterOf(init: unknown): InvalidParameterError {
  const error = thrownBy(() =>
    fromSessionToken({ sourceCredentials: ALICE, clientConfig: localConfig(sts()), ...(init as FromSessionTokenInit) }),
  );
  expect(error).toBeInstanceOf(InvalidParameterError);
  return error as InvalidParameterError;
}

describe('fromSessionToken refuses bad input when it is created', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['DurationSeconds', { DurationSeconds: 899 }, /between 900 and 129600/],
    ['DurationSeconds', { DurationSeconds: 129_601 }, /between 900 and 129600/],
    ['DurationSeconds', { DurationSeconds: 3600.5 }, /integer/],
    ['SerialNumber', { SerialNumber: 'arn:aws:iam::111122223333:mfa/a lice' }, /" " is not allowed/],
    ['TokenCode', { SerialNumber: ALICE_SERIAL, TokenCode: '12345' }, /exactly 6 digits/],
    ['MinimumSessionTokenSize', { MinimumSessionTokenSize: 5000 }, /between 0 and 4096/],
    ['Serialnumber', { Serialnumber: ALICE_SERIAL }, /did you mean SerialNumber/],
  ])('names %s', (parameter, params, rule) => {
    const error = parameterOf({ params, mfaCodeProvider: async () => '123456' });
    expect(error.parameter).toBe(parameter);
    expect(error.rule).toMatch(rule);
  });

  test('a one-off TokenCode stands in for an mfaCodeProvider', () => {
    expect(() =>
      fromSessionToken({ params: { SerialNumber: ALICE_SERIAL, TokenCode: '123456' } }).close(),
    ).not.toThrow();
  });

  test('a TokenCode never reaches the message', () => {
    expectNoSecret(parameterOf({ params: { SerialNumber: ALICE_SERIAL, TokenCode: '12345a' } }), ['12345a']);
  });

  test('no options at all is valid: GetSessionToken requires no parameter', () => {
    expect(() => fromSessionToken().close()).not.toThrow();
  });
});
