/**
 * Web identity credentials shared with the AWS CLI through `~/.aws/cli/cache` (`cliCache`), as
 * botocore 2.9.19 caches them: `AssumeRoleWithWebIdentityCredentialFetcher` is a
 * `BaseAssumeRoleCredentialFetcher`, whose key is the SHA-1 of `json.dumps(args, sort_keys=True)`
 * over its own arguments only — RoleArn, and RoleSessionName when the profile sets one; never the
 * token (added per call by `_assume_role_kwargs`). Both directions are judged by the AWS CLI v2
 * itself when /usr/bin/aws is installed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { AWS_CLI_V2_PEER, awsCliV2, awsCliV2Home, reportPeerMissing } from '@credchain/testkit';

import { fromProfile } from '../src';
import { ini, operations, profileDir, readCacheEntry, role, useStsLocal, whoAmI } from './helpers';

const { sts, cleanups } = useStsLocal();
const ROLE = role('web-identity-role');

/** botocore's key, spelled out: Python's json.dumps separators (", " and ": "), keys sorted. */
const botocoreKey = (json: string): string => createHash('sha1').update(json, 'utf8').digest('hex');

async function tokenFileIn(dir: string): Promise<string> {
  const file = join(dir, 'token');
  writeFileSync(file, await sts.mintWebIdentityToken({ subject: 'ci-job', roleArn: ROLE }));
  return file;
}

function ours(dir: string, cacheDir: string) {
  const p = fromProfile({
    profile: 'w',
    filepath: join(dir, 'credentials'),
    configFilepath: join(dir, 'config'),
    clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
    cliCache: cacheDir,
  });
  cleanups.push(() => p.close());
  return p;
}

describe('web identity in the AWS CLI cache', () => {
  it.each([
    ['with role_session_name', { role_session_name: 'ci' }, `{"RoleArn": "${ROLE}", "RoleSessionName": "ci"}`],
    ['without (a generated name is left out of the key)', {}, `{"RoleArn": "${ROLE}"}`],
  ])("writes the response under botocore's key, %s, and reads it back without STS", async (_n, extra, json) => {
    const files = profileDir('', '');
    cleanups.push(files.cleanup);
    const config = ini({
      'profile w': { role_arn: ROLE, web_identity_token_file: await tokenFileIn(files.dir), ...extra },
    });
    writeFileSync(files.configFilepath, config);
    const cacheDir = join(files.dir, 'cache');
    const first = await ours(files.dir, cacheDir)();
    expect(operations(sts)).toEqual([`AssumeRoleWithWebIdentity ${ROLE}`]);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.json'))).toEqual([`${botocoreKey(json)}.json`]);
    const entry = readCacheEntry(join(cacheDir, `${botocoreKey(json)}.json`));
    expect(entry.Credentials.AccessKeyId).toBe(first.accessKeyId);
    // The whole response, as botocore stores it: the web identity fields come along.
    expect(entry).toMatchObject({
      SubjectFromWebIdentityToken: 'ci-job',
      AssumedRoleUser: { Arn: expect.stringContaining('web-identity-role') as unknown },
    });

    sts.clearCalls();
    const second = await ours(files.dir, cacheDir)();
    expect(second.accessKeyId).toBe(first.accessKeyId);
    expect(sts.calls).toHaveLength(0);
  });

  it('stays out of the cache without cliCache', async () => {
    const files = profileDir('', '');
    cleanups.push(files.cleanup);
    writeFileSync(
      files.configFilepath,
      ini({ 'profile w': { role_arn: ROLE, web_identity_token_file: await tokenFileIn(files.dir) } }),
    );
    const p = fromProfile({
      profile: 'w',
      configFilepath: files.configFilepath,
      filepath: files.filepath,
      clientConfig: { endpoint: sts.endpoint },
    });
    cleanups.push(() => p.close());
    await p();
    expect(existsSync(join(files.dir, '.aws'))).toBe(false);
    expect(readdirSync(files.dir).sort()).toEqual(['config', 'credentials', 'token']);
  });
});

describe('with the AWS CLI v2', () => {
  const cli = awsCliV2();
  const withCli = (body: () => Promise<void>) => async (): Promise<void> => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    return body();
  };

  /** A private HOME for the CLI with a web identity profile; the CLI's cache is `<home>/.aws/cli/cache`. */
  async function home() {
    const h = awsCliV2Home(cli!, {
      sts: sts.endpoint,
      stsGlobal: sts.globalEndpoint,
      env: { AWS_REGION: 'us-east-1' },
    });
    cleanups.push(() => h.cleanup());
    const tokenFile = await tokenFileIn(h.home);
    writeFileSync(
      h.configFile,
      ini({ 'profile w': { role_arn: ROLE, web_identity_token_file: tokenFile, role_session_name: 'interop' } }),
    );
    const cacheDir = join(h.home, '.aws', 'cli', 'cache');
    const provider = () => {
      const p = fromProfile({
        profile: 'w',
        filepath: h.credentialsFile,
        configFilepath: h.configFile,
        clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
        cliCache: cacheDir,
      });
      cleanups.push(() => p.close());
      return p;
    };
    const cliArn = async (): Promise<string> => {
      const run = await h.run(['sts', 'get-caller-identity', '--profile', 'w', '--output', 'json']);
      expect(run.stderr).toBe('');
      return (JSON.parse(run.stdout) as { Arn: string }).Arn;
    };
    return { cacheDir, provider, cliArn };
  }

  it(
    'uses the credentials the AWS CLI cached, without calling STS',
    withCli(async () => {
      const h = await home();
      const arn = await h.cliArn();
      expect(operations(sts)).toEqual([`AssumeRoleWithWebIdentity ${ROLE}`, 'GetCallerIdentity']);
      sts.clearCalls();
      const p = h.provider();
      await p();
      expect(sts.calls).toHaveLength(0);
      expect(await whoAmI(sts, p)).toBe(arn);
    }),
  );

  it(
    'leaves credentials the AWS CLI uses without calling STS',
    withCli(async () => {
      const h = await home();
      const ours = await h.provider()();
      expect(operations(sts)).toEqual([`AssumeRoleWithWebIdentity ${ROLE}`]);
      sts.clearCalls();
      await h.cliArn();
      expect(operations(sts)).toEqual(['GetCallerIdentity']);
      expect(sts.calls[0]!.accessKeyId).toBe(ours.accessKeyId);
    }),
  );
});
