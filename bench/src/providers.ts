/**
 * `npm run bench`, second part: our STS providers side by side with the SDK's
 * `fromTemporaryCredentials` and `fromWebToken`, each handed as `credentials` to a real SDK client,
 * against a real sts-local (issue 4, "Benchmark"). Measures and prints; asserts nothing about
 * speed. Exits non-zero only on a correctness failure of ours (an error or expired credentials
 * handed to a caller, or a signature sts-local did not accept) or a broken setup.
 *
 * Figures go to bench/results/providers.json and bench/results/providers.md (the latest run, committed).
 */
import { MEMORY_VARIANTS, type MemoryResult, runPoolMemory } from './poolMemory';
import {
  ACROSS_REFRESH,
  type AcrossRefreshResult,
  type ColdResult,
  HOURS,
  type HoursResult,
  OUTAGE,
  type OutageResult,
  runAcrossRefresh,
  runColdCallers,
  runHours,
  runOutage,
} from './providerScenarios';
import { latencyChart } from './latencyChart';
import { STEADY, type SteadyResult, runSteadyCallers, steadyRuns } from './steadyCallers';
import { machine as describeMachine, markdownTable, runBench, table, writeResults } from './report';
import { IMPLEMENTATIONS, startBenchSts } from './stsBench';
import { installWarpClock } from './warpClock';

const CONFIG = {
  coldCallers: 10_000,
  /** Direct calls (no client cache): the SDK's providers make one STS call each, so 1,000 keep the run short. */
  coldDirectCallers: 1_000,
  hours: 24,
  sharedClients: 10,
  pooledRoles: 10_000,
};

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

interface Results {
  cold: ColdResult[];
  acrossRefresh: AcrossRefreshResult[];
  outage: OutageResult[];
  hours: HoursResult[];
  shared: HoursResult[];
  steady: SteadyResult[];
  memory: MemoryResult[];
}

function textRows(r: Results): string[][] {
  const rows: string[][] = [['scenario', 'implementation', 'result']];
  for (const x of r.cold) {
    rows.push([
      '1 cold callers',
      x.label,
      `${x.callers} concurrent callers through one client: ${x.stsCallsThroughClient} STS call(s), ` +
        `${x.errorsThroughClient} errors${x.verified ? '' : ', SIGNATURE NOT VERIFIED'}; ` +
        `${x.directCallers} direct calls: ${x.stsCallsDirect} STS call(s)`,
    ]);
  }
  for (const x of r.acrossRefresh) {
    rows.push([
      `2 across a refresh, STS ${ACROSS_REFRESH.latencyMs} ms`,
      x.label,
      `${x.waitedGe10ms} of ${x.callers} callers waited ≥ 10 ms (max ${x.maxWaitMs} ms); ${x.stsCalls} STS call(s); ` +
        `${x.errors} errors; ${x.expiredHandedOut} expired`,
    ]);
  }
  for (const x of r.outage) {
    const from = x.firstErrorMinutesBeforeExpiry;
    rows.push([
      '3 STS down from advisory to expiry',
      x.label,
      `${x.errors} errors of ${x.callers} callers, ${x.servedCached} served cached` +
        `${from === null ? '' : ` (errors from ${from} min before expiry)`}; ` +
        `${x.stsCalls} STS calls (all failed); ${x.expiredHandedOut} expired`,
    ]);
  }
  for (const x of r.hours) {
    rows.push([
      `4 ${x.hours} simulated hours`,
      x.label,
      `${x.stsCalls} STS calls (${x.callers} callers, 1/min); ${x.waitedGe10ms} waited ≥ 10 ms; ${x.errors} errors; ` +
        `${x.expiredHandedOut} expired`,
    ]);
  }
  for (const x of r.shared) {
    rows.push([
      `5 one provider, ${x.clients} clients`,
      x.label,
      `cold: ${x.stsCallsCold} STS call(s) for ${x.clients} clients' first requests` +
        `${x.verified ? '' : ' (SIGNATURE NOT VERIFIED)'}; ` +
        `${x.hours} h: ${x.stsCalls} STS calls; ${x.waitedGe10ms} of ${x.callers} waited ≥ 10 ms; ${x.errors} errors`,
    ]);
  }
  for (const x of r.steady) {
    rows.push([
      `7 steady callers, ${x.hours} h`,
      `${x.label}, ${x.via === 'provider' ? 'called directly' : 'through an SDK client'}`,
      `${x.stsCalls} STS calls (${x.callers} callers, 1/s); ${x.waitedGe10ms} waited ≥ 10 ms; ${x.errors} errors; ` +
        `${x.expiredHandedOut} expired`,
    ]);
  }
  for (const x of r.memory) {
    rows.push([
      `6 ${x.roles} pooled roles`,
      x.label,
      `heap +${mb(x.heapResolvedBytes)} holding credentials (${kb(x.bytesPerRoleResolved)}/role); ` +
        `+${mb(x.heapBuiltBytes)} built, before any STS call; ${x.stsErrors} STS errors`,
    ]);
  }
  return rows;
}

