/**
 * `npm run bench`: the refresh engine of @credchain/core side by side with the AWS SDK's credential
 * caches (issue 2, "Benchmark"). Measures and prints; it asserts nothing about speed. It exits
 * non-zero only on a correctness failure: ours handing out expired credentials in scenario 2 or 3.
 *
 * Figures go to bench/results/core.json (the latest run, committed).
 */
import { runHotPath } from './hotPath';
import { IMPLEMENTATIONS, runLongTurn, runSuspend, runWaitAcrossRefresh } from './fakeTime';
import { REFRESH_POINT_VARIANTS, WINDOW, runRefreshPoints } from './refreshPoints';
import { refreshPointsChart } from './refreshPointsChart';
import { machine as describeMachine, runBench, table, writeResults } from './report';

const MINUTE = 60_000;

async function main(): Promise<string[]> {
  const started = Date.now();
  const machine = describeMachine();
  console.log(`credchain bench: node ${machine.node}, ${machine.cpuModel} (${machine.cpuCount} CPUs)\n`);

  const hotPathConfig = { ops: 500_000, rounds: 25, warmupRounds: 4 };
  console.log(
    `1. hot path: ${hotPathConfig.rounds} rounds × ${hotPathConfig.ops} sequential awaits per implementation …`,
  );
  const hot = await runHotPath(hotPathConfig);

  console.log('2. callers across a refresh (fake time) …');
  const waits = [];
  for (const impl of IMPLEMENTATIONS) waits.push(await runWaitAcrossRefresh(impl));

  console.log('3. suspend past expiration (fake time) …');
  const suspend = [];
  for (const impl of IMPLEMENTATIONS) suspend.push(await runSuspend(impl, true));
  const suspendSameTurn = [];
  for (const impl of IMPLEMENTATIONS) suspendSameTurn.push(await runSuspend(impl, false));
  const longTurnConfig = { lifetimeMs: 15 * MINUTE, durationMs: 17 * MINUTE, stepMs: 1_000 };
  const longTurn = [];
  for (const impl of IMPLEMENTATIONS) {
    longTurn.push(await runLongTurn(impl, longTurnConfig.lifetimeMs, longTurnConfig.durationMs, longTurnConfig.stepMs));
  }

  const fleet = 1_000;
  console.log(`4. refresh points of ${fleet} providers under steady callers (fake time) …`);
  const refreshPoints = [];
  for (const variant of REFRESH_POINT_VARIANTS) refreshPoints.push(await runRefreshPoints(variant, fleet));

  const rows: string[][] = [['scenario', 'implementation', 'result', 'ratio to floor']];
  for (const r of hot) {
    rows.push(['1 hot path', r.label, `${r.nsPerOp.toFixed(1)} ns/op`, `${r.ratioToFloor.toFixed(2)}×`]);
  }
  for (const r of waits) {
    rows.push([
      '2 across a refresh',
      r.label,
      `${r.waitingGe10ms} of ${r.callers} callers waited ≥ 10 ms (max ${r.maxWaitMs} ms); ` +
        `${r.expiredHandedOut} expired handed out; ${r.errors} errors; ${r.fetches} fetches`,
      '',
    ]);
  }
  for (const r of suspend) {
    rows.push(['3 suspend, turn passes', r.label, `${r.outcome}; waited ${r.waitMs} ms`, '']);
  }
  for (const r of suspendSameTurn) {
    rows.push(['3b suspend, same turn (info)', r.label, `${r.outcome}; waited ${r.waitMs} ms`, '']);
  }
  for (const r of longTurn) {
    rows.push([
      '3c 17-min turn, 15-min creds (info)',
      r.label,
      `${r.expiredHandedOut} of ${r.calls} calls got expired credentials; turn ended ${r.turnsEnded}×`,
      '',
    ]);
  }
  const minutes = (ms: number): string => `${(ms / MINUTE).toFixed(2)} min`;
  for (const r of refreshPoints) {
    rows.push([
      `4 refresh points, ${r.providers} providers`,
      r.label,
      `${r.distinctInstants} distinct instants; from ${minutes(r.minMs)} to ${minutes(r.maxMs)} into the window ` +
        `(median ${minutes(r.medianMs)}); per minute: ${r.bins.join(' ')}`,
      '',
    ]);
  }
  console.log(`\n${table(rows)}\n`);

  const failures: string[] = [];
  for (const r of waits) {
    if (r.ours && (r.expiredHandedOut > 0 || r.errors > 0)) {
      failures.push(`scenario 2, ${r.label}: ${r.expiredHandedOut} expired credentials handed out, ${r.errors} errors`);
    }
  }
  for (const r of suspend) {
    if (r.ours && r.expiredHandedOut)
      failures.push(`scenario 3, ${r.label}: handed out expired credentials after a suspend`);
  }

  const results = {
    date: new Date().toISOString(),
    machine,
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    hotPath: { ...hotPathConfig, unit: 'ns/op (median of rounds)', results: hot },
    acrossRefresh: {
      fetchMs: 300,
      lifetimeMs: 60 * MINUTE,
      callerEveryMs: 50,
      stretch: 'from 20 min before the first credentials expire to 2 min after',
      results: waits,
    },
    suspend: { turnPasses: suspend, sameTurnInformational: suspendSameTurn },
    longTurnInformational: { ...longTurnConfig, results: longTurn },
    refreshPoints: {
      providers: fleet,
      callerEveryMs: 1_000,
      window: WINDOW,
      stretch: 'the advisory window of 1-hour credentials, from 16 to 1 minute before expiry, in 1-minute bins',
      results: refreshPoints,
    },
    correctnessFailures: failures,
  };
  writeResults({
    'core.json': `${JSON.stringify(results, null, 2)}\n`,
    'refresh-points.svg': refreshPointsChart(
      `Refresh points of ${fleet.toLocaleString('en-US')} providers started together, steady callers`,
      refreshPoints,
    ),
  });
  console.log(`figures written to bench/results/core.json, refresh-points.svg (${results.durationSeconds} s)`);
  return failures;
}

runBench(main);
