import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

import { cliCacheKey, fromProfile } from '../src';
import type { CliCacheKeyArgs, FromProfileInit } from '../src';
import {
  ALICE,
  ALICE_MFA,
  aliceTotp,
  ini,
  operations,
  profileDir,
  readCacheEntry,
  role,
  useStsLocal,
  whoAmI,
} from './helpers';

/** The keys computed by Python itself, the way botocore does: json.dumps(sort_keys=True), SHA-1. */
function pythonKeys(argSets: readonly CliCacheKeyArgs[]): string[] {
  const script = [
    'import hashlib, json, sys',
    'out = []',
    'for args in json.load(sys.stdin):',
    "    if 'Policy' in args: args['Policy'] = json.loads(args['Policy'])",
    "    out.append(hashlib.sha1(json.dumps(args, sort_keys=True).encode('utf-8')).hexdigest())",
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(argSets), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

describe('cliCacheKey', () => {
  const argSets: CliCacheKeyArgs[] = [
    { RoleArn: role('demo-role') },
    { RoleArn: role('demo-role'), RoleSessionName: 'deploy', DurationSeconds: 7200 },
    {
      RoleArn: role('mfa-role'),
      SerialNumber: ALICE_MFA,
      ExternalId: 'x-1',
      DurationSeconds: 900,
      RoleSessionName: 's',
    },
    { RoleArn: role('demo-role'), ExternalId: 'zoë ☃ 𝄞 "quoted" back\\slash\ttab /slash \u007f' },
    {
      RoleArn: role('demo-role'),
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Resource: '*',
            Action: ['s3:GetObject', 'sts:*'],
            Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } },
          },
        ],
      }),
    },
    // Key order, floats, exponents, big ints, nested unicode keys, null, booleans: json.loads/dumps round trip.
    {
      RoleArn: role('demo-role'),
      Policy:
        '{"z": 1.0, "a": [1e3, 0.00001, 1.5e-7, 12345678901234567890, 1e16, -0.0, 2.5], ' +
        '"é": {"b": null, "a": true, "ä": false}, "\\ud834\\udd1e": "x", "\\ue000": "y"}',
    },
    { RoleArn: role('demo-role'), RoleSessionName: 'a', Policy: '  {"Statement" : [ ] , "Version":"2012-10-17"}  ' },
  ];

  it("is the SHA-1 of Python's json.dumps(args, sort_keys=True), as botocore computes it", () => {
    const expected = pythonKeys(argSets);
    expect(argSets.map(cliCacheKey)).toEqual(expected);
    expect(new Set(expected).size).toBe(argSets.length);
  });

  it("matches botocore's own AssumeRoleCredentialFetcher", () => {
    const script = [
      'import json, sys',
      'from botocore.credentials import AssumeRoleCredentialFetcher',
      'a = json.load(sys.stdin)',
      "f = AssumeRoleCredentialFetcher(None, None, a.pop('RoleArn'), extra_args=a)",
      'print(f._cache_key)',
    ].join('\n');
    for (const args of [argSets[1]!, argSets[2]!, argSets[4]!, { RoleArn: role('demo-role'), DurationSeconds: 3600 }]) {
      const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(args), encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(cliCacheKey(args)).toBe(run.stdout.trim());
    }
  });

  it('refuses a Policy that is not JSON, naming it', () => {
    expect(() => cliCacheKey({ RoleArn: role('demo-role'), Policy: '{nope' })).toThrow(
      /Policy must be a JSON policy document/,
    );
  });
});

