import { CredentialsExpiredError, InvalidParameterError, StsError } from '@credchain/core';
import { DEMO_ACCOUNT } from '@credchain/sts-local';
import { expectNoSecret, thrownBy, until } from '@credchain/testkit';
import type { Observed } from '@credchain/testkit';
import { callerArn, expectRefused, localConfig, useStsLocal } from '@credchain/testkit/sts-local';

import { SamlAssertionError, fromSamlAssertion } from '../src';
import type { FromSamlAssertionInit } from '../src';
import {
  PRINCIPAL_ARN,
  ROLE_ARN,
  UNTRUSTING_ROLE_ARN,
  mint,
  mintWithForeignKey,
  rewrite,
  secretsOf,
  sessionArn,
} from './demoIdp';

const params = { RoleArn: ROLE_ARN, PrincipalArn: PRINCIPAL_ARN };
// Stands in for an assertion where no server is involved: recognisable, and never to be shown.
const FAKE_ASSERTION = Buffer.from('<samlp:Response>TOP-SECRET-ASSERTION</samlp:Response>').toString('base64');
const MINUTE = 60_000;

const construct = (init: unknown): unknown => thrownBy(() => fromSamlAssertion(init as FromSamlAssertionInit));

// AssumeRoleWithSAML's own behaviour: its parameter rules, the assertion as a string or a callback,
// what a real verifier refuses. What every provider promises (construction checks, RegionDisabled,
// policy errors, no secret shown, …) is in the contract suite, packages/credchain/test/contract.
describe('construction', () => {
  test.each([
    ['RoleArn', { params: { PrincipalArn: PRINCIPAL_ARN }, samlAssertion: FAKE_ASSERTION }],
    ['RoleArn', { params: { RoleArn: 'role/analyst', PrincipalArn: PRINCIPAL_ARN }, samlAssertion: FAKE_ASSERTION }],
    ['DurationSeconds', { params: { ...params, DurationSeconds: 899 }, samlAssertion: FAKE_ASSERTION }],
    ['DurationSeconds', { params: { ...params, DurationSeconds: 43_201 }, samlAssertion: FAKE_ASSERTION }],
    ['samlAssertion', { params }],
    ['params.SAMLAssertion', { params: { ...params, SAMLAssertion: FAKE_ASSERTION }, samlAssertion: FAKE_ASSERTION }],
    ['SAMLAssertion', { params, samlAssertion: 'abc' }],
    ['SAMLAssertion', { params, samlAssertion: 'A'.repeat(100_001) }],
  ])('names %s when it breaks a rule', (parameter, init) => {
    const error = construct(init);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).parameter).toBe(parameter);
    expectNoSecret(error, [FAKE_ASSERTION, 'TOP-SECRET', 'AAAAAAAAAA']);
  });
});