/** The columns of a table of STS calls over simulated hours (scenarios 4 and 7), after the implementation. */
const COUNT_COLUMNS = ['STS calls', 'callers', 'waited ≥ 10 ms', 'errors', 'expired handed out'];
const counts = (x: HoursResult | SteadyResult): string[] =>
  [x.stsCalls, x.callers, x.waitedGe10ms, x.errors, x.expiredHandedOut].map(String);

function markdown(r: Results, header: { date: string; machineLine: string; durationSeconds: number }): string {
  const yes = (b: boolean): string => (b ? 'yes' : '**no**');
  const sections: string[] = [
    '# Provider benchmark: ours vs the AWS SDK, each wrapped by an SDK client',
    '',
    `Generated by \`npm run bench\` on ${header.date} (${header.machineLine}; ` +
      `this part took ${header.durationSeconds} s). ` +
      'Method, and why each scenario is built the way it is: [../README.md](../README.md#provider-scenarios). ' +
      'Figures: [providers.json](providers.json).',
    '',
    `## 1. ${CONFIG.coldCallers.toLocaleString('en-US')} concurrent cold callers`,
    '',
    'STS calls sts-local received. "Through one client": every caller resolves credentials through the same ' +
      'SDK client (its identity cache), as every request of that client does. "Direct": each caller calls the ' +
      'provider itself, as code ' +
      'without a client cache in between (or a client per request) does.',
    '',
    markdownTable([
      [
        'implementation',
        'through one client: STS calls',
        'errors',
        'signature verified',
        'direct calls',
        'direct: STS calls',
      ],
      ...r.cold.map((x) => [
        x.label,
        String(x.stsCallsThroughClient),
        String(x.errorsThroughClient),
        yes(x.verified),
        String(x.directCallers),
        String(x.stsCallsDirect),
      ]),
    ]),
    '',
    `## 2. Callers across a refresh, STS answering in ${ACROSS_REFRESH.latencyMs} ms`,
    '',
    `From ${ACROSS_REFRESH.fromBeforeExpiryMs / 60_000} min before the first credentials expire to ` +
      `${ACROSS_REFRESH.toAfterExpiryMs / 60_000} min after, every ${ACROSS_REFRESH.stepMs / 1000} s of simulated ` +
      `time ${ACROSS_REFRESH.callersPerStep} callers arrive ${ACROSS_REFRESH.spacingMs} ms apart (real time). ` +
      'Waits are real milliseconds. Target for ours: 0 callers waiting ≥ 10 ms.',
    '',
    markdownTable([
      ['implementation', 'callers', 'waited ≥ 10 ms', 'longest wait', 'STS calls', 'errors', 'expired handed out'],
      ...r.acrossRefresh.map((x) => [
        x.label,
        String(x.callers),
        String(x.waitedGe10ms),
        `${x.maxWaitMs} ms`,
        String(x.stsCalls),
        String(x.errors),
        String(x.expiredHandedOut),
      ]),
    ]),
    '',
    '## 3. STS failing from the advisory window until expiry',
    '',
    `After the first issue every call of the operation fails (${OUTAGE.faults.join('; ')}). ` +
      `From ${OUTAGE.fromBeforeExpiryMs / 60_000} min before expiry to ${OUTAGE.toBeforeExpiryMs / 1000} s before ` +
      `it, every ${OUTAGE.stepMs / 1000} s of simulated time ${OUTAGE.callersPerStep} callers arrive. ` +
      'Target for ours: no errors.',
    '',
    markdownTable([
      [
        'implementation',
        'callers',
        'errors',
        'served cached (valid) credentials',
        'first error',
        'STS calls (all failed)',
        'expired handed out',
      ],
      ...r.outage.map((x) => [
        x.label,
        String(x.callers),
        String(x.errors),
        String(x.servedCached),
        x.firstErrorMinutesBeforeExpiry === null ? '—' : `${x.firstErrorMinutesBeforeExpiry} min before expiry`,
        String(x.stsCalls),
        String(x.expiredHandedOut),
      ]),
    ]),
    '',
    `## 4. STS calls over ${CONFIG.hours} simulated hours`,
    '',
    `One client, one caller every ${HOURS.callerEveryMs / 1000} s of simulated time; ` +
      "1-hour credentials (STS's default duration).",
    '',
    markdownTable([['implementation', ...COUNT_COLUMNS], ...r.hours.map((x) => [x.label, ...counts(x)])]),
    '',
    `## 5. One provider shared by ${CONFIG.sharedClients} SDK clients`,
    '',
    `${CONFIG.sharedClients} clients built with the same provider as \`credentials\`: their first requests ` +
      `(a signed GetCallerIdentity each, concurrent, verified by sts-local), then ${CONFIG.hours} simulated hours ` +
      'with every client resolving credentials once a minute. Target for ours: one STS call for the cold start.',
    '',
    markdownTable([
      [
        'implementation',
        'cold start: STS calls',
        'signatures verified',
        `${CONFIG.hours} h: STS calls`,
        'callers',
        'waited ≥ 10 ms',
        'errors',
      ],
      ...r.shared.map((x) => [
        x.label,
        String(x.stsCallsCold),
        yes(x.verified),
        String(x.stsCalls),
        String(x.callers),
        String(x.waitedGe10ms),
        String(x.errors),
      ]),
    ]),
    '',
    `## 7. STS calls over ${STEADY.hours} simulated hours under steady callers`,
    '',
    `One caller every ${STEADY.callerEveryMs / 1000} s of simulated time, every option at its default, 1-hour ` +
      'credentials. Ours is called directly (code without an SDK client in between) and through one SDK client; ' +
      "the SDK's providers cache nothing themselves, so they are called through the client, their only cache.",
    '',
    markdownTable([
      ['implementation', 'called', ...COUNT_COLUMNS],
      ...r.steady.map((x) => [x.label, x.via === 'provider' ? 'directly' : 'through an SDK client', ...counts(x)]),
    ]),
    '',
    `## 6. Memory for ${CONFIG.pooledRoles.toLocaleString('en-US')} pooled roles`,
    '',
    'V8 heap used after two full collections (`--expose-gc`), in a child process per variant, over the empty baseline.',
    '',
    markdownTable([
      ['variant', 'built (no STS call yet)', 'holding credentials', 'per role', 'STS errors'],
      ...r.memory.map((x) => [
        x.label,
        mb(x.heapBuiltBytes),
        mb(x.heapResolvedBytes),
        kb(x.bytesPerRoleResolved),
        String(x.stsErrors),
      ]),
    ]),
    '',
  ];
  return sections.join('\n');
}