describe('fromProfile with cliCache', () => {
  const { sts, cleanups } = useStsLocal();

  const base = { aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: ALICE.secretAccessKey };
  const demoKey = cliCacheKey({ RoleArn: role('demo-role'), RoleSessionName: 'cached', DurationSeconds: 3600 });

  function setup(init: FromProfileInit = {}, sections?: Record<string, Record<string, string | number>>) {
    const files = profileDir(
      ini(
        sections ?? {
          'profile c': {
            role_arn: role('demo-role'),
            source_profile: 'base',
            role_session_name: 'cached',
            duration_seconds: 3600,
          },
        },
      ),
      ini({ base }),
    );
    const cacheDir = join(files.dir, 'cache');
    const provider = fromProfile({
      profile: 'c',
      filepath: files.filepath,
      configFilepath: files.configFilepath,
      cliCache: cacheDir,
      clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
      ...init,
    });
    cleanups.push(() => provider.close(), files.cleanup);
    return { provider, cacheDir, files };
  }

  /** A real AssumeRole response, stored as the CLI stores it. */
  async function cliEntry(expirationOverride?: string) {
    const client = new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, credentials: ALICE });
    const out = await client.send(new AssumeRoleCommand({ RoleArn: role('demo-role'), RoleSessionName: 'from-cli' }));
    client.destroy();
    const c = out.Credentials!;
    return {
      Credentials: {
        AccessKeyId: c.AccessKeyId,
        SecretAccessKey: c.SecretAccessKey,
        SessionToken: c.SessionToken,
        Expiration: expirationOverride ?? `${c.Expiration!.toISOString().slice(0, 19)}UTC`,
        AccountId: '111122223333',
      },
      AssumedRoleUser: out.AssumedRoleUser,
      ResponseMetadata: { RequestId: out.$metadata.requestId, HTTPStatusCode: 200, HTTPHeaders: {}, RetryAttempts: 0 },
    };
  }

  it('writes the AssumeRole response where the CLI looks, mode 0600, Expiration as the CLI writes it', async () => {
    const { provider, cacheDir } = setup();
    const creds = await provider();
    const file = join(cacheDir, `${demoKey}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const entry = readCacheEntry(file);
    const call = sts.calls.find((c) => c.operation === 'AssumeRole')!;
    expect(entry).toEqual({
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: `${creds.expiration!.toISOString().slice(0, 19)}Z`,
        AccountId: '111122223333',
      },
      AssumedRoleUser: {
        AssumedRoleId: expect.any(String) as unknown,
        Arn: 'arn:aws:sts::111122223333:assumed-role/demo-role/cached',
      },
      ResponseMetadata: {
        RequestId: call.requestId,
        HTTPStatusCode: 200,
        HTTPHeaders: expect.objectContaining({ 'content-type': expect.stringContaining('xml') as unknown }) as unknown,
        RetryAttempts: 0,
      },
    });
    expect(readdirSync(cacheDir)).toEqual([`${demoKey}.json`]);
  });

  it('uses a valid entry without calling STS', async () => {
    const entry = await cliEntry();
    const { provider, cacheDir } = setup();
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, `${demoKey}.json`), JSON.stringify(entry));
    sts.clearCalls();
    const creds = await provider();
    expect(creds.accessKeyId).toBe(entry.Credentials.AccessKeyId);
    expect(creds.expiration!.getTime()).toBe(Date.parse(entry.Credentials.Expiration.replace('UTC', 'Z')));
    expect(sts.calls).toHaveLength(0);
    expect(await whoAmI(sts, provider)).toMatch(/assumed-role\/demo-role\/from-cli$/);
  });

  it('ignores an entry with less than 15 minutes left, as the CLI does, and replaces it', async () => {
    const entry = await cliEntry(new Date(Date.now() + 10 * 60_000).toISOString());
    const { provider, cacheDir } = setup();
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, `${demoKey}.json`), JSON.stringify(entry));
    sts.clearCalls();
    const creds = await provider();
    expect(creds.accessKeyId).not.toBe(entry.Credentials.AccessKeyId);
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`]);
    expect(readCacheEntry(join(cacheDir, `${demoKey}.json`)).Credentials.AccessKeyId).toBe(creds.accessKeyId);
  });

  it.each([
    ['corrupt', '{"Credentials": {"AccessKeyId": "AKIA'],
    ['foreign', JSON.stringify({ startUrl: 'https://sso', accessToken: 'x', expiresAt: '2099-01-01T00:00:00Z' })],
    [
      'bad-date',
      JSON.stringify({
        Credentials: { AccessKeyId: 'A', SecretAccessKey: 'B', SessionToken: 'C', Expiration: 'tomorrow' },
      }),
    ],
  ])('ignores a %s file and overwrites it safely', async (_kind, content) => {
    const { provider, cacheDir } = setup();
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, `${demoKey}.json`), content);
    const creds = await provider();
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`]);
    expect(readCacheEntry(join(cacheDir, `${demoKey}.json`)).Credentials.AccessKeyId).toBe(creds.accessKeyId);
    expect(readdirSync(cacheDir)).toEqual([`${demoKey}.json`]);
  });

  it('does not take back from the cache the credentials it is refreshing away from', async () => {
    const { provider } = setup();
    const first = await provider();
    const second = await provider.refresh();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`, `AssumeRole ${role('demo-role')}`]);
  });

  it('shares an entry between two providers of one profile (one STS call)', async () => {
    const { provider, files, cacheDir } = setup();
    await provider();
    const other = fromProfile({
      profile: 'c',
      filepath: files.filepath,
      configFilepath: files.configFilepath,
      cliCache: cacheDir,
      clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
    });
    cleanups.push(() => other.close());
    expect((await other()).accessKeyId).toBe((await provider()).accessKeyId);
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`]);
  });

  it('with cliCache: true, uses ~/.aws/cli/cache', async () => {
    const { provider, files } = setup({ cliCache: true });
    const savedHome = process.env.HOME;
    process.env.HOME = files.dir;
    try {
      await provider();
    } finally {
      process.env.HOME = savedHome;
    }
    expect(existsSync(join(files.dir, '.aws', 'cli', 'cache', `${demoKey}.json`))).toBe(true);
  });

  it('keys an MFA role by its mfa_serial, also when an MFA session signs the AssumeRole', async () => {
    sts.advanceTime(60_000);
    const totp = aliceTotp(sts);
    const { provider, cacheDir } = setup(
      { mfaCodeProvider: totp.provider, mfaSession: { durationSeconds: 3600 } },
      { 'profile c': { role_arn: role('mfa-role'), source_profile: 'base', mfa_serial: ALICE_MFA } },
    );
    await provider();
    // Beside the role's entry, the record of used MFA codes shared with other processes (shareUsedMfaCodes).
    expect(readdirSync(cacheDir).sort()).toEqual(
      [
        `${cliCacheKey({ RoleArn: role('mfa-role'), SerialNumber: ALICE_MFA })}.json`,
        'credchain-mfa-used-codes.json',
      ].sort(),
    );
  });
});