describe('against sts-local', () => {
  const sts = useStsLocal();

  test('an unsigned AssumeRoleWithSAML gives credentials that sts-local accepts as the role session', async () => {
    const before = Date.now();
    const provider = fromSamlAssertion({
      params: { ...params, DurationSeconds: 3600 },
      samlAssertion: mint(),
      clientConfig: localConfig(sts()),
    });
    try {
      const credentials = await provider();
      expect(credentials.accessKeyId).toMatch(/^ASIA/);
      expect(credentials.sessionToken.length).toBeGreaterThan(0);
      expect(credentials.origin).toBe('role-session');
      expect(credentials.accountId).toBe(DEMO_ACCOUNT);
      expect(credentials.expiration.getTime() - before).toBeGreaterThan(3600_000 - 2_000);
      expect(credentials.expiration.getTime() - before).toBeLessThanOrEqual(3600_000 + 1_000);

      // The provider itself handed to a real SDK client, which signs with what it returns.
      expect(await callerArn(sts(), provider)).toBe(sessionArn('alice'));
      const [assume, identity] = sts().calls;
      expect(assume).toMatchObject({ operation: 'AssumeRoleWithSAML', status: 200, accessKeyId: undefined });
      expect(assume?.params).toMatchObject({ RoleArn: ROLE_ARN, PrincipalArn: PRINCIPAL_ARN, DurationSeconds: '3600' });
      expect(identity).toMatchObject({
        operation: 'GetCallerIdentity',
        status: 200,
        accessKeyId: credentials.accessKeyId,
      });
      expect(sts().calls).toHaveLength(2);
    } finally {
      provider.close();
    }
  });

  test('the SessionDuration attribute and DurationSeconds are honoured as STS does', async () => {
    const before = Date.now();
    const provider = fromSamlAssertion({
      params: { ...params, DurationSeconds: 7200 },
      samlAssertion: mint(),
      clientConfig: localConfig(sts()),
    });
    try {
      const credentials = await provider();
      expect(credentials.expiration.getTime() - before).toBeGreaterThan(7200_000 - 2_000);
    } finally {
      provider.close();
    }
  });

  // Each refusal STS documents for AssumeRoleWithSAML, produced by a real verifier.
  test.each<[string, () => { assertion: string; RoleArn?: string; PrincipalArn?: string }, string, number]>([
    [
      'signed by a key the provider does not trust',
      () => ({ assertion: mintWithForeignKey() }),
      'InvalidIdentityToken',
      400,
    ],
    [
      'altered after signing',
      () => ({ assertion: rewrite(mint(), '>alice</saml:NameID>', '>mallory</saml:NameID>') }),
      'InvalidIdentityToken',
      400,
    ],
    ['past its NotOnOrAfter', () => ({ assertion: mint({ now: Date.now() - 10 * MINUTE }) }), 'ExpiredToken', 400],
    [
      'redeemed more than 5 minutes after issue',
      () => ({ assertion: mint({ now: Date.now() - 6 * MINUTE, lifetimeSeconds: 3600 }) }),
      'ExpiredToken',
      400,
    ],
    [
      'for another audience',
      () => ({ assertion: mint({ audience: 'urn:example:not-aws' }) }),
      'InvalidIdentityToken',
      400,
    ],
    [
      'for a role that does not trust the provider',
      () => ({
        assertion: mint({ roles: [{ roleArn: UNTRUSTING_ROLE_ARN, principalArn: PRINCIPAL_ARN }] }),
        RoleArn: UNTRUSTING_ROLE_ARN,
      }),
      'AccessDenied',
      403,
    ],
    [
      'for a provider the account does not have',
      () => ({ assertion: mint(), PrincipalArn: `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/unknown-idp` }),
      'InvalidIdentityToken',
      400,
    ],
    [
      'in which the IdP reports a failed authentication',
      () => ({ assertion: rewrite(mint(), 'status:Success', 'status:Responder') }),
      'IDPRejectedClaim',
      403,
    ],
    [
      'without a RoleSessionName attribute',
      () => ({ assertion: mint({ roleSessionName: '' }) }),
      'InvalidIdentityToken',
      400,
    ],
  ])('an assertion %s is a typed StsError that never shows the assertion', async (_what, make, code, statusCode) => {
    const { assertion, ...arns } = make();
    // Final (no background retry) unless a fresh assertion could help: an expired one.
    const refusal = { operation: 'AssumeRoleWithSAML', code, statusCode, final: code !== 'ExpiredToken' };
    const build = (seen: Observed) =>
      fromSamlAssertion({
        params: { ...params, ...arns },
        samlAssertion: assertion,
        clientConfig: localConfig(sts()),
        logger: seen.logger,
        onEvent: seen.onEvent,
        retry: { retries: 0 },
      });
    await expectRefused(sts(), build, refusal, secretsOf(assertion));
  });

  test('a failing callback is a SamlAssertionError that keeps the cause and sends nothing', async () => {
    const cause = new Error('IdP unreachable');
    const provider = fromSamlAssertion({
      params,
      samlAssertion: () => Promise.reject(cause),
      clientConfig: localConfig(sts()),
    });
    try {
      const error = (await provider().catch((e: unknown) => e)) as SamlAssertionError;
      expect(error).toBeInstanceOf(SamlAssertionError);
      expect(error.cause).toBe(cause);
      expect(error.message).toContain('IdP unreachable');
      expect(sts().calls).toHaveLength(0);
    } finally {
      provider.close();
    }
  });

  test.each([
    ['not a string', 42, SamlAssertionError],
    ['empty', '', SamlAssertionError],
    ['too short for STS', 'abc', InvalidParameterError],
  ])('a callback that resolves to something %s fails before STS', async (_what, value, type) => {
    const provider = fromSamlAssertion({
      params,
      samlAssertion: async () => value as string,
      clientConfig: localConfig(sts()),
    });
    try {
      const error = await provider().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect(sts().calls).toHaveLength(0);
    } finally {
      provider.close();
    }
  });
});

