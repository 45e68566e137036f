/**
 * `npm run bench`, fleet part (issue 13): separate OS processes share one STS call per role per lifetime
 * through a store.
 *
 * sts-local runs in a process of its own with lifetimes scaled down (`TIME_SCALE`: 900 s sessions last
 * 18 s), a redis-server in another; 32 worker processes (fleetWorker.ts) each hold 100 AssumeRole
 * providers over one source with steady callers, for six lifetimes. Scenarios: no store, the Redis store,
 * the AWS CLI file store, and the Redis store with redis-server killed for a sixth of the run. Counted
 * from sts-local's log: AssumeRole calls per lifetime and per second (the chart); from the workers:
 * caller errors while valid credentials existed, expired credentials handed out, store hits, refresh
 * durations (the latency the store adds to a refresh; the hot path never reaches the store).
 *
 * FLEET_PROCS, FLEET_ROLES and FLEET_LIFETIMES shrink it for a quick look.
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fromAssumeRole } from '@credchain/assume-role';
import type { CredentialProvider, CredentialStore } from '@credchain/core';
import { awsCliCacheStore } from '@credchain/profile';
import { startStsLocal } from '@credchain/sts-local';

import type { WorkerReport } from './fleetWorker';
import { type Loop, makeLoop, median } from './hotPath';
import { ALICE, DEMO_ROLE_ARN, REGION } from './stsBench';
import { type Machine, machine, markdownTable, runBench, table, writeResults } from './report';
import { axes, escape, fmt } from './svg';

const PROCS = Number(process.env.FLEET_PROCS ?? 32);
const ROLES = Number(process.env.FLEET_ROLES ?? 100);
const LIFETIMES = Number(process.env.FLEET_LIFETIMES ?? 6);
const TIME_SCALE = 0.02;
const LIFETIME_MS = 900 * 1_000 * TIME_SCALE;
const RUN_MS = LIFETIMES * LIFETIME_MS;
const CALL_MS = 1_000;

type StoreKind = 'none' | 'redis' | 'file';

interface ScenarioResult {
  readonly id: string;
  readonly label: string;
  readonly store: StoreKind;
  readonly stsCalls: number;
  readonly callsPerLifetime: number;
  readonly perSecond: readonly number[];
  readonly callerCalls: number;
  readonly errorsWhileValid: number;
  readonly errorsOther: number;
  readonly expiredHandedOut: number;
  readonly storeHits: number;
  readonly storeErrors: number;
  readonly storeErrorKinds: Readonly<Record<string, number>>;
  readonly gaveUpWaiting: number;
  /** AssumeRole calls in each credential lifetime of the run. */
  readonly perLifetime: readonly number[];
  /** Refreshes callers waited for (first credentials, mandatory window). */
  readonly refreshP50Ms: number;
  readonly refreshP99Ms: number;
  /** Background refreshes (callers served meanwhile; with a store, the wait for the shared point). */
  readonly backgroundP50Ms: number;
  readonly backgroundP99Ms: number;
  /** Outage scenario: AssumeRole calls while Redis was down, and seconds to the first store hit after. */
  readonly outage?: { readonly stsCalls: number; readonly secondsToShareAgain: number | null };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True when a redis-server answers PING on `port`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** redis-server on a free port, nothing persisted; `kill` and `start` again on the same port. */
async function redisServer(): Promise<{ url: string; start(): Promise<void>; kill(): void }> {
  const binary = ['redis-server', '/usr/bin/redis-server'].find(
    (b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0,
  );
  if (binary === undefined) throw new Error('fleet bench: redis-server is missing (apt-get install redis-server)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'credchain-fleet-redis-'));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      cwd: dir,
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if (await ping(port)) return;
      await sleep(50);
    }
    throw new Error('fleet bench: redis-server did not start');
  };
  await start();
  process.on('exit', () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  return { url: `redis://127.0.0.1:${port}`, start, kill: () => child?.kill('SIGKILL') };
}

async function startSts(): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = fork(join(__dirname, 'fleetSts.js'), [], { env: { ...process.env, TIME_SCALE: String(TIME_SCALE) } });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { endpoint: string }).endpoint));
    child.once('exit', (code) => reject(new Error(`fleet sts-local exited (${String(code)})`)));
  });
  return { child, endpoint };
}

