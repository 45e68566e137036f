/**
 * Eight `credchain credential-process` processes started at once (as the AWS CLI and SDKs of
 * several tools do) sharing one cache directory, for two profiles over two lifetimes (between
 * rounds the entries are expired): every process prints valid credentials (sts-local verifies a
 * signed GetCallerIdentity with each), no cache file is ever torn, and the processes make about
 * one AssumeRole per role per lifetime (bound: twice that; figure printed).
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { writePrivateFile } from '@credchain/profile';

import { startHarness } from './support/harness';
import type { Harness } from './support/harness';
import { stringMatching } from './support/matchers';

const BIN = join(__dirname, 'support', 'credchainFromSource.js');
const PROCESSES = 8;
const ROUNDS = 2;
const PROFILES = ['demo', 'chained'];

jest.setTimeout(300_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

function credentialProcess(profile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'credential-process', '--profile', profile],
      { env: { ...h.env, NODE_NO_WARNINGS: '1' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function cacheFiles(): Array<{ name: string; text: string }> {
  const dir = h.env.CREDCHAIN_CACHE_DIR!;
  return readdirSync(dir).map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

test('8 processes, one cache: valid credentials, whole files, ~one AssumeRole per profile per lifetime', async () => {
  const perRound: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    h.server.clearCalls();
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => credentialProcess(PROFILES[i % PROFILES.length]!)),
    );
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const printed = JSON.parse(run.stdout) as {
        Version: number;
        AccessKeyId: string;
        SecretAccessKey: string;
        SessionToken: string;
      };
      expect(printed.Version).toBe(1);
      const client = new STSClient({
        endpoint: h.server.endpoint,
        region: 'us-east-1',
        credentials: {
          accessKeyId: printed.AccessKeyId,
          secretAccessKey: printed.SecretAccessKey,
          sessionToken: printed.SessionToken,
        },
      });
      await expect(client.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
        Arn: stringMatching(/:assumed-role\/(demo|chained)-role\//),
      });
      client.destroy();
    }
    perRound.push(h.server.calls.filter((c) => c.operation === 'AssumeRole').length);
    const files = cacheFiles();
    expect(files.map((f) => f.name).filter((n) => !n.endsWith('.json'))).toEqual([]); // no temp or lock file left
    expect(files).toHaveLength(PROFILES.length);
    // The lifetime ends: entries expire.
    for (const { name, text } of files) {
      const entry = JSON.parse(text) as { accessKeyId: string; expiration: string };
      expect(typeof entry.accessKeyId).toBe('string');
      await writePrivateFile(
        h.env.CREDCHAIN_CACHE_DIR!,
        name,
        JSON.stringify({ ...entry, expiration: new Date(Date.now() - 1000).toISOString() }),
      );
    }
  }
  const total = perRound.reduce((a, b) => a + b, 0);
  // chained: demo-role then chained-role, so two AssumeRole per lifetime for that profile.
  const ideal = (PROFILES.length + 1) * ROUNDS;
  console.log(
    `credential-process concurrency: ${PROCESSES} processes × ${ROUNDS} lifetimes, ideal ${ideal} AssumeRole; ` +
      `made ${total} (per lifetime: ${perRound.join(', ')})`,
  );
  expect(total).toBeGreaterThanOrEqual(ideal);
  // Twice the ideal: without the lock the eight processes made 15 (9 + 6) in one run.
  expect(total).toBeLessThanOrEqual(2 * ideal);
});
