import { InvalidParameterError } from '@credchain/core';
import type { CredentialEvent } from '@credchain/core';
import { fromSessionToken } from '@credchain/session-token';
import { rejectionOf } from '@credchain/testkit';
import {
  ALICE,
  ALICE_ARN,
  callerArn,
  callsOf,
  localConfig,
  roleArn,
  sessionArn,
  useStsLocal,
} from '@credchain/testkit/sts-local';
import type { AwsCredentialIdentity } from '@smithy/types';

import { fromAssumeRole } from '../src';
import type { FromAssumeRoleInit } from '../src';

// Role chaining: STS caps a role assumed with role-session credentials at one hour (sts-local
// answers ValidationError above it, as STS does), while GetSessionToken sessions are no role session.
const sts = useStsLocal();
let events: CredentialEvent[];
beforeEach(() => {
  events = [];
});

const HOUR = 3_600_000;
const demoRole = () =>
  fromAssumeRole({
    params: { RoleArn: roleArn('demo-role'), RoleSessionName: 'first-hop' },
    sourceCredentials: ALICE,
    clientConfig: localConfig(sts()),
  });

function chainedRole(
  sourceCredentials: FromAssumeRoleInit['sourceCredentials'],
  extra: Partial<FromAssumeRoleInit> = {},
) {
  return fromAssumeRole({
    params: { RoleArn: roleArn('chained-role'), RoleSessionName: 'second-hop', DurationSeconds: 7200 },
    sourceCredentials,
    clientConfig: localConfig(sts()),
    onEvent: (event) => events.push(event),
    ...extra,
  });
}

const capped = () => events.filter((e) => e.type === 'duration-capped');
const expiresIn = (expiration: Date) => expiration.getTime() - sts().now();

test('from another fromAssumeRole: capped at 3600 s with a duration-capped event; sts-local accepts it', async () => {
  using first = demoRole();
  using second = chainedRole(first);
  const credentials = await second();
  expect(capped()).toEqual([
    expect.objectContaining({
      provider: 'assume-role',
      requestedSeconds: 7200,
      grantedSeconds: 3600,
      why: 'role chaining',
    }),
  ]);
  const call = callsOf(sts(), 'AssumeRole').find((c) => c.params.RoleArn === roleArn('chained-role'));
  expect(call).toMatchObject({ outcome: 'success', callerArn: sessionArn('demo-role', 'first-hop') });
  expect(call?.params.DurationSeconds).toBe('3600');
  expect(expiresIn(credentials.expiration)).toBeLessThanOrEqual(HOUR);
  expect(expiresIn(credentials.expiration)).toBeGreaterThan(HOUR - 5_000);
  // The origin is known: no GetCallerIdentity was needed to decide.
  expect(callsOf(sts(), 'GetCallerIdentity')).toHaveLength(0);
  expect(await callerArn(sts(), second)).toBe(sessionArn('chained-role', 'second-hop'));
});

test('strictDuration: the same request fails before any STS call, naming DurationSeconds', () => {
  using first = demoRole();
  let thrown: unknown;
  try {
    chainedRole(first, { strictDuration: true });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidParameterError);
  expect(thrown).toMatchObject({ parameter: 'DurationSeconds' });
  expect((thrown as Error).message).toMatch(/7200 exceeds the 1-hour \(3600 s\) limit .*role chaining/);
  expect(sts().calls).toHaveLength(0);
});

test('strictDuration with a static role session as source: refused when created, nothing sent', async () => {
  using first = demoRole();
  const session = await first();
  sts().clearCalls();
  expect(() => chainedRole({ ...session }, { strictDuration: true })).toThrow(InvalidParameterError);
  expect(sts().calls).toHaveLength(0);
});

