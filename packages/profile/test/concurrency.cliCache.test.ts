/**
 * Eight processes sharing one AWS CLI cache directory (issue 6, "Concurrency on disk"). Each round
 * is one credential lifetime: every child builds fresh fromProfile providers (nothing held in
 * memory), resolves the same three profiles (children 0–3) or a part of them (children 4–7) twice,
 * and proves each with a signed GetCallerIdentity that sts-local verifies. Between rounds the
 * entries are expired (as time would), so each round must assume each role again — once, not once
 * per process. Asserted: no torn or corrupt file, ever (children parse every file after each
 * resolution, the parent polls throughout and parses after each round); every resolution valid;
 * AssumeRole calls ≤ 2 × profiles × lifetimes + 8 (figure printed).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';

import { writePrivateFile } from '../src';
import { ALICE, ini, profileDir, role } from './helpers';

const CHILDREN = 8;
const ROUNDS = 3;
const TIMES = 2;
const PROFILES = ['deploy', 'deploy-named', 'deploy-short'];

interface Read {
  readonly name: string;
  readonly ok: boolean;
}
interface Result {
  readonly profile: string;
  readonly arn: string;
  readonly reads: Read[];
}

function ask(child: ChildProcess, message: object): Promise<{ results?: Result[]; error?: string; ready?: boolean }> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`child exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (reply) => {
      child.off('exit', onExit);
      resolve(reply as { results?: Result[]; error?: string });
    });
    if (Object.keys(message).length > 0) child.send(message);
  });
}

/** Every cache file parsed now: the names of those that are not whole JSON entries. */
function corruptFiles(dir: string): string[] {
  const bad: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const entry = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { Credentials?: { SessionToken?: unknown } };
      if (typeof entry.Credentials?.SessionToken !== 'string') bad.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') bad.push(name);
    }
  }
  return bad;
}

jest.setTimeout(120_000);

test(
  'eight processes share one AWS CLI cache: no torn file, valid credentials, ' +
    'about one AssumeRole per profile per lifetime',
  async () => {
    const sts: StsLocal = await startStsLocal();
    const files = profileDir(
      ini({
        'profile deploy': { role_arn: role('demo-role'), source_profile: 'base' },
        'profile deploy-named': { role_arn: role('demo-role'), source_profile: 'base', role_session_name: 'named' },
        'profile deploy-short': { role_arn: role('demo-role'), source_profile: 'base', duration_seconds: 1800 },
      }),
      ini({ base: { aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: ALICE.secretAccessKey } }),
    );
    const cacheDir = join(files.dir, 'cli-cache');
    mkdirSync(cacheDir);
    const children: ChildProcess[] = [];
    const seenCorrupt: string[] = [];
    // An object, not a boolean: the type checker would take a `let` for always true inside the poll loop.
    const polling = new AbortController();
    try {
      const args = JSON.stringify({
        endpoint: sts.endpoint,
        cacheDir,
        filepath: files.filepath,
        configFilepath: files.configFilepath,
      });
      for (let i = 0; i < CHILDREN; i++)
        children.push(
          fork(join(__dirname, 'support', 'cacheChild.js'), [args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
        );
      await Promise.all(children.map((child) => ask(child, {})));
      // The parent reads the directory throughout, as a third party (the AWS CLI) would.
      const poll = (async () => {
        while (!polling.signal.aborted) {
          seenCorrupt.push(...corruptFiles(cacheDir));
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();

      const perRound: number[] = [];
      let resolutions = 0;
      for (let r = 0; r < ROUNDS; r++) {
        sts.clearCalls();
        const replies = await Promise.all(
          children.map((child, i) =>
            ask(child, {
              profiles: i < CHILDREN / 2 ? PROFILES : PROFILES.slice(i % PROFILES.length, (i % PROFILES.length) + 1),
              times: TIMES,
            }),
          ),
        );
        for (const reply of replies) {
          expect(reply.error).toBeUndefined();
          for (const result of reply.results!) {
            expect(result.arn).toMatch(/^arn:aws:sts::111122223333:assumed-role\/demo-role\//);
            expect(result.reads.filter((read) => !read.ok)).toEqual([]);
            resolutions++;
          }
        }
        const calls = sts.calls.filter((c) => c.operation === 'AssumeRole');
        const proofs = sts.calls.filter((c) => c.operation === 'GetCallerIdentity');
        expect(calls.every((c) => c.status === 200)).toBe(true);
        expect(proofs.every((c) => c.status === 200 && c.callerArn?.includes(':assumed-role/demo-role/'))).toBe(true);
        perRound.push(calls.length);
        expect(corruptFiles(cacheDir)).toEqual([]);
        expect(readdirSync(cacheDir).filter((n) => n.endsWith('.json'))).toHaveLength(PROFILES.length);
        expect(readdirSync(cacheDir).filter((n) => !n.endsWith('.json'))).toEqual([]); // no temp or lock file left

        // The lifetime ends: every entry expired, rewritten as the AWS CLI would leave it.
        for (const name of readdirSync(cacheDir)) {
          const entry = JSON.parse(readFileSync(join(cacheDir, name), 'utf8')) as {
            Credentials: { Expiration: string };
          };
          entry.Credentials.Expiration = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
          await writePrivateFile(cacheDir, name, JSON.stringify(entry));
        }
      }
      polling.abort();
      await poll;

      const total = perRound.reduce((a, b) => a + b, 0);
      const ideal = PROFILES.length * ROUNDS;
      console.log(
        `concurrency on disk: ${CHILDREN} processes, ${resolutions} resolutions, ` +
          `${PROFILES.length} profiles × ${ROUNDS} lifetimes = ${ideal}; ` +
          `AssumeRole calls ${total} (per lifetime: ${perRound.join(', ')})`,
      );
      expect(resolutions).toBe(ROUNDS * TIMES * (CHILDREN / 2) * (PROFILES.length + 1));
      expect(seenCorrupt).toEqual([]);
      expect(total).toBeGreaterThanOrEqual(ideal);
      expect(total).toBeLessThanOrEqual(2 * ideal + 8);
    } finally {
      polling.abort();
      for (const child of children) child.kill();
      await sts.stop();
      files.cleanup();
    }
  },
);