describe('refresh across expiry, on a fake clock sts-local shares', () => {
  // A server per test, started after FAKE_TIMERS are installed (the fake clock at the real now).
  const sts = useStsLocal({ per: 'test', fakeNow: () => Date.now() });

  test('the callback is asked again for each refresh, and its new assertion is what sts-local verifies', async () => {
    let issued = 0;
    const samlAssertion = jest.fn(async () => mint({ roleSessionName: `alice-${++issued}` }));
    const successes: number[] = [];
    const provider = fromSamlAssertion({
      params: { ...params, DurationSeconds: 900 },
      samlAssertion,
      clientConfig: localConfig(sts()),
      // 15-minute credentials: mandatory window 60 s, advisory window 5 min before it; jitter 0
      // puts the background refresh at 540 s after issue exactly.
      refresh: { jitter: 0 },
      onEvent: (event) => void (event.type === 'refresh-success' && successes.push(Date.now())),
    });
    const refreshes = (n: number) => until(() => successes.length === n);
    try {
      const first = await provider();
      expect(await callerArn(sts(), first)).toBe(sessionArn('alice-1'));

      // t = 600 s: the timer fired at 540 s. The first assertion (5-minute validity) would be
      // refused by now, so this refresh can only have succeeded with a fresh one.
      await jest.advanceTimersByTimeAsync(600_000);
      await refreshes(2);
      expect(samlAssertion).toHaveBeenCalledTimes(2);
      const second = await provider();
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
      expect(await callerArn(sts(), provider)).toBe(sessionArn('alice-2'));

      // t = 910 s: the first credentials have expired and sts-local refuses them; the provider's are fine.
      await jest.advanceTimersByTimeAsync(310_000);
      const refused = (await callerArn(sts(), first).catch((e: unknown) => e)) as Error;
      expect(refused.name).toMatch(/^ExpiredToken/);
      expect(await callerArn(sts(), provider)).toBe(sessionArn('alice-2'));

      // t = 1 200 s: the second refresh (540 s after the second issue), with a third assertion.
      await jest.advanceTimersByTimeAsync(290_000);
      await refreshes(3);
      expect(await callerArn(sts(), provider)).toBe(sessionArn('alice-3'));
      expect(samlAssertion).toHaveBeenCalledTimes(3);
      const assumed = sts().calls.filter((c) => c.operation === 'AssumeRoleWithSAML');
      expect(assumed.map((c) => c.status)).toEqual([200, 200, 200]);
    } finally {
      provider.close();
    }
  });

  test('with the background timer off, a call past expiry fetches with a fresh assertion', async () => {
    let issued = 0;
    const provider = fromSamlAssertion({
      params: { ...params, DurationSeconds: 900 },
      samlAssertion: async () => mint({ roleSessionName: `alice-${++issued}` }),
      clientConfig: localConfig(sts()),
      refresh: { background: false },
    });
    try {
      await provider();
      jest.advanceTimersByTime(900_001);
      expect(await callerArn(sts(), provider)).toBe(sessionArn('alice-2'));
      expect(issued).toBe(2);
    } finally {
      provider.close();
    }
  });

  test('a string assertion serves the first fetch only: its refresh is refused as expired (README)', async () => {
    const assertion = mint();
    const provider = fromSamlAssertion({
      params: { ...params, DurationSeconds: 900 },
      samlAssertion: assertion,
      clientConfig: localConfig(sts()),
      refresh: { background: false },
      retry: { retries: 0 },
    });
    try {
      await provider();
      jest.advanceTimersByTime(900_001);
      const error = await provider().catch((e: unknown) => e);
      // The engine's own error for a failed refresh with nothing left to serve, caused by STS's.
      const sts_ = error instanceof StsError ? error : ((error as Error).cause as StsError);
      expect(error instanceof StsError || error instanceof CredentialsExpiredError).toBe(true);
      expect(sts_.code).toBe('ExpiredToken');
      expectNoSecret(error, secretsOf(assertion));
    } finally {
      provider.close();
    }
  });
});
