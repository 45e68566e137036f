import type { CredentialEvent } from '@credchain/core';
import { rejectionOf, until } from '@credchain/testkit';
import { ALICE, callerArn, callsOf, localConfig, roleArn, sessionArn, useStsLocal } from '@credchain/testkit/sts-local';

import { fromAssumeRole } from '../src';

// Jest's modern fake timers drive the provider's clock and timers, the SDK's signing clock and
// sts-local's clock (its default is the global Date, read after the fake is installed), so
// sessions expire for real as the test moves time, and sts-local refuses anything signed late.
const MINUTE = 60_000;
const sts = useStsLocal({ per: 'test', fakeNow: () => Date.UTC(2026, 10, 23, 9, 0, 0) });
let events: CredentialEvent[];
beforeEach(() => {
  events = [];
});

const demoRole = (session: string, jitter?: number) =>
  fromAssumeRole({
    ...(jitter === undefined ? {} : { refresh: { jitter } }),
    params: { RoleArn: roleArn('demo-role'), RoleSessionName: session, DurationSeconds: 3600 },
    sourceCredentials: ALICE,
    clientConfig: localConfig(sts()),
    onEvent: (event) => events.push(event),
  });
/** Lets real I/O and fake time run until `condition` holds. */
async function settle(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) {
    await until(() => true);
    await jest.advanceTimersByTimeAsync(1_000);
  }
  expect(condition()).toBe(true);
}
const successes = () => events.filter((e) => e.type === 'refresh-success').length;

test('serves cached credentials, refreshes in the background before Expiration; new ones outlive old', async () => {
  using provider = demoRole('refresh', 0);
  const first = await provider();
  const expiresAt = first.expiration.getTime();
  expect(expiresAt).toBe(Date.now() + 60 * MINUTE);

  // 40 minutes on: outside the advisory window (the last 16 minutes), the cached session is served.
  await jest.advanceTimersByTimeAsync(40 * MINUTE);
  expect(await provider()).toBe(first);
  expect(callsOf(sts(), 'AssumeRole')).toHaveLength(1);

  // Without jitter the background timer fires as the advisory window opens (15 min before the
  // mandatory window, the last minute). sts-local holds the refresh's answer for 5 s of fake time.
  sts().injectFault({ kind: 'latency', operation: 'AssumeRole', latencyMs: 5_000 });
  await jest.advanceTimersByTimeAsync(expiresAt - 16 * MINUTE - Date.now());
  const start = events.find((e) => e.type === 'refresh-start' && e.reason === 'timer');
  expect(start).toBeDefined();
  expect(start!.at).toBeLessThan(expiresAt - MINUTE);
  // Callers are not held while the refresh is on the wire: they get the cached session at once.
  expect(successes()).toBe(1);
  expect(await provider()).toBe(first);
  await settle(() => successes() === 2);
  const second = await provider();
  expect(second.accessKeyId).not.toBe(first.accessKeyId);
  expect(second.expiration.getTime()).toBeGreaterThan(expiresAt + 40 * MINUTE);

  // Past the first session's Expiration: sts-local refuses it, and takes its replacement.
  await jest.advanceTimersByTimeAsync(expiresAt + MINUTE - Date.now());
  expect(await provider()).toBe(second);
  expect(await callerArn(sts(), provider)).toBe(sessionArn('demo-role', 'refresh'));
  expect(callsOf(sts(), 'GetCallerIdentity').at(-1)).toMatchObject({
    outcome: 'success',
    accessKeyId: second.accessKeyId,
  });
  const old = {
    accessKeyId: first.accessKeyId,
    secretAccessKey: first.secretAccessKey,
    sessionToken: first.sessionToken,
  };
  const refused = await rejectionOf(callerArn(sts(), old));
  expect((refused as { name?: string }).name).toBe('ExpiredToken');
  expect(callsOf(sts(), 'AssumeRole')).toHaveLength(2);
});
