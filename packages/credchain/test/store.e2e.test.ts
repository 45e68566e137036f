import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { observe } from '@credchain/testkit';
import {
  ALICE,
  callsOf,
  localConfig,
  mintDemoToken,
  roleArn,
  useStsLocal,
  userKeys,
} from '@credchain/testkit/sts-local';
import type { AwsCredentialIdentity } from '@smithy/types';

import { InvalidParameterError, awsCliCacheStore, fromAssumeRole, fromSessionToken, fromWebIdentity } from '../src';
import type { CredentialProvider, CredentialStore, StoreOptions } from '../src';

// The store option end to end (issue 13): providers that stand for separate processes (separate
// instances, no shared memory but the store) against sts-local, sharing through the AWS CLI file store
// in a temporary directory. The Redis store has the same tests against a real redis-server in
// packages/redis.

const sts = useStsLocal();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credchain-store-e2e-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const BOB = userKeys('bob');
const assumed = () => callsOf(sts(), 'AssumeRole').filter((c) => c.params.RoleArn === roleArn('demo-role'));

function process_(
  store: CredentialStore | StoreOptions,
  source: AwsCredentialIdentity | CredentialProvider = ALICE,
  seen = observe(),
): CredentialProvider {
  return fromAssumeRole({
    params: { RoleArn: roleArn('demo-role'), DurationSeconds: 3600 },
    sourceCredentials: typeof source === 'function' ? source : { ...source },
    clientConfig: localConfig(sts()),
    onEvent: seen.onEvent,
    store,
  });
}

async function callerArnOf(credentials: CredentialProvider): Promise<string | undefined> {
  const client = new STSClient({ ...localConfig(sts()), credentials });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

describe('providers sharing a store', () => {
  test('the second "process" takes the first one\'s session from the store: one AssumeRole for both', async () => {
    const store = awsCliCacheStore({ dir });
    const seenB = observe();
    using a = process_(store);
    using b = process_(store, ALICE, seenB);
    const fromA = await a();
    const fromB = await b();
    expect(assumed()).toHaveLength(1);
    expect(fromB.accessKeyId).toBe(fromA.accessKeyId);
    expect(seenB.events.map((e) => e.type)).toContain('store-hit');
    // What came from the store signs: sts-local verifies the signature.
    expect(await callerArnOf(b)).toMatch(/assumed-role\/demo-role\//);
  });

  test('another source principal never shares the entry', async () => {
    const store = awsCliCacheStore({ dir });
    using a = process_(store, ALICE);
    using b = process_(store, BOB);
    const fromA = await a();
    const fromB = await b();
    expect(assumed()).toHaveLength(2);
    expect(fromB.accessKeyId).not.toBe(fromA.accessKeyId);
  });

  test('two sessions of one user are one principal (asked once each with GetCallerIdentity)', async () => {
    const store = awsCliCacheStore({ dir });
    const session = () => fromSessionToken({ sourceCredentials: { ...ALICE }, clientConfig: localConfig(sts()) });
    using sessionA = session();
    using sessionB = session();
    using a = process_(store, sessionA);
    using b = process_(store, sessionB);
    await a();
    await b();
    expect((await sessionA()).accessKeyId).not.toBe((await sessionB()).accessKeyId);
    expect(callsOf(sts(), 'GetCallerIdentity')).toHaveLength(2);
    expect(assumed()).toHaveLength(1);
  });

  test('refresh() fetches from STS and overwrites the entry, which the other process then takes', async () => {
    const store = awsCliCacheStore({ dir });
    using a = process_(store);
    using b = process_(store);
    await a();
    const fresh = await a.refresh();
    expect(assumed()).toHaveLength(2);
    expect((await b()).accessKeyId).toBe(fresh.accessKeyId);
    expect(assumed()).toHaveLength(2);
  });

  test('a store that fails is reported and bypassed: the caller gets credentials from STS', async () => {
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, 'x');
    const seen = observe();
    using a = process_({ store: awsCliCacheStore({ dir: notADirectory }), timeoutMs: 500 }, ALICE, seen);
    const creds = await a();
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    expect(assumed()).toHaveLength(1);
    const errors = seen.events.filter((e) => e.type === 'store-error');
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors)).not.toContain(creds.secretAccessKey);
  });

  test('a store option that is not a store is refused by name at creation, before any call', () => {
    expect(() => process_({} as CredentialStore)).toThrow(InvalidParameterError);
    expect(() => process_({ store: awsCliCacheStore({ dir }), timeoutMs: -1 })).toThrow(/store\.timeoutMs/);
    expect(sts().calls).toHaveLength(0);
  });

  test('a session token is shared too (the key leaves TokenCode out, so MFA sessions share as well)', async () => {
    const store = awsCliCacheStore({ dir });
    using a = fromSessionToken({ sourceCredentials: { ...ALICE }, clientConfig: localConfig(sts()), store });
    using b = fromSessionToken({ sourceCredentials: { ...ALICE }, clientConfig: localConfig(sts()), store });
    expect((await b()).accessKeyId).toBe((await a()).accessKeyId);
    expect(callsOf(sts(), 'GetSessionToken')).toHaveLength(1);
  });
});

describe('web identity and a store', () => {
  test('two pods of one service account share across token rotation (same issuer, subject, audience)', async () => {
    const store = awsCliCacheStore({ dir });
    // A new token for every fetch, as a projected service-account token rotates: same claims, new text.
    let minted = 0;
    const token = () =>
      mintDemoToken({ subject: 'system:serviceaccount:prod:api', now: Date.now() - 60_000 + ++minted * 1_000 });
    const pod = () =>
      fromWebIdentity({
        params: { RoleArn: roleArn('web-identity-role'), RoleSessionName: 'api' },
        webIdentityToken: async () => token(),
        clientConfig: localConfig(sts()),
        store,
      });
    using a = pod();
    using b = pod();
    expect((await b()).accessKeyId).toBe((await a()).accessKeyId);
    expect(callsOf(sts(), 'AssumeRoleWithWebIdentity')).toHaveLength(1);
  });
});
