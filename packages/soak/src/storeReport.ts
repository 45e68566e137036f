/** The soak report's part on the fleet with a store (storeFleet.ts): its target rows and its section. */
import { MINUTE, at, fixed } from './format';
import type { SoakResult, StoreFleetResult } from './runSoak';
import type { StoreOutage } from './storeFleet';
import { BOUNDS, type StoreFleetTargets, sum, targetsOf } from './targets';

const row = (...cells: ReadonlyArray<string | number>): string => `| ${cells.join(' | ')} |`;
const mark = (ok: boolean): string => (ok ? '✅' : '❌');

/** Rows for the report's table of targets; none when the run had no store fleet. */
export function storeTargetRows(faulty: SoakResult): string[] {
  const s = targetsOf(faulty).storeFleet;
  if (s === undefined) return [];
  const n = s.processes;
  return [
    row(
      `store fleet (${n} replicas, faulty store): caller errors while unexpired credentials existed`,
      s.visibleErrorsWhileValid,
      mark(s.visibleErrorsWhileValid === 0),
    ),
    row('store fleet: expired credentials handed out', s.expiredHandedOut, mark(s.expiredHandedOut === 0)),
    row(
      'store fleet: signed GetCallerIdentity checks failed',
      s.signedCheckFailures,
      mark(s.signedCheckFailures === 0),
    ),
    row('store fleet: refreshes served from the store (> 0: the replicas shared)', s.storeHits, mark(s.storeHits > 0)),
    row(
      `store fleet: AssumeRole calls, against ${n} × those of the same role alone`,
      `${s.stsCalls} vs ${s.aloneStsCalls} (${fixed((100 * s.stsCalls) / s.aloneStsCalls, 0)}%)`,
      mark(s.stsCalls < s.aloneStsCalls),
    ),
    row(
      `store fleet: most AssumeRole calls in one minute, all replicas (bound ${n} × ${BOUNDS.maxStsCallsPerMinute})`,
      s.maxStsCallsPerMinute,
      mark(s.maxStsCallsPerMinute <= n * BOUNDS.maxStsCallsPerMinute),
    ),
  ];
}

interface Column {
  readonly f: StoreFleetResult;
  readonly t: StoreFleetTargets;
  readonly days: number;
  /** Answered AssumeRole calls of `assume-role`, the same role alone. */
  readonly aloneOk: number;
}

function column(r: SoakResult): Column | undefined {
  const t = targetsOf(r).storeFleet;
  if (r.storeFleet === undefined || t === undefined) return undefined;
  const alone = r.members.find((m) => m.name === 'assume-role');
  const aloneOk = alone === undefined ? Number.NaN : alone.stsCalls - alone.stsCallsFailed;
  return { f: r.storeFleet, t, days: r.options.days, aloneOk };
}

