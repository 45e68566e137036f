import { InvalidParameterError } from '@credchain/core';
import { expectNoSecret, thrownBy } from '@credchain/testkit';
import { ALICE, ALICE_SERIAL, localConfig, roleArn, useStsLocal } from '@credchain/testkit/sts-local';

import { fromAssumeRole } from '../src';
import type { FromAssumeRoleInit } from '../src';

// AssumeRole's own rules, checked when fromAssumeRole is called, before anything reaches the network
// (a live sts-local stands by and its call log must stay empty). What every provider checks (init,
// params, the common options, MFA options) is in the contract suite, packages/credchain/test/contract.
const sts = useStsLocal();
afterEach(() => {
  expect(sts().calls).toHaveLength(0);
});

const RoleArn = roleArn('demo-role');
const ok = { RoleArn, RoleSessionName: 'construction' };

function refusal(init: unknown): InvalidParameterError {
  const thrown = thrownBy(() =>
    fromAssumeRole({ sourceCredentials: ALICE, clientConfig: localConfig(sts()), ...(init as FromAssumeRoleInit) }),
  );
  expect(thrown).toBeInstanceOf(InvalidParameterError);
  return thrown as InvalidParameterError;
}

const withParams = (params: Record<string, unknown>) => refusal({ params: { ...ok, ...params } });

describe('fromAssumeRole refuses bad input when it is created', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['RoleArn', { RoleArn: undefined }, /is required/],
    ['RoleArn', { RoleArn: 'demo-role' }, /20–2048/],
    ['RoleSessionName', { RoleSessionName: 'a' }, /\[\\w\+=,\.@-\]\{2,64\}/],
    ['RoleSessionName', { RoleSessionName: 'has space' }, /" " is not allowed/],
    ['RoleSessionName', { RoleSessionName: 'x'.repeat(65) }, /got 65 characters/],
    ['DurationSeconds', { DurationSeconds: 899 }, /between 900 and 43200/],
    ['DurationSeconds', { DurationSeconds: 43_201 }, /between 900 and 43200/],
    ['DurationSeconds', { DurationSeconds: 1800.5 }, /integer/],
    ['DurationSeconds', { DurationSeconds: '3600' }, /a string/],
    ['ExternalId', { ExternalId: 'x' }, /\{2,1224\}/],
    ['Policy', { Policy: '' }, /1–2048/],
    ['Policy', { Policy: 'p'.repeat(2049) }, /1–2048/],
    [
      'PolicyArns',
      { PolicyArns: Array.from({ length: 11 }, () => ({ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })) },
      /at most 10/,
    ],
    ['Tags', { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, /at most 50/],
    [
      'Tags',
      {
        Tags: [
          { Key: 'Team', Value: 'a' },
          { Key: 'team', Value: 'b' },
        ],
      },
      /duplicate keys/,
    ],
    ['Tags[0].Value', { Tags: [{ Key: 'k' }] }, /is required/],
    ['TransitiveTagKeys[0]', { TransitiveTagKeys: [''] }, /1–128/],
    ['SourceIdentity', { SourceIdentity: 'aws:me' }, /aws:/],
    ['SourceIdentity', { SourceIdentity: 'a b' }, /\{2,64\}/],
    ['ProvidedContexts', { ProvidedContexts: Array.from({ length: 6 }, () => ({})) }, /at most 5/],
    [
      'ProvidedContexts[0].ContextAssertion',
      { ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter' }] },
      /is required/,
    ],
    ['SerialNumber', { SerialNumber: 'short' }, /\{9,256\}/],
    ['TokenCode', { SerialNumber: ALICE_SERIAL, TokenCode: '12345' }, /6 digits/],
    ['TokenCode', { TokenCode: '123456' }, /needs SerialNumber/],
  ])('names %s', (parameter, params, rule) => {
    const error = withParams(params);
    expect(error.parameter).toBe(parameter);
    expect(error.rule).toMatch(rule);
    expect(error.message).toBe(`${error.parameter} ${error.rule}`);
  });

  test('a one-off TokenCode stands in for an mfaCodeProvider', () => {
    expect(() =>
      fromAssumeRole({ params: { ...ok, SerialNumber: ALICE_SERIAL, TokenCode: '123456' } }).close(),
    ).not.toThrow();
  });

  test('strictDuration must be a boolean', () => {
    const error = refusal({ params: ok, strictDuration: 'yes' });
    expect(error.parameter).toBe('strictDuration');
    expect(error.rule).toMatch(/boolean/);
  });

  test('secret-like values never reach the message', () => {
    const externalId = 'sécret-external-id';
    const policy = `{"Statement":[]}\u0001-private-policy-text`;
    for (const error of [
      withParams({ ExternalId: externalId }),
      withParams({ Policy: policy }),
      withParams({ SerialNumber: ALICE_SERIAL, TokenCode: '98765x' }),
    ]) {
      expectNoSecret(error, [externalId, 'private-policy-text', '98765x']);
    }
  });
});

describe('fromAssumeRole accepts good input without side effects', () => {
  test('all AssumeRole parameters at their limits', () => {
    const params = {
      ...ok,
      RoleSessionName: 'x'.repeat(64),
      DurationSeconds: 43_200,
      ExternalId: 'credchain-external-id',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      }),
      PolicyArns: Array.from({ length: 10 }, () => ({ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
      TransitiveTagKeys: ['k0'],
      SourceIdentity: 'alice@example.com',
      ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: 'abcd' }],
    };
    expect(() =>
      fromAssumeRole({ params, sourceCredentials: ALICE, clientConfig: localConfig(sts()) }).close(),
    ).not.toThrow();
  });
});
