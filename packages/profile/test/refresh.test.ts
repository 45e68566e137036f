import { join } from 'node:path';

import type { CredentialEvent } from '@credchain/core';
import { until } from '@credchain/testkit';
import { useStsLocal } from '@credchain/testkit/sts-local';

import { cliCacheKey, fromProfile } from '../src';
import { ALICE, ini, profileDir, readCacheEntry, role } from './helpers';

// Fake timers drive the engine and sts-local's clock together; HTTP stays real.
const server = useStsLocal({ per: 'test', fakeNow: () => Date.now() });

it('refreshes a profile role in the background, through the AWS CLI cache, before it expires', async () => {
  const sts = server();
  const files = profileDir(
    ini({ 'profile short': { role_arn: role('demo-role'), source_profile: 'base', duration_seconds: 900 } }),
    ini({ base: { aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: ALICE.secretAccessKey } }),
  );
  const cacheDir = join(files.dir, 'cache');
  const events: CredentialEvent[] = [];
  const provider = fromProfile({
    profile: 'short',
    filepath: files.filepath,
    configFilepath: files.configFilepath,
    cliCache: cacheDir,
    clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
    onEvent: (e) => events.push(e),
  });
  try {
    const first = await provider();
    const file = join(cacheDir, `${cliCacheKey({ RoleArn: role('demo-role'), DurationSeconds: 900 })}.json`);
    expect(readCacheEntry(file).Credentials.AccessKeyId).toBe(first.accessKeyId);

    // 15-minute credentials: the advisory window is the 5 minutes before the mandatory one (the last
    // minute), and the timer fires up to half of it late (jitter 0.5): by 11.5 minutes. Nobody calls.
    await jest.advanceTimersByTimeAsync(12 * 60_000);
    await until(() => events.filter((e) => e.type === 'refresh-success').length === 2);
    expect(sts.calls.filter((c) => c.operation === 'AssumeRole')).toHaveLength(2);
    const second = await provider();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(second.expiration!.getTime()).toBeGreaterThan(first.expiration!.getTime());
    await until(() => readCacheEntry(file).Credentials.AccessKeyId === second.accessKeyId);
  } finally {
    provider.close();
    files.cleanup();
  }
});