/** The section on the fleet with a store; empty when the runs had none. */
export function storeFleetSection(faulty: SoakResult, baseline: SoakResult): string[] {
  const a = column(faulty);
  const b = column(baseline);
  if (a === undefined) return [];
  const { f } = a;
  const lifetimeMin = f.lifetimeMs / MINUTE;
  const perLifetime = (c: Column | undefined, calls: (c: Column) => number): string =>
    c === undefined ? '–' : fixed(calls(c) / ((c.days * 24 * 60) / lifetimeMin), 2);
  const both = (value: (c: Column) => string | number): [string | number, string | number] => [
    b === undefined ? '–' : value(b),
    value(a),
  ];
  const errorsOf = (c: Column): string =>
    Object.entries(c.f.storeErrors)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '0';
  const s = f.store;
  const lines: string[] = [];
  lines.push('## Fleet with a shared store');
  lines.push('');
  lines.push(
    `${f.processes} replicas of one \`fromAssumeRole\` (demo-role, ${lifetimeMin}-minute sessions, the same ` +
      'parameters and source, as the processes of one service hold them) share one credential store, beside the ' +
      'fleet above and against the same sts-local, faults and STS outages. The store is in memory, in the soak ' +
      'process: a real Redis keeps its TTLs and lock expiries on the wall clock, which cannot follow simulated ' +
      `time. In the run with faults it fails ${Math.round(f.faultRate * 100)}% of calls at a seeded rate — ` +
      'connection refused; no answer (for set, lock and release after the call took effect, so a lock can be ' +
      'held by nobody until its TTL); garbage answered to get (not credentials); writes lost — and has ' +
      `${f.outages.length} outages of 10 minutes (refused) and 30 minutes (no answer at all). The replicas use the ` +
      "engine's defaults: each store call bounded by 1 s, 5 s waiting for a lock's holder, locks held 30 s.",
  );
  lines.push('');
  lines.push(row('', 'no faults', 'faults'));
  lines.push('| --- | ---: | ---: |');
  const add = (label: string, value: (c: Column) => string | number): void => {
    lines.push(row(label, ...both(value)));
  };
  add('caller errors while unexpired credentials existed (target 0)', (c) => c.t.visibleErrorsWhileValid);
  add('caller errors, all', (c) => sum(c.f.replicas, (m) => m.visibleErrors));
  add('expired credentials handed out (target 0)', (c) => c.t.expiredHandedOut);
  add('signed checks (failed)', (c) => `${sum(c.f.replicas, (m) => m.signedChecks)} (${c.t.signedCheckFailures})`);
  add('AssumeRole calls, all replicas (failed)', (c) => `${c.f.stsCalls} (${c.f.stsCallsFailed})`);
  lines.push(
    row(
      `… per ${lifetimeMin}-minute credential lifetime`,
      perLifetime(b, (c) => c.f.stsCalls),
      perLifetime(a, (c) => c.f.stsCalls),
    ),
  );
  add(
    `${f.processes} replicas alone: ${f.processes} × the AssumeRole calls of \`assume-role\``,
    (c) => c.t.aloneStsCalls,
  );
  lines.push(
    row(
      '… per credential lifetime',
      perLifetime(b, (c) => c.t.aloneStsCalls),
      perLifetime(a, (c) => c.t.aloneStsCalls),
    ),
  );
  add('calls with the store / alone', (c) => `${fixed((100 * c.t.stsCalls) / c.t.aloneStsCalls, 0)}%`);
  add('answered AssumeRole calls, all replicas / alone', (c) => {
    const ok = c.f.stsCalls - c.f.stsCallsFailed;
    const alone = c.f.processes * c.aloneOk;
    return `${ok} / ${alone} (${fixed((100 * ok) / alone, 0)}%)`;
  });
  add('refreshes, all replicas', (c) => sum(c.f.replicas, (m) => m.refreshes));
  add('… taken from the store (store-hit)', (c) => c.f.storeHits);
  add('store-error events', (c) => errorsOf(c));
  add(
    'store calls (get, set, lock, release)',
    (c) => `${c.f.store.calls.get}, ${c.f.store.calls.set}, ${c.f.store.calls.lock}, ${c.f.store.calls.release}`,
  );
  add(
    'store faults injected (refused, no answer, garbage, lost write; calls in outages)',
    (c) =>
      `${c.f.store.faults.refused}, ${c.f.store.faults.hang}, ${c.f.store.faults.garbage}, ` +
      `${c.f.store.faults['lost-write']}; ${c.f.store.outageCalls}`,
  );
  add('most AssumeRole calls in one minute, all replicas', (c) => c.f.maxStsCallsPerMinute);
  add('served stale', (c) => sum(c.f.replicas, (m) => m.servedStale));
  add('longest caller wait', (c) => `${fixed(Math.max(...c.f.replicas.map((m) => m.maxCallerWaitMs)) / 1000)} s`);
  lines.push('');
  const answered = (c: Column): number => c.f.stsCalls - c.f.stsCallsFailed;
  const refreshes = (c: Column): number => sum(c.f.replicas, (m) => m.refreshes);
  if (b !== undefined) {
    lines.push(
      `Without faults the replicas refreshed ${refreshes(b)} times and called STS ${b.f.stsCalls} times: about ` +
        `once per round of ${f.processes} refreshes, where alone each replica would call once per refresh ` +
        `(a refresh comes about every ${fixed((b.days * 24 * 60) / (refreshes(b) / f.processes), 0)} minutes ` +
        `of a ${lifetimeMin}-minute lifetime, in the advisory window).`,
    );
    lines.push('');
  }
  const extra = b === undefined ? Number.NaN : answered(a) - answered(b);
  lines.push(
    `With faults STS answered ${answered(a)} of the replicas' calls (${fixed(extra, 0)} more than without) and ` +
      `failed ${f.stsCallsFailed} (its injected faults and outages, retried by the SDK and the engine). The ` +
      'extra answered calls are fetches a replica made itself because its refresh met the store down or ' +
      'unanswering, a garbage or failed read, a lost write, or a lock left held by an unanswered call. The store ' +
      `answered ${s.entriesServed} reads with an entry, granted ${s.locksGranted} locks and found ${s.locksBusy} ` +
      'held. Every store failure was reported as a `store-error` event and bypassed' +
      (a.t.visibleErrorsWhileValid === 0 && a.t.expiredHandedOut === 0
        ? ': no caller saw an error while valid credentials existed, and none got expired ones.'
        : '.'),
  );
  lines.push('');
  lines.push(
    row(
      'replica',
      'refreshes',
      'from the store',
      'from STS',
      'store errors',
      'served stale',
      'caller errors (while valid)',
      'expired handed out',
      'longest caller wait',
    ),
  );
  lines.push(row('---', ...Array<string>(8).fill('---:')));
  for (const m of f.replicas) {
    const hits = m.storeHits ?? 0;
    lines.push(
      row(
        m.name,
        m.refreshes,
        hits,
        m.refreshes - hits,
        m.storeErrors ?? 0,
        m.servedStale,
        `${m.visibleErrors} (${m.visibleErrorsWhileValid})`,
        m.expiredHandedOut,
        `${fixed(m.maxCallerWaitMs / 1000)} s`,
      ),
    );
  }
  lines.push('');
  if (f.outages.length > 0) {
    const outage = (o: StoreOutage): string =>
      `${at(o.startMs)} ${o.minutes} min (${o.kind === 'hang' ? 'no answer' : 'refused'})`;
    lines.push(`Store outages: ${f.outages.map(outage).join(', ')}.`);
    lines.push('');
  }
  return lines;
}