describe('a source of unknown origin with a session token', () => {
  // A role session stripped of credchain's origin tag: what the SDK's own providers hand out.
  const bare = ({ accessKeyId, secretAccessKey, sessionToken }: AwsCredentialIdentity) => ({
    accessKeyId,
    secretAccessKey,
    sessionToken,
  });

  test('one GetCallerIdentity decides: an assumed-role ARN means the cap, remembered across refreshes', async () => {
    using first = demoRole();
    const source = bare(await first());
    sts().clearCalls();
    using second = chainedRole(async () => source);
    await second();
    await second.refresh();
    const identity = callsOf(sts(), 'GetCallerIdentity');
    expect(identity).toHaveLength(1);
    expect(identity[0]).toMatchObject({ outcome: 'success', accessKeyId: source.accessKeyId });
    expect(callsOf(sts(), 'AssumeRole').map((c) => c.params.DurationSeconds)).toEqual(['3600', '3600']);
    expect(capped()).toHaveLength(2);
  });

  test('with strictDuration the GetCallerIdentity verdict fails the fetch before AssumeRole', async () => {
    using first = demoRole();
    const source = bare(await first());
    sts().clearCalls();
    using second = chainedRole(source, { strictDuration: true });
    const error = await rejectionOf(second());
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error).toMatchObject({ parameter: 'DurationSeconds' });
    expect(sts().calls.map((c) => c.operation)).toEqual(['GetCallerIdentity']);
  });

  test('a user session is no role session: the full duration is asked for', async () => {
    using session = fromSessionToken({ sourceCredentials: ALICE, clientConfig: localConfig(sts()) });
    const source = bare(await session());
    sts().clearCalls();
    using role = fromAssumeRole({
      params: { RoleArn: roleArn('demo-role'), DurationSeconds: 7200 },
      sourceCredentials: source,
      clientConfig: localConfig(sts()),
      onEvent: (event) => events.push(event),
    });
    const credentials = await role();
    expect(callsOf(sts(), 'GetCallerIdentity')).toEqual([expect.objectContaining({ callerArn: ALICE_ARN })]);
    expect(callsOf(sts(), 'AssumeRole')[0]?.params.DurationSeconds).toBe('7200');
    expect(expiresIn(credentials.expiration)).toBeGreaterThan(2 * HOUR - 5_000);
    expect(capped()).toHaveLength(0);
  });

  test('no GetCallerIdentity when the request is within the hour anyway', async () => {
    using first = demoRole();
    const source = bare(await first());
    sts().clearCalls();
    using second = chainedRole(source, { params: { RoleArn: roleArn('chained-role'), DurationSeconds: 3600 } });
    await second();
    expect(sts().calls.map((c) => c.operation)).toEqual(['AssumeRole']);
  });
});

test('long-term keys are never a role session: no GetCallerIdentity, no cap', async () => {
  using role = fromAssumeRole({
    params: { RoleArn: roleArn('demo-role'), DurationSeconds: 7200 },
    sourceCredentials: ALICE,
    clientConfig: localConfig(sts()),
    onEvent: (event) => events.push(event),
  });
  await role();
  expect(sts().calls.map((c) => [c.operation, c.params.DurationSeconds])).toEqual([['AssumeRole', '7200']]);
  expect(capped()).toHaveLength(0);
});

test('fromAssumeRole on fromSessionToken keeps the full duration: a user session is no role session', async () => {
  using session = fromSessionToken({ sourceCredentials: ALICE, clientConfig: localConfig(sts()) });
  using role = chainedRole(session, {
    params: { RoleArn: roleArn('demo-role'), RoleSessionName: 'from-session', DurationSeconds: 7200 },
    strictDuration: true,
  });
  const credentials = await role();
  expect(sts().calls.map((c) => c.operation)).toEqual(['GetSessionToken', 'AssumeRole']);
  expect(callsOf(sts(), 'AssumeRole')[0]).toMatchObject({ outcome: 'success', callerArn: ALICE_ARN });
  expect(callsOf(sts(), 'AssumeRole')[0]?.params.DurationSeconds).toBe('7200');
  expect(expiresIn(credentials.expiration)).toBeGreaterThan(2 * HOUR - 5_000);
  expect(capped()).toHaveLength(0);
  expect(await callerArn(sts(), role)).toBe(sessionArn('demo-role', 'from-session'));
});
