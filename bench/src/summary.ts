/**
 * `npm run bench`, last step: bench/results/README.md, the latest report. Reads the figures the
 * parts just wrote (core.json, providers.json, sources.json, latency.json) and puts the key ones on one page, with
 * the latency charts and the machine they came from. Runs nothing itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { type Machine, markdownTable, writeResults } from './report';

const dir = path.join(__dirname, '..', 'results');
const read = <T>(name: string): T => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as T;

interface Labelled {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly kind?: string;
}
interface Part<R> {
  readonly results: readonly (Labelled & R)[];
}
interface Core {
  readonly date: string;
  readonly machine: Machine;
  readonly hotPath: Part<{ nsPerOp: number; ratioToFloor: number; reference: boolean }>;
  readonly acrossRefresh: Part<{ callers: number; waitingGe10ms: number; maxWaitMs: number }>;
  readonly refreshPoints: {
    providers: number;
    window: { binMs: number; advisoryMs: number; mandatoryMs: number };
  } & Part<{
    bins: number[];
    minMs: number;
    medianMs: number;
    maxMs: number;
    distinctInstants: number;
    notRefreshed: number;
    byReason: Record<string, number>;
  }>;
}
interface Providers {
  readonly date: string;
  readonly machine: Machine;
  readonly durationSeconds: number;
  readonly acrossRefresh: { latencyMs: number } & Part<{
    callers: number;
    waitedGe10ms: number;
    maxWaitMs: number;
    errors: number;
  }>;
  readonly outage: Part<{ callers: number; errors: number; firstErrorMinutesBeforeExpiry: number | null }>;
  readonly hours: Part<{ stsCalls: number; hours: number }>;
  readonly sharedProvider: { clients: number } & Part<{ stsCallsCold: number; stsCalls: number }>;
  readonly steadyCallers: { callerEveryMs: number; hours: number } & Part<{ stsCalls: number; via: string }>;
  readonly pooledRolesMemory: { roles: number } & Part<{ heapResolvedBytes: number; bytesPerRoleResolved: number }>;
}

interface Sources {
  readonly date: string;
  readonly durationSeconds: number;
  readonly hotPath: Part<{ source: string; via: string; called: string; ratioToFloor: number }>;
  readonly acrossRefresh: { latencyMs: number } & Part<{
    source: string;
    callers: number;
    waitedGe10ms: number;
    maxWaitMs: number;
  }>;
  readonly outage: Part<{
    source: string;
    callers: number;
    errors: number;
    firstErrorMinutesBeforeExpiry: number | null;
  }>;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pairs = <R>(part: Part<R>): [Labelled & R, Labelled & R][] => {
  const ours = part.results.filter((x) => x.ours);
  return ours.flatMap((o) => {
    const sdk = part.results.find((x) => !x.ours && x.kind === o.kind);
    return sdk === undefined ? [] : [[o, sdk] as [Labelled & R, Labelled & R]];
  });
};

/** Engine scenario 4 as text: where in the advisory window each of the fleet's providers refreshed. */
function refreshPointsSection(rp: Core['refreshPoints']): string[] {
  const minute = 60_000;
  const bins = rp.results[0]?.bins.length ?? 0;
  const beforeExpiry = (ms: number): string => `${(rp.window.advisoryMs + rp.window.mandatoryMs - ms) / minute}`;
  const header = ['minute of the advisory window', 'min before expiry', ...rp.results.map((x) => x.label)];
  const first = rp.results[0];
  const rows: string[][] = [header.concat(first === undefined ? [] : [`${first.id}, one █ per 10`])];
  for (let bin = 0; bin < bins; bin++) {
    const from = bin * rp.window.binMs;
    rows.push([
      `${from / minute}–${(from + rp.window.binMs) / minute}`,
      `${beforeExpiry(from)}–${beforeExpiry(from + rp.window.binMs)}`,
      ...rp.results.map((x) => String(x.bins[bin] ?? 0)),
      ...(first === undefined ? [] : ['█'.repeat(Math.round((first.bins[bin] ?? 0) / 10))]),
    ]);
  }
  const minutes = (ms: number): string => `${(ms / minute).toFixed(2)}`;
  const summary = rp.results.map(
    (x) =>
      `- ${x.label}: ${x.distinctInstants === 1 ? 'all at one instant' : `${x.distinctInstants} distinct instants`}, ` +
      `from ${minutes(x.minMs)} to ${minutes(x.maxMs)} min into the window (median ${minutes(x.medianMs)}); ` +
      `started: ${Object.entries(x.byReason)
        .map(([reason, n]) => `${n} by ${reason === 'advisory' ? 'a caller' : `the ${reason}`}`)
        .join(', ')}` +
      `${x.notRefreshed > 0 ? `; ${x.notRefreshed} had not refreshed by the mandatory window` : ''}.`,
  );
  return [
    `## Refresh points of ${rp.providers.toLocaleString('en-US')} providers`,
    '',
    `Engine scenario 4 (fake time): ${rp.providers.toLocaleString('en-US')} providers fetch 1-hour credentials at ` +
      'one instant, as processes started together do, then a caller asks every provider once a second through ' +
      'the advisory window (16 to 1 minute before expiry). Each row: the providers whose refresh started in that ' +
      "minute. Each credentials' refresh point is drawn when they arrive, in the first half of the window " +
      '(`jitter` 0.5), and holds for callers and the timer alike; with `jitter: 0` the whole fleet refreshes at ' +
      "the window's opening, where steady callers started every refresh before issue 9. The SDK refreshes every " +
      'process 5 minutes before expiry.',
    '',
    ...summary,
    '',
    markdownTable(rows),
    '',
    '![Refresh points of 1,000 providers: a histogram over the advisory window](refresh-points.svg)',
    '',
  ];
}

