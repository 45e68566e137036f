import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { awsCliVersion, reportPeerMissing } from '@credchain/testkit';

import { cliCacheKey, fromProfile } from '../src';
import { ALICE, ini, operations, profileDir, readCacheEntry, role, useStsLocal, whoAmI } from './helpers';

const cli = awsCliVersion();
/** Runs a test body only where the CLI is installed; elsewhere says so loudly (fatal in CI). */
const withCli = (body: () => Promise<void>) => async (): Promise<void> => {
  if (cli === undefined) return reportPeerMissing('aws (the AWS CLI)');
  return body();
};

const { sts, cleanups } = useStsLocal();

const base = { aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: ALICE.secretAccessKey };
const profiles = {
  'profile plain': { region: 'us-east-1' },
  'profile demo': {
    role_arn: role('demo-role'),
    source_profile: 'base',
    role_session_name: 'interop',
    duration_seconds: 3600,
  },
  'profile ext': {
    role_arn: role('external-id-role'),
    source_profile: 'base',
    external_id: 'credchain-external-id',
    role_session_name: 'interop-ext',
  },
  'profile chained': { role_arn: role('chained-role'), source_profile: 'demo', role_session_name: 'interop-chained' },
};

/** A temporary HOME holding the two files, so the CLI's cache (~/.aws/cli/cache) is private to the test. */
function home() {
  const files = profileDir(ini(profiles), ini({ base, plain: base }));
  cleanups.push(files.cleanup);
  return { ...files, cacheDir: join(files.dir, '.aws', 'cli', 'cache') };
}

/**
 * `aws sts get-caller-identity --profile P`, against sts-local through AWS_ENDPOINT_URL_STS.
 * Asynchronous: sts-local answers from this very process.
 */
function awsWhoAmI(h: ReturnType<typeof home>, profile: string): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: h.dir,
    AWS_CONFIG_FILE: h.configFilepath,
    AWS_SHARED_CREDENTIALS_FILE: h.filepath,
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((resolve, reject) => {
    execFile(
      'aws',
      ['sts', 'get-caller-identity', '--profile', profile, '--output', 'json'],
      { env, timeout: 170_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`aws failed (${String(error.code)}): ${stderr}`));
        else resolve((JSON.parse(stdout) as { Arn: string }).Arn);
      },
    );
  });
}

function ours(h: ReturnType<typeof home>, profile: string, cliCache?: string) {
  const p = fromProfile({
    profile,
    filepath: h.filepath,
    configFilepath: h.configFilepath,
    clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
    ...(cliCache === undefined ? {} : { cliCache }),
  });
  cleanups.push(() => p.close());
  return p;
}

describe(`interop with the AWS CLI (${cli ?? 'missing'})`, () => {
  it.each(['plain', 'demo', 'ext', 'chained'])(
    'resolves profile %s to the same identity with the same STS calls as the CLI',
    (profile) =>
      withCli(async () => {
        const h = home();
        const cliArn = await awsWhoAmI(h, profile);
        const cliCalls = operations(sts);
        sts.clearCalls();
        const ourArn = await whoAmI(sts, ours(h, profile));
        expect(ourArn).toBe(cliArn);
        expect(operations(sts)).toEqual(cliCalls);
        expect(cliCalls.at(-1)).toBe('GetCallerIdentity');
      })(),
    30_000,
  );

  it(
    'uses an entry the CLI wrote, without an STS call',
    withCli(async () => {
      const h = home();
      const cliArn = await awsWhoAmI(h, 'demo');
      expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`, 'GetCallerIdentity']);
      const key = cliCacheKey({ RoleArn: role('demo-role'), RoleSessionName: 'interop', DurationSeconds: 3600 });
      expect(readdirSync(h.cacheDir)).toEqual([`${key}.json`]);
      // The CLI's file has the shape this package writes.
      const written = readCacheEntry(join(h.cacheDir, `${key}.json`));
      expect(Object.keys(written)).toEqual(['Credentials', 'AssumedRoleUser', 'ResponseMetadata']);
      expect(Object.keys(written.Credentials)).toEqual([
        'AccessKeyId',
        'SecretAccessKey',
        'SessionToken',
        'Expiration',
        'AccountId',
      ]);
      expect(written.Credentials.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Object.keys(written.ResponseMetadata as object)).toEqual([
        'RequestId',
        'HTTPStatusCode',
        'HTTPHeaders',
        'RetryAttempts',
      ]);
      const cliKeyId = sts.calls[1]!.accessKeyId;
      sts.clearCalls();
      const p = ours(h, 'demo', h.cacheDir);
      const creds = await p();
      expect(sts.calls).toHaveLength(0);
      expect(creds.accessKeyId).toBe(cliKeyId);
      expect(await whoAmI(sts, p)).toBe(cliArn);
    }),
    30_000,
  );

  it(
    'writes an entry the CLI uses, without an STS call',
    withCli(async () => {
      const h = home();
      const p = ours(h, 'chained', h.cacheDir);
      const creds = await p();
      expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`, `AssumeRole ${role('chained-role')}`]);
      const key = cliCacheKey({ RoleArn: role('chained-role'), RoleSessionName: 'interop-chained' });
      expect(existsSync(join(h.cacheDir, `${key}.json`))).toBe(true);
      sts.clearCalls();
      const cliArn = await awsWhoAmI(h, 'chained');
      expect(operations(sts)).toEqual(['GetCallerIdentity']);
      expect(sts.calls[0]!.accessKeyId).toBe(creds.accessKeyId);
      expect(cliArn).toBe(`arn:aws:sts::111122223333:assumed-role/chained-role/interop-chained`);
    }),
    30_000,
  );
});
