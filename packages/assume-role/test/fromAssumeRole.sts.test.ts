import type { TemporaryCredentials } from '@credchain/core';
import { startStsLocal } from '@credchain/sts-local';
import { useFakeTimers } from '@credchain/testkit';

import { fromAssumeRole } from '../src';
import type { AssumeRoleParams, FromAssumeRoleInit } from '../src';
import {
  ALICE,
  ALICE_ARN,
  callerArn,
  callsOf,
  localConfig,
  roleArn,
  sessionArn,
  stsFailure,
  useStsLocal,
} from '@credchain/testkit/sts-local';

const sts = useStsLocal();

function assumeRole(params: AssumeRoleParams, extra: Partial<FromAssumeRoleInit> = {}) {
  return fromAssumeRole({ params, sourceCredentials: ALICE, clientConfig: localConfig(sts()), ...extra });
}

describe('fromAssumeRole against sts-local', () => {
  test('assumes demo-role through a real STSClient and hands out its session', async () => {
    using provider = assumeRole({ RoleArn: roleArn('demo-role'), RoleSessionName: 'wire-test', DurationSeconds: 1800 });
    const credentials = await provider();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.origin).toBe('role-session');
    expect(credentials.accountId).toBe('111122223333');
    // sts-local issued 30 minutes (whole seconds in STS's timestamp form).
    expect(Math.abs(credentials.expiration.getTime() - (sts().now() + 1_800_000))).toBeLessThan(2_000);

    const [call] = callsOf(sts(), 'AssumeRole');
    expect(call).toMatchObject({ outcome: 'success', callerArn: ALICE_ARN, accessKeyId: ALICE.accessKeyId });
    expect(call?.params).toMatchObject({
      RoleArn: roleArn('demo-role'),
      RoleSessionName: 'wire-test',
      DurationSeconds: '1800',
    });
    expect(await provider()).toBe(credentials);
    expect(callsOf(sts(), 'AssumeRole')).toHaveLength(1);
  });

  test('its credentials sign requests of another SDK client: GetCallerIdentity names the role session', async () => {
    using provider = assumeRole({ RoleArn: roleArn('demo-role'), RoleSessionName: 'e2e-session' });
    expect(await callerArn(sts(), provider)).toBe(sessionArn('demo-role', 'e2e-session'));
    const [identityCall] = callsOf(sts(), 'GetCallerIdentity');
    expect(identityCall?.outcome).toBe('success');
    expect(identityCall?.accessKeyId).toBe((await provider()).accessKeyId);
  });

  test('a generated RoleSessionName is valid for STS and kept across calls', async () => {
    using provider = assumeRole({ RoleArn: roleArn('demo-role') });
    const arn = await callerArn(sts(), provider);
    expect(arn).toMatch(/^arn:aws:sts::111122223333:assumed-role\/demo-role\/credchain-\d+$/);
    await provider.refresh();
    const names = callsOf(sts(), 'AssumeRole').map((c) => c.params.RoleSessionName);
    expect(names).toHaveLength(2);
    expect(names[1]).toBe(names[0]);
  });

  test('sends every optional parameter in a form STS takes', async () => {
    using provider = assumeRole({
      RoleArn: roleArn('external-id-role'),
      RoleSessionName: 'all-params',
      ExternalId: 'credchain-external-id',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      }),
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      Tags: [{ Key: 'Team', Value: 'platform' }],
      TransitiveTagKeys: ['Team'],
      SourceIdentity: 'alice',
    });
    expect(await callerArn(sts(), provider)).toBe(sessionArn('external-id-role', 'all-params'));
    const [call] = callsOf(sts(), 'AssumeRole');
    expect(call?.params).toMatchObject({
      'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'Tags.member.1.Key': 'Team',
      'TransitiveTagKeys.member.1': 'Team',
      SourceIdentity: 'alice',
    });
  });
});

// The STS errors every provider maps alike (AccessDenied, RegionDisabled, InvalidClientTokenId, policy
// errors, throttling) are in the contract suite, packages/credchain/test/contract; these are AssumeRole's.
describe('STS errors of AssumeRole surface as typed errors without secrets', () => {
  test.each([
    ['missing', undefined],
    ['wrong', 'not-the-external-id'],
  ])('AccessDenied when the ExternalId is %s', async (_, ExternalId) => {
    const error = await stsFailure(
      assumeRole({
        RoleArn: roleArn('external-id-role'),
        RoleSessionName: 'ext',
        ...(ExternalId === undefined ? {} : { ExternalId }),
      }),
      ExternalId === undefined ? [] : [ExternalId],
    );
    expect(error.code).toBe('AccessDenied');
  });

  test('ExpiredToken when the source session has expired, and the session token stays hidden', async () => {
    // Fake timers move the clocks of the SDK, the provider and a server started under them (its
    // default clock is the global Date) together.
    useFakeTimers();
    const local = await startStsLocal();
    try {
      const init = { sourceCredentials: ALICE, clientConfig: localConfig(local) };
      using first = fromAssumeRole({ params: { RoleArn: roleArn('demo-role'), DurationSeconds: 900 }, ...init });
      const source: TemporaryCredentials = await first();
      jest.setSystemTime(Date.now() + 901_000);
      // The expired source as static keys, without the expiration that would let anyone notice.
      const stale = {
        accessKeyId: source.accessKeyId,
        secretAccessKey: source.secretAccessKey,
        sessionToken: source.sessionToken,
      };
      const provider = fromAssumeRole({ params: { RoleArn: roleArn('demo-role') }, ...init, sourceCredentials: stale });
      const error = await stsFailure(provider, [source.secretAccessKey, source.sessionToken]);
      expect(error.code).toBe('ExpiredToken');
      expect(callsOf(local, 'AssumeRole').map((c) => c.errorCode)).toEqual([undefined, 'ExpiredToken']);
    } finally {
      jest.useRealTimers();
      await local.stop();
    }
  });
});