function main(): void {
  const core = read<Core>('core.json');
  const p = read<Providers>('providers.json');
  const m = p.machine;

  const hot = core.hotPath.results.filter((x) => !x.reference && x.id !== 'floor');
  const hotOurs = hot.filter((x) => x.ours || x.id === 'ours');
  const hotSdk = hot.filter((x) => !(x.ours || x.id === 'ours'));
  const ratio = (xs: readonly { label: string; ratioToFloor: number }[]): string =>
    xs.map((x) => `${x.ratioToFloor.toFixed(2)}× (${x.label})`).join('; ');
  const coreOurs = core.acrossRefresh.results.filter((x) => x.ours);
  const coreSdk = core.acrossRefresh.results.filter((x) => !x.ours);
  const waiting = (
    xs: readonly { label: string; waitingGe10ms: number; callers: number; maxWaitMs: number }[],
  ): string => xs.map((x) => `${x.waitingGe10ms} of ${x.callers} (max ${x.maxWaitMs} ms) — ${x.label}`).join('; ');

  const rows: string[][] = [['figure', 'credchain', 'AWS SDK', 'details']];
  rows.push([
    'Hot path, cached credentials: time per call over an `async () => creds` floor',
    ratio(hotOurs),
    ratio(hotSdk),
    '[core.json](core.json) `hotPath`',
  ]);
  rows.push([
    'Callers waiting ≥ 10 ms across a refresh, 300 ms fetch (cache alone, fake time)',
    waiting(coreOurs),
    waiting(coreSdk),
    '[core.json](core.json) `acrossRefresh`',
  ]);
  for (const [o, s] of pairs(p.acrossRefresh)) {
    rows.push([
      `Callers waiting ≥ 10 ms across a refresh, STS answering in ${p.acrossRefresh.latencyMs} ms (${o.kind})`,
      `${o.waitedGe10ms} of ${o.callers} (max ${o.maxWaitMs} ms) — ${o.label}`,
      `${s.waitedGe10ms} of ${s.callers} (max ${s.maxWaitMs} ms) — ${s.label}`,
      '[providers.md](providers.md#2-callers-across-a-refresh-sts-answering-in-300-ms), chart below',
    ]);
  }
  const firstError = (x: { firstErrorMinutesBeforeExpiry: number | null }): string =>
    x.firstErrorMinutesBeforeExpiry === null ? '' : `, from ${x.firstErrorMinutesBeforeExpiry} min before expiry`;
  for (const [o, s] of pairs(p.outage)) {
    rows.push([
      `Errors handed to callers while STS fails and the credentials are still valid (${o.kind})`,
      `${o.errors} of ${o.callers}${firstError(o)}`,
      `${s.errors} of ${s.callers}${firstError(s)}`,
      '[providers.md](providers.md#3-sts-failing-from-the-advisory-window-until-expiry)',
    ]);
  }
  for (const [o, s] of pairs(p.hours)) {
    rows.push([
      `STS calls in ${o.hours} simulated hours, one client, 1-hour credentials (${o.kind})`,
      String(o.stsCalls),
      String(s.stsCalls),
      '[providers.md](providers.md#4-sts-calls-over-24-simulated-hours)',
    ]);
  }
  for (const [o, s] of pairs(p.sharedProvider)) {
    rows.push([
      `One provider shared by ${p.sharedProvider.clients} SDK clients: STS calls at the cold start / over 24 h ` +
        `(${o.kind})`,
      `${o.stsCallsCold} / ${o.stsCalls}`,
      `${s.stsCallsCold} / ${s.stsCalls}`,
      '[providers.md](providers.md#5-one-provider-shared-by-10-sdk-clients)',
    ]);
  }
  const steady = p.steadyCallers;
  const via = (x: { via: string }): string => (x.via === 'provider' ? 'called directly' : 'through an SDK client');
  for (const kind of [...new Set(steady.results.map((x) => x.kind))]) {
    const ofKind = steady.results.filter((x) => x.kind === kind);
    const cell = (xs: typeof ofKind): string => xs.map((x) => `${x.stsCalls} (${via(x)})`).join('; ');
    rows.push([
      `STS calls per ${steady.hours} h under steady callers (one a second) with defaults, 1-hour credentials (${kind})`,
      cell(ofKind.filter((x) => x.ours)),
      cell(ofKind.filter((x) => !x.ours)),
      '[providers.md](providers.md#7-sts-calls-over-24-simulated-hours-under-steady-callers)',
    ]);
  }
  const mem = p.pooledRolesMemory.results;
  const memCell = (xs: typeof mem): string =>
    xs
      .map((x) => `${mb(x.heapResolvedBytes)} (${(x.bytesPerRoleResolved / 1024).toFixed(1)} KB/role) — ${x.label}`)
      .join('; ');
  rows.push([
    `Heap for ${p.pooledRolesMemory.roles.toLocaleString('en-US')} pooled roles holding credentials`,
    memCell(mem.filter((x) => x.ours)),
    memCell(mem.filter((x) => !x.ours)),
    '[providers.md](providers.md#6-memory-for-10000-pooled-roles)',
  ]);
  const sources = read<Sources>('sources.json');
  const sourceName: Record<string, string> = { imds: 'an IMDS source', container: 'a container source' };
  // The headings of sources.md's sections, as GitHub anchors them.
  const anchor: Record<string, string> = { imds: '#ec2-instance-metadata-imds', container: '#container-credentials' };
  const bySource = <R>(part: Part<R & { source: string }>, source: string, ours: boolean) =>
    part.results.filter((x) => x.source === source && x.ours === ours && !x.id.startsWith('floor'));
  for (const source of [...new Set(sources.hotPath.results.map((x) => x.source))]) {
    const name = sourceName[source] ?? source;
    const hotCell = (ours: boolean): string =>
      bySource(sources.hotPath, source, ours)
        .map((x) => `${x.ratioToFloor.toFixed(2)}× (${x.label}, ${x.called})`)
        .join('; ');
    rows.push([
      `Hot path, cached credentials from ${name}: time per call over an \`async () => creds\` floor`,
      hotCell(true),
      hotCell(false),
      `[sources.md](sources.md${anchor[source] ?? ''})`,
    ]);
    const waitCell = (ours: boolean): string =>
      bySource(sources.acrossRefresh, source, ours)
        .map((x) => `${x.waitedGe10ms} of ${x.callers} (max ${x.maxWaitMs} ms) — ${x.label}`)
        .join('; ');
    rows.push([
      `Callers waiting ≥ 10 ms across a refresh, ${name} answering in ${sources.acrossRefresh.latencyMs} ms ` +
        '(through an SDK client)',
      waitCell(true),
      waitCell(false),
      `[sources.md](sources.md${anchor[source] ?? ''})`,
    ]);
    const errorCell = (ours: boolean): string =>
      bySource(sources.outage, source, ours)
        .map((x) => `${x.errors} of ${x.callers}${firstError(x)} — ${x.label}`)
        .join('; ');
    rows.push([
      `Errors handed to callers while ${name} is down and the credentials are still valid (through an SDK client)`,
      errorCell(true),
      errorCell(false),
      `[sources.md](sources.md${anchor[source] ?? ''})`,
    ]);
  }
  // Part 5 (issue 12): credentials a service rejects, and the lookup a client makes before each request.
  const recovery = read<{
    revokedMidRun: Part<{ failedBeforeRecovery: number; minutesToRecovery: number | null }>;
    lookup: Part<{ ratioToFloor: number }>;
  }>('recovery.json');
  const side = <R>(part: Part<R>, ours: boolean, cell: (x: Labelled & R) => string): string =>
    part.results
      .filter((x) => x.ours === ours && !x.id.startsWith('floor'))
      .map(cell)
      .join('; ');
  const revokedCell = (x: Labelled & { failedBeforeRecovery: number; minutesToRecovery: number | null }): string =>
    `${x.failedBeforeRecovery} (${x.minutesToRecovery === null ? 'none' : `${x.minutesToRecovery.toFixed(1)} min`})` +
    ` — ${x.label}`;
  rows.push([
    'A session revoked mid-run (a request every 10 s): failed requests before recovery',
    side(recovery.revokedMidRun, true, revokedCell),
    side(recovery.revokedMidRun, false, revokedCell),
    '[recovery.md](recovery.md#a-session-revoked-mid-run)',
  ]);
  const lookupCell = (x: Labelled & { ratioToFloor: number }): string => `${x.ratioToFloor.toFixed(2)}× (${x.label})`;
  rows.push([
    'Credential lookup as a client performs it (`client.config.credentials()`), over an `async () => creds` floor',
    side(recovery.lookup, true, lookupCell),
    side(recovery.lookup, false, lookupCell),
    '[recovery.md](recovery.md#credential-lookup-as-a-client-performs-it)',
  ]);
  // Clock skew (issue 12, server time): ExpiredToken over a simulated day on a host behind STS's clock.
  const skew = read<{ everySeconds: number; hours: number } & Part<{ behindMinutes: number; expiredToken: number }>>(
    'clock-skew.json',
  );
  for (const behind of [...new Set(skew.results.map((x) => x.behindMinutes))]) {
    const cell = (ours: boolean): string =>
      skew.results
        .filter((x) => x.behindMinutes === behind && x.ours === ours)
        .map((x) => `${x.expiredToken} — ${x.label}`)
        .join('; ');
    rows.push([
      `Requests failing with ExpiredToken over ${skew.hours} h (one every ${skew.everySeconds} s), local clock ` +
        `${behind} min behind STS's`,
      cell(true),
      cell(false),
      '[clock-skew.md](clock-skew.md)',
    ]);
  }
  // Import cost (issue 12): a statement in a fresh process, over the same statement of the STS client alone.
  const packaging = read<{ imports: { id: string; label: string; medianMs: number; runs: number }[] }>(
    'packaging.json',
  );
  const importCell = (id: string): string => {
    const r = packaging.imports.find((x) => x.id === id);
    const base = packaging.imports.find((x) => x.id === 'client-sts-require');
    if (r === undefined || base === undefined) return '';
    const over = r.medianMs - base.medianMs;
    return `${over >= 0 ? '+' : '−'}${Math.abs(over).toFixed(1)} ms — \`${r.label}\``;
  };
  rows.push([
    "Import cost: `require()` in a fresh process over `require('@aws-sdk/client-sts')` alone (median of " +
      `${packaging.imports[0]?.runs ?? 0}; a Lambda cold start pays it)`,
    importCell('credchain-require'),
    `${importCell('credential-providers-require')} (loads the STS client at first use)`,
    '[packaging.md](packaging.md#import-time-in-a-fresh-process)',
  ]);
  // Fleet (issue 13): separate processes sharing through a store; the SDK has no counterpart.
  const fleet = read<{
    procs: number;
    roles: number;
    results: { store: string; label: string; callsPerLifetime: number; errorsWhileValid: number }[];
  }>('fleet.json');
  const alone = (fleet.results.find((r) => r.store === 'none')?.callsPerLifetime ?? 0) / fleet.procs;
  rows.push([
    `${fleet.procs} processes × ${fleet.roles} roles: AssumeRole calls per lifetime, × what one process makes ` +
      'alone (caller errors while valid)',
    fleet.results
      .map((r) => `${(r.callsPerLifetime / alone).toFixed(2)}× (${r.errorsWhileValid}) — ${r.label}`)
      .join('; '),
    'no shared cache',
    '[fleet.md](fleet.md)',
  ]);

  const text = [
    '# Latest benchmark report',
    '',
    'Generated by `npm run bench` (from the repository root). ' +
      `Refresh engine (part 1): ${core.date}; providers (part 2): ${p.date}, ${p.durationSeconds} s; ` +
      `credential sources (part 4): ${sources.date}, ${sources.durationSeconds} s.`,
    '',
    `Machine: Node ${m.node} (V8 ${m.v8}), ${m.platform}, ${m.cpuCount} × ${m.cpuModel}. ` +
      'Shared with other jobs: compare ratios and counts, not absolute times.',
    'How each scenario is built, and why: [../README.md](../README.md).',
    '',
    '## Key figures',
    '',
    markdownTable(rows),
    '',
    '## Latency of each caller across a refresh',
    '',
    "Provider scenario 2: each implementation as an SDK client's `credentials`, STS (sts-local) answering in " +
      `${p.acrossRefresh.latencyMs} ms, ` +
      'callers from 20 minutes before the first credentials expire to 1 minute after. Each mark is one caller; ' +
      "the SDK refreshes in the caller's path 5 minutes before expiry, so the callers arriving during its fetch " +
      'wait for it; ' +
      'ours has refreshed in the background by then.',
    '',
    '![AssumeRole: latency per caller across a refresh, credchain vs the SDK](latency.svg)',
    '',
    '![AssumeRoleWithWebIdentity: latency per caller across a refresh, credchain vs the SDK](latency-web-identity.svg)',
    '',
    ...refreshPointsSection(core.refreshPoints),
    '## Files',
    '',
    '- [providers.md](providers.md): every provider scenario in tables; [providers.json](providers.json): its figures.',
    "- [sources.md](sources.md): IMDS and container sources, ours beside the SDK's default chain and source " +
      'providers; [sources.json](sources.json): its figures.',
    '- [recovery.md](recovery.md): a revoked session with and without the recovery plugin, and the lookup a ' +
      'client makes; [recovery.json](recovery.json).',
    "- [clock-skew.md](clock-skew.md): a host whose clock is behind STS's, ours beside the SDK's; " +
      '[clock-skew.json](clock-skew.json).',
    '- [fleet.md](fleet.md): 32 processes sharing credentials through a store (Redis, the AWS CLI files), ' +
      'with a Redis outage; [fleet.json](fleet.json), [fleet.svg](fleet.svg).',
    "- [core.json](core.json): the refresh engine against the SDK's caches (hot path rounds, fake-time scenarios).",
    '- [refresh-points.svg](refresh-points.svg): the histogram of refresh points above, as a chart.',
    '- [latency.json](latency.json): the per-caller samples the charts are drawn from.',
    "- [packaging.md](packaging.md): bundle size of one provider and import time, ours beside the SDK's; " +
      '[packaging.json](packaging.json).',
    '- [soak.md](soak.md): the fault soak (`npm run soak`), a separate run; [soak.json](soak.json).',
    '',
  ].join('\n');
  writeResults({ 'README.md': text });
  console.log('latest report written to bench/results/README.md');
}

main();