async function callTimes(sts: ChildProcess): Promise<number[]> {
  sts.send('calls');
  return new Promise((resolve) => sts.once('message', (m) => resolve((m as { times: number[] }).times)));
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function scenario(
  id: string,
  label: string,
  store: StoreKind,
  redis: { url: string; start(): Promise<void>; kill(): void },
  outage: boolean,
): Promise<ScenarioResult> {
  const sts = await startSts();
  const cacheDir = mkdtempSync(join(tmpdir(), 'credchain-fleet-cache-'));
  const encryptionKey = randomBytes(32).toString('base64');
  const startedAt = Date.now();
  const workers = Array.from({ length: PROCS }, (_, worker) =>
    fork(join(__dirname, 'fleetWorker.js'), [], {
      env: {
        ...process.env,
        STS_ENDPOINT: sts.endpoint,
        REDIS_URL: redis.url,
        ENCRYPTION_KEY: encryptionKey,
        CACHE_DIR: cacheDir,
        STORE: store,
        ROLES: String(ROLES),
        RUN_MS: String(RUN_MS),
        CALL_MS: String(CALL_MS),
        WORKER: String(worker),
      },
    }),
  );
  const reports = Promise.all(
    workers.map(
      (w) =>
        new Promise<WorkerReport>((resolve, reject) => {
          w.once('message', (m) => resolve(m as WorkerReport));
          // Resolved already when it reported; an exit before that, whatever its code, is a failure.
          w.once('exit', (code) => reject(new Error(`fleet worker exited (${String(code)}) without reporting`)));
        }),
    ),
  );
  let down: { from: number; to: number } | undefined;
  if (outage) {
    // Down for a sixth of the run, from the middle of the third lifetime.
    await sleep(2.5 * LIFETIME_MS);
    const from = Date.now();
    redis.kill();
    await sleep(RUN_MS / 6);
    await redis.start();
    down = { from, to: Date.now() };
  }
  const all = await reports;
  console.error(`fleet: ${label} done (${Math.round((Date.now() - startedAt) / 1_000)} s)`);
  const times = await callTimes(sts.child);
  sts.child.send('stop');
  rmSync(cacheDir, { recursive: true, force: true });
  const seconds = Math.ceil((Date.now() - startedAt) / 1_000);
  const perSecond = Array.from({ length: seconds }, () => 0);
  for (const t of times) perSecond[Math.min(seconds - 1, Math.max(0, Math.floor((t - startedAt) / 1_000)))]!++;
  const sum = (f: (r: WorkerReport) => number): number => all.reduce((n, r) => n + f(r), 0);
  const refreshMs = all.flatMap((r) => r.refreshMs);
  const backgroundMs = all.flatMap((r) => r.backgroundMs);
  // Lifetimes counted from the fleet's first call: on a loaded machine the workers start seconds late.
  const origin = times.reduce((min, t) => Math.min(min, t), Number.POSITIVE_INFINITY);
  const perLifetime = Array.from({ length: LIFETIMES }, () => 0);
  for (const t of times) {
    perLifetime[Math.min(LIFETIMES - 1, Math.max(0, Math.floor((t - origin) / LIFETIME_MS)))]!++;
  }
  const firstHitAfter =
    down === undefined ? undefined : Math.min(...all.flatMap((r) => r.hitTimes.filter((t) => t >= down.to)));
  return {
    id,
    label,
    store,
    stsCalls: times.length,
    callsPerLifetime: Math.round((times.length / (RUN_MS / LIFETIME_MS)) * 10) / 10,
    perSecond,
    callerCalls: sum((r) => r.calls),
    errorsWhileValid: sum((r) => r.errorsWhileValid),
    errorsOther: sum((r) => r.errorsOther),
    expiredHandedOut: sum((r) => r.expiredHandedOut),
    storeHits: sum((r) => r.storeHits),
    storeErrors: sum((r) => r.storeErrors),
    storeErrorKinds: all.reduce<Record<string, number>>((kinds, r) => {
      for (const [what, n] of Object.entries(r.storeErrorKinds)) kinds[what] = (kinds[what] ?? 0) + n;
      return kinds;
    }, {}),
    gaveUpWaiting: sum((r) => r.gaveUpWaiting),
    perLifetime,
    refreshP50Ms: median(refreshMs),
    refreshP99Ms: percentile(refreshMs, 99),
    backgroundP50Ms: median(backgroundMs),
    backgroundP99Ms: percentile(backgroundMs, 99),
    ...(down === undefined
      ? {}
      : {
          outage: {
            stsCalls: times.filter((t) => t >= down.from && t < down.to).length,
            secondsToShareAgain:
              firstHitAfter === undefined || !Number.isFinite(firstHitAfter)
                ? null
                : Math.round((firstHitAfter - down.to) / 100) / 10,
          },
        }),
  };
}

/** STS calls per second over the run, one line per scenario. */
function chart(results: readonly ScenarioResult[]): string {
  const width = 760;
  const height = 320;
  const plot = { left: 70, right: width - 20, top: 20, bottom: height - 60 };
  const seconds = Math.max(...results.map((r) => r.perSecond.length));
  const max = Math.max(1, ...results.flatMap((r) => r.perSecond));
  const colors = ['#c0392b', '#2471a3', '#229954', '#8e44ad'];
  const x = (s: number): number => plot.left + (s / Math.max(1, seconds - 1)) * (plot.right - plot.left);
  const y = (v: number): number => plot.bottom - (v / max) * (plot.bottom - plot.top);
  const lines = results.map((r, i) => {
    const points = r.perSecond.map((v, s) => `${fmt(x(s))},${fmt(y(v))}`).join(' ');
    return `<polyline fill="none" stroke="${colors[i % colors.length]}" stroke-width="1.5" points="${points}"/>`;
  });
  const legend = results.map(
    (r, i) =>
      `<text x="${plot.right - 300}" y="${plot.top + 16 + i * 16}" fill="${colors[i % colors.length]}">` +
      `${escape(r.label)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    ...axes(plot, `seconds (one credential lifetime = ${LIFETIME_MS / 1_000} s)`, 'AssumeRole calls per second'),
    `<text x="${plot.left - 8}" y="${plot.top + 4}" text-anchor="end">${max}</text>`,
    ...lines,
    ...legend,
    '</svg>',
  ].join('\n');
}

function report(results: readonly ScenarioResult[], env: Machine): { md: string; text: string } {
  // What one process makes alone: the no-store run's calls shared out over its processes. A store's
  // target is that figure for the whole fleet (≤ 1.1×); without a store the fleet makes PROCS × it.
  const alone = (results.find((r) => r.store === 'none')?.callsPerLifetime ?? 0) / PROCS;
  const rows = results.map((r) => [
    r.label,
    String(r.stsCalls),
    `${r.callsPerLifetime} (${alone > 0 ? (r.callsPerLifetime / alone).toFixed(2) : '?'}×)`,
    String(r.errorsWhileValid),
    String(r.expiredHandedOut),
    String(r.storeHits),
    String(r.storeErrors),
    r.perLifetime.join(', '),
    `${r.refreshP50Ms.toFixed(0)} / ${r.refreshP99Ms.toFixed(0)}`,
    `${r.backgroundP50Ms.toFixed(0)} / ${r.backgroundP99Ms.toFixed(0)}`,
    r.outage === undefined
      ? '–'
      : `${r.outage.stsCalls} calls while down; shared again ${r.outage.secondsToShareAgain ?? 'never'} s after`,
  ]);
  const head = [
    'scenario',
    'AssumeRole calls',
    'per lifetime (× one process alone)',
    'caller errors while valid',
    'expired handed out',
    'store hits',
    'store errors',
    'calls in each lifetime',
    'waited-for refresh p50 / p99 ms',
    'background refresh p50 / p99 ms',
    'Redis outage',
  ];
  const md = [
    '# Fleet: one STS call per role per lifetime across processes',
    '',
    `${PROCS} processes × ${ROLES} AssumeRole providers over one source, steady callers (each every ` +
      `${CALL_MS / 1_000} s), ${LIFETIMES} credential lifetimes of ${LIFETIME_MS / 1_000} s (sts-local in its own ` +
      `process, lifetimes scaled by ${TIME_SCALE}); a real redis-server. "One process alone" is what one ` +
      `process's ${ROLES} providers call: each refreshes in its advisory window, which for these short ` +
      'sessions opens at half their life, so a role takes about two sessions per lifetime of wall time. Target ' +
      `with a store: the whole fleet ≤ 1.1 × one process alone (${PROCS} × without). ` +
      'The outage row kills redis-server for a ' +
      'sixth of the run, from the middle of the third lifetime. Refresh durations include the store steps ' +
      '(read, lock, wait for the holder): "waited-for" are the refreshes callers waited on (first ' +
      'credentials, mandatory window), "background" those callers were served during, which with a store ' +
      "include the wait for the fleet's shared refresh point. The hot path never reaches the store.",
    '',
    `Machine: ${env.cpuModel}, ${env.cpuCount} cores, Node ${env.node}.`,
    '',
    markdownTable([head, ...rows]),
    '',
    '![AssumeRole calls per second](fleet.svg)',
    '',
  ].join('\n');
  return { md, text: table([head, ...rows]) };
}

/**
 * The hot path with and without a store: cached credentials handed out, ns per call (median of rounds).
 * The store is only read on a refresh, so the two should be the same.
 */
async function hotPath(): Promise<{ none: number; store: number }> {
  const sts = await startStsLocal({ region: REGION });
  const dir = mkdtempSync(join(tmpdir(), 'credchain-fleet-hot-'));
  const make = (store?: CredentialStore): CredentialProvider =>
    fromAssumeRole({
      params: { RoleArn: DEMO_ROLE_ARN, RoleSessionName: 'hot-path', DurationSeconds: 3600 },
      sourceCredentials: ALICE,
      clientConfig: { endpoint: sts.endpoint, region: REGION },
      ...(store === undefined ? {} : { store }),
    });
  const none = make();
  const stored = make(awsCliCacheStore({ dir }));
  await none();
  await stored();
  const N = 200_000;
  const time = async (p: CredentialProvider, loop: Loop): Promise<number> => {
    const rounds: number[] = [];
    for (let r = 0; r < 15; r++) {
      const t0 = process.hrtime.bigint();
      await loop(p, N);
      rounds.push(Number(process.hrtime.bigint() - t0) / N);
    }
    return median(rounds.slice(5));
  };
  const result = { none: await time(none, makeLoop()), store: await time(stored, makeLoop()) };
  none.close();
  stored.close();
  await sts.stop();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

async function main(): Promise<readonly string[]> {
  const hot = await hotPath();
  const redis = await redisServer();
  const results: ScenarioResult[] = [];
  // FLEET_SCENARIOS (ids, comma-separated) runs some of them, for a quick look.
  const only = process.env.FLEET_SCENARIOS?.split(',');
  const run = async (...args: Parameters<typeof scenario>): Promise<void> => {
    if (only === undefined || only.includes(args[0])) results.push(await scenario(...args));
  };
  await run('none', 'no store', 'none', redis, false);
  await run('redis', 'Redis store', 'redis', redis, false);
  await run('file', 'AWS CLI file store (one host)', 'file', redis, false);
  await run('redis-outage', 'Redis store, Redis killed for 1/6', 'redis', redis, true);
  redis.kill();
  const env = machine();
  const { md: table_, text } = report(results, env);
  const md =
    `${table_}\nHot path (cached credentials handed out, ns per call, median): ${hot.none.toFixed(1)} without a ` +
    `store, ${hot.store.toFixed(1)} with one — the store is read only on a refresh.\n`;
  writeResults({
    'fleet.md': md,
    'fleet.json': `${JSON.stringify({ machine: env, procs: PROCS, roles: ROLES, lifetimes: LIFETIMES, hot, results })}`,
    'fleet.svg': `${chart(results)}\n`,
  });
  console.log(`\nFleet: ${PROCS} processes × ${ROLES} roles, ${LIFETIMES} lifetimes\n${text}`);
  console.log(`hot path ns/call: ${hot.none.toFixed(1)} without a store, ${hot.store.toFixed(1)} with one`);
  // Correctness, not speed: a caller must never see an error while valid credentials exist, nor expired ones.
  return results.flatMap((r) => [
    ...(r.errorsWhileValid > 0 ? [`${r.label}: ${r.errorsWhileValid} caller errors while credentials were valid`] : []),
    ...(r.expiredHandedOut > 0 ? [`${r.label}: ${r.expiredHandedOut} expired credentials handed out`] : []),
  ]);
}

// The forked servers and workers hold IPC channels open: once the part has reported (or failed), exit.
runBench(() => main().finally(() => setTimeout(() => process.exit(), 1_000).unref()));