function correctnessFailures(r: Results): string[] {
  const failures: string[] = [];
  for (const x of r.cold) {
    if (!x.verified) failures.push(`scenario 1, ${x.label}: sts-local did not verify the client's signature`);
    if (x.ours && (x.errorsThroughClient > 0 || x.errorsDirect > 0)) failures.push(`scenario 1, ${x.label}: errors`);
  }
  for (const x of r.acrossRefresh) {
    if (x.ours && (x.errors > 0 || x.expiredHandedOut > 0))
      failures.push(`scenario 2, ${x.label}: ${x.errors} errors, ${x.expiredHandedOut} expired`);
  }
  for (const x of r.outage) {
    if (x.ours && (x.errors > 0 || x.expiredHandedOut > 0))
      failures.push(`scenario 3, ${x.label}: ${x.errors} errors, ${x.expiredHandedOut} expired`);
  }
  for (const x of [...r.hours, ...r.shared]) {
    if (!x.verified) failures.push(`scenario 4/5, ${x.label}: sts-local did not verify a client's signature`);
    if (x.ours && (x.errors > 0 || x.expiredHandedOut > 0))
      failures.push(`scenario 4/5, ${x.label}: ${x.errors} errors, ${x.expiredHandedOut} expired`);
  }
  for (const x of r.steady) {
    if (x.ours && (x.errors > 0 || x.expiredHandedOut > 0))
      failures.push(`scenario 7, ${x.label} (${x.via}): ${x.errors} errors, ${x.expiredHandedOut} expired`);
  }
  for (const x of r.memory) if (x.stsErrors > 0) failures.push(`scenario 6, ${x.label}: ${x.stsErrors} STS errors`);
  return failures;
}

