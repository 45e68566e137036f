import { randomBytes } from 'node:crypto';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { TemporaryCredentials } from '@credchain/core';
import { startStsLocal } from '@credchain/sts-local';
import { rejectionOf, useFakeTimers } from '@credchain/testkit';

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

describe('STS errors surface as typed errors without secrets', () => {
  test('AccessDenied when the trust policy does not name the caller', async () => {
    const error = await stsFailure(assumeRole({ RoleArn: roleArn('chained-role'), RoleSessionName: 'untrusted' }));
    expect(error).toMatchObject({ code: 'AccessDenied', operation: 'AssumeRole', statusCode: 403, final: true });
    expect(error.message).toContain(ALICE_ARN);
    expect(error.requestId).toBe(callsOf(sts(), 'AssumeRole')[0]?.requestId);
  });

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

  test('MalformedPolicyDocument for a session policy that is not a policy', async () => {
    const error = await stsFailure(assumeRole({ RoleArn: roleArn('demo-role'), Policy: '{"Version":"2012-10-17"}' }));
    expect(error).toMatchObject({ code: 'MalformedPolicyDocument', final: true });
  });

  test('PackedPolicyTooLarge when session tags overflow the packed budget', async () => {
    // Random values do not compress: 50 long tags overflow what STS packs.
    const Tags = Array.from({ length: 50 }, (_, i) => ({
      Key: `k${i}`,
      Value: randomBytes(96).toString('base64url').slice(0, 128),
    }));
    const error = await stsFailure(assumeRole({ RoleArn: roleArn('demo-role'), Tags }));
    expect(error).toMatchObject({ code: 'PackedPolicyTooLarge', final: true });
  });

  test('RegionDisabled where the account deactivated STS (ap-east-1 in the demo account)', async () => {
    const provider = fromAssumeRole({
      params: { RoleArn: roleArn('demo-role') },
      sourceCredentials: ALICE,
      clientConfig: localConfig(sts(), 'ap-east-1'),
    });
    const error = await stsFailure(provider);
    expect(error).toMatchObject({ code: 'RegionDisabled', final: true });
    expect(callsOf(sts(), 'AssumeRole')[0]?.region).toBe('ap-east-1');
  });

  test('InvalidClientTokenId for an access key STS does not know', async () => {
    const secret = 'unknownSecretKey/credchain/EXAMPLEKEY000';
    const provider = fromAssumeRole({
      params: { RoleArn: roleArn('demo-role') },
      sourceCredentials: { accessKeyId: 'AKIAUNKNOWNEXAMPLE01', secretAccessKey: secret },
      clientConfig: localConfig(sts()),
    });
    const error = await stsFailure(provider, [secret]);
    expect(error.code).toBe('InvalidClientTokenId');
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

  test('a refused role is not retried: one AssumeRole per caller, concurrent callers share it', async () => {
    const provider = assumeRole({ RoleArn: roleArn('chained-role') });
    const errors = await Promise.all(Array.from({ length: 20 }, () => rejectionOf(provider())));
    provider.close();
    expect(new Set(errors).size).toBe(1);
    expect(callsOf(sts(), 'AssumeRole')).toHaveLength(1);
  });
});

test('a plain GetCallerIdentity with alice works (sanity of the source keys)', async () => {
  const client = new STSClient({ ...localConfig(sts()), credentials: ALICE });
  expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(ALICE_ARN);
  client.destroy();
});
