import { InvalidParameterError } from '@credchain/core';
import { fromFederationToken } from '@credchain/federation-token';
import { expectNoSecret, parameterOf, thrownBy } from '@credchain/testkit';

const READ_ONLY = [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }];

const region = { region: 'us-east-1' };

// GetFederationToken's own rules, checked at construction. What every provider checks (init, params,
// common options, session credentials as source, the caller's options untouched) is in the contract
// suite, packages/credchain/test/contract.
describe('fromFederationToken at construction', () => {
  test('requires a Name', () => {
    expect(parameterOf(() => fromFederationToken({ params: {} as never }))).toBe('Name');
  });

  test.each(['b', 'x'.repeat(33), 'bob smith', 'bob/1'])('refuses Name %p (2–32 of [\\w+=,.@-])', (Name) => {
    expect(parameterOf(() => fromFederationToken({ params: { Name }, clientConfig: region }))).toBe('Name');
  });

  test.each([899, 129_601, 1000.5])('refuses DurationSeconds %p (STS allows 900–129600)', (DurationSeconds) => {
    expect(
      parameterOf(() => fromFederationToken({ params: { Name: 'bob', DurationSeconds }, clientConfig: region })),
    ).toBe('DurationSeconds');
  });

  test('refuses more than 10 PolicyArns, an over-long Policy and more than 50 Tags', () => {
    const arns = Array.from({ length: 11 }, (_, i) => ({ arn: `arn:aws:iam::111111111111:policy/p${i}` }));
    expect(parameterOf(() => fromFederationToken({ params: { Name: 'bob', PolicyArns: arns } }))).toMatch(
      /^PolicyArns/,
    );
    expect(parameterOf(() => fromFederationToken({ params: { Name: 'bob', Policy: 'x'.repeat(2049) } }))).toBe(
      'Policy',
    );
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(
      parameterOf(() => fromFederationToken({ params: { Name: 'bob', PolicyArns: READ_ONLY, Tags: tags } })),
    ).toMatch(/^Tags/);
  });

  test('refuses a Policy character outside tab, LF, CR and \\u0020–\\u00FF, without echoing the policy', () => {
    const caught = thrownBy(() =>
      fromFederationToken({ params: { Name: 'bob', Policy: '{"Statement":[],"Sid":"canary-€"}' } }),
    );
    expect(caught).toBeInstanceOf(InvalidParameterError);
    expect((caught as InvalidParameterError).parameter).toBe('Policy');
    expectNoSecret(caught, ['canary']);
  });
});