async function main(): Promise<string[]> {
  const started = performance.now();
  const machine = describeMachine();
  console.log(`\ncredchain provider bench: ours vs the SDK, each as an SDK client's credentials, against sts-local\n`);
  // Installed before any provider exists: ours captures `Date` as its clock when it is created.
  const warp = installWarpClock();
  const sts = await startBenchSts();
  const r: Results = { cold: [], acrossRefresh: [], outage: [], hours: [], shared: [], steady: [], memory: [] };
  try {
    console.log(`1. ${CONFIG.coldCallers} concurrent cold callers …`);
    for (const impl of IMPLEMENTATIONS)
      r.cold.push(await runColdCallers(sts, impl, CONFIG.coldCallers, CONFIG.coldDirectCallers));
    // Before the warped scenarios: the child processes run on the real clock, and so does sts-local until then.
    console.log(`6. memory for ${CONFIG.pooledRoles} pooled roles (a child process per variant) …`);
    for (const variant of MEMORY_VARIANTS)
      r.memory.push(await runPoolMemory(variant, sts.endpoint, CONFIG.pooledRoles));
    console.log(`2. callers across a refresh, STS answering in ${ACROSS_REFRESH.latencyMs} ms …`);
    for (const impl of IMPLEMENTATIONS) r.acrossRefresh.push(await runAcrossRefresh(sts, warp, impl));
    console.log('3. STS failing through the advisory window …');
    for (const impl of IMPLEMENTATIONS) r.outage.push(await runOutage(sts, warp, impl));
    console.log(`4. ${CONFIG.hours} simulated hours …`);
    for (const impl of IMPLEMENTATIONS) r.hours.push(await runHours(sts, warp, impl, 1, CONFIG.hours));
    console.log(`5. one provider shared by ${CONFIG.sharedClients} clients …`);
    for (const impl of IMPLEMENTATIONS)
      r.shared.push(await runHours(sts, warp, impl, CONFIG.sharedClients, CONFIG.hours));
    console.log(`7. ${STEADY.hours} simulated hours under steady callers (1/s) …`);
    for (const { impl, via } of steadyRuns(IMPLEMENTATIONS))
      r.steady.push(await runSteadyCallers(sts, warp, impl, via));
  } finally {
    await sts.stop();
    warp.uninstall();
  }

  console.log(`\n${table(textRows(r))}\n`);
  const failures = correctnessFailures(r);
  const date = new Date().toISOString();
  const durationSeconds = Math.round((performance.now() - started) / 100) / 10;
  const results = {
    date,
    machine,
    durationSeconds,
    config: CONFIG,
    coldCallers: r.cold,
    acrossRefresh: { ...ACROSS_REFRESH, results: r.acrossRefresh.map(({ timeline: _timeline, ...rest }) => rest) },
    outage: { ...OUTAGE, results: r.outage },
    hours: { ...HOURS, hours: CONFIG.hours, results: r.hours },
    sharedProvider: { clients: CONFIG.sharedClients, ...HOURS, hours: CONFIG.hours, results: r.shared },
    steadyCallers: { ...STEADY, results: r.steady },
    pooledRolesMemory: {
      roles: CONFIG.pooledRoles,
      unit: 'bytes of V8 heap used after gc, over the baseline',
      results: r.memory,
    },
    correctnessFailures: failures,
  };
  const machineLine = `node ${machine.node}, ${machine.cpuModel}, ${machine.cpuCount} CPUs`;
  const latency = {
    date,
    machine,
    scenario: `2: callers across a refresh, STS answering in ${ACROSS_REFRESH.latencyMs} ms`,
    ...ACROSS_REFRESH,
    sampleFields: [
      "ms relative to the first credentials' expiry (warped clock)",
      'wait in real ms',
      '1 renewed credentials, 0 the first ones, -1 error',
    ],
    results: r.acrossRefresh.map((x) => ({ id: x.id, label: x.label, ours: x.ours, kind: x.kind, ...x.timeline })),
  };
  const chart = (kind: string, operation: string): string =>
    latencyChart({
      title:
        `${operation}: latency of each credentials call across a refresh ` +
        `(STS answering in ${ACROSS_REFRESH.latencyMs} ms)`,
      series: latency.results.filter((x) => x.kind === kind),
    });
  writeResults({
    'providers.json': `${JSON.stringify(results, null, 2)}\n`,
    'providers.md': markdown(r, { date, machineLine, durationSeconds }),
    'latency.json': `${JSON.stringify(latency)}\n`,
    'latency.svg': chart('assume-role', 'AssumeRole'),
    'latency-web-identity.svg': chart('web-identity', 'AssumeRoleWithWebIdentity'),
  });
  console.log(
    `figures written to bench/results/providers.json, providers.md, latency.json, latency*.svg (${durationSeconds} s)`,
  );
  return failures;
}

runBench(main);
