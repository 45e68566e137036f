/** The soak's markdown report, from the results of a faulty and a no-fault run. */
import { HOUR, MINUTE, at, fixed, mib } from './format';
import type { Outage, SoakResult } from './runSoak';
import { storeFleetSection, storeTargetRows } from './storeReport';
import { BOUNDS, held, sum, targetsOf } from './targets';

/** One row of a markdown table. */
const row = (...cells: ReadonlyArray<string | number>): string => `| ${cells.join(' | ')} |`;

export function markdownReport(faulty: SoakResult, baseline: SoakResult, chartFile: string): string {
  const t = targetsOf(faulty);
  const o = faulty.options;
  const quick = faulty.quickAttempts.filter((q) => !q.member.startsWith('control/'));
  const base = new Map(baseline.members.map((m) => [m.name, m]));
  const mark = (ok: boolean): string => (ok ? '✅' : '❌');
  const lines: string[] = [];
  lines.push('# Fault soak');
  lines.push('');
  const wallS = fixed((faulty.wallMs + baseline.wallMs) / 1000, 0);
  lines.push(
    `${o.days} simulated days, every provider kind plus two chains and a pool (${held(faulty).length} providers), ` +
      'called once a simulated minute each, against sts-local injecting faults into ' +
      `${Math.round(o.faultRate * 100)}% of credential requests ` +
      `(throttling, 500, 503, dropped connections, ${o.latencyMs / 1000} s latency spikes; ` +
      `seed ${o.seed}) and ${faulty.outages.length} outages of 1, 10 and 30 minutes. ` +
      `Every ${o.checkEveryMs / MINUTE} minutes the credentials a caller got sign a real GetCallerIdentity that ` +
      'sts-local verifies. Beside it, the same fleet for the same days without faults. ' +
      `Produced by \`npm run soak\` (packages/soak) in ${wallS} s of wall time; nothing sleeps, time is simulated.`,
  );
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| target | result | |');
  lines.push('| --- | --- | --- |');
  lines.push(
    row(
      'caller-visible errors while unexpired credentials existed',
      t.visibleErrorsWhileValid,
      mark(t.visibleErrorsWhileValid === 0),
    ),
  );
  lines.push(row('expired credentials handed out', t.expiredHandedOut, mark(t.expiredHandedOut === 0)));
  lines.push(
    row(
      'signed GetCallerIdentity checks failed',
      `${t.signedCheckFailures} of ${sum(held(faulty), (m) => m.signedChecks)}`,
      mark(t.signedCheckFailures === 0),
    ),
  );
  lines.push(row('callers left hanging (> 10 simulated min)', t.hungCallers, mark(t.hungCallers === 0)));
  lines.push(
    row(
      `most STS calls of one provider in one minute (bound ${BOUNDS.maxStsCallsPerMinute}: no tight loop)`,
      t.maxStsCallsPerMinute,
      mark(t.maxStsCallsPerMinute <= BOUNDS.maxStsCallsPerMinute),
    ),
  );
  lines.push(
    row(
      `most failed refresh attempts in a row (through a 30-min outage; bound ${BOUNDS.maxFailedAttemptsInARow})`,
      t.maxFailedAttemptsInARow,
      mark(t.maxFailedAttemptsInARow <= BOUNDS.maxFailedAttemptsInARow),
    ),
  );
  lines.push(
    row(
      'shortest backoff after a failed attempt',
      `${fixed(t.minGapAfterFailureMs / 1000, 2)} s`,
      mark(t.minGapAfterFailureMs >= BOUNDS.minGapAfterFailureMs),
    ),
  );
  const onEnteringMandatory = quick.filter((q) => q.next === 'mandatory').length;
  lines.push(
    row(
      'immediate attempts on entering the mandatory window, after a failure (once per credentials, by design)',
      onEnteringMandatory,
      mark(onEnteringMandatory <= sum(held(faulty), (m) => m.refreshes)),
    ),
  );
  lines.push(...storeTargetRows(faulty));
  const m0 = faulty.memory;
  lines.push(
    row(
      'heap after gc, start (1 h) → end',
      `${mib(m0.startHeapBytes)} → ${mib(m0.endHeapBytes)}${m0.gc ? '' : ' (no --expose-gc: not comparable)'}`,
      'see Memory',
    ),
  );
  lines.push('');
  const errorsAfterExpiry = sum(held(faulty), (m) => m.visibleErrors - m.visibleErrorsWhileValid);
  const afterOutage = (outage: Outage): number =>
    faulty.errorTimesMs.filter((ms) => ms >= outage.startMs && ms < outage.startMs + outage.minutes * MINUTE + HOUR)
      .length;
  const nearOutages = faulty.outages.reduce((n, outage) => n + afterOutage(outage), 0);
  const whenExpired =
    t.visibleErrorsWhileValid === 0
      ? ', all at times when every credential their provider had handed out had expired'
      : '';
  lines.push(
    `Callers did see ${errorsAfterExpiry} errors${whenExpired}; ` +
      `${nearOutages} of them during an outage or in the hour after it, when an outage outlasted what was left of a ` +
      'session (see the table of outages). Each is a `CredentialsExpiredError` carrying the STS error as its cause.',
  );
  lines.push('');
  lines.push(`![STS calls and caller waits over the simulated days](${chartFile})`);
  lines.push('');
  lines.push('## Per provider');
  lines.push('');
  lines.push(
    row(
      'provider',
      'kind',
      'STS calls/day, no faults',
      'STS calls/day, faults',
      'answered/day, faults',
      'failed',
      'refreshes',
      'engine attempts per refresh',
      'SDK attempts per engine attempt',
      'most failed in a row',
      'max STS calls/min',
      'served stale',
      'caller errors (while valid)',
      'expired handed out',
      'signed checks (failed)',
      'longest caller wait',
    ),
  );
  lines.push(row('---', '---', ...Array<string>(14).fill('---:')));
  for (const m of faulty.members) {
    const b = base.get(m.name);
    const attempts = m.refreshes + m.refreshFailures;
    lines.push(
      row(
        m.name,
        m.kind,
        b === undefined ? '–' : fixed(b.stsCallsPerDay),
        fixed(m.stsCallsPerDay),
        fixed((m.stsCalls - m.stsCallsFailed) / faulty.options.days),
        m.stsCallsFailed,
        m.refreshes,
        m.control ? '–' : fixed(attempts / m.refreshes, 2),
        m.control ? '–' : fixed(m.stsCalls / attempts, 2),
        m.maxFailedAttemptsInARow,
        m.maxStsCallsPerMinute,
        m.servedStale,
        `${m.visibleErrors} (${m.visibleErrorsWhileValid})`,
        m.expiredHandedOut,
        `${m.signedChecks} (${m.signedCheckFailures})`,
        `${fixed(m.maxCallerWaitMs / 1000)} s`,
      ),
    );
  }
  lines.push('');
  lines.push(
    "STS calls are counted from sts-local's call log, so the SDK client's own retries (3 attempts by default) are " +
      'in them; "engine attempts" are credchain fetches (refresh-start events). The two `control/` rows are ' +
      'deliberately naive providers (fetch once and cache forever; refresh in the last 5 minutes and pass failures ' +
      'on) run beside the fleet to show the checks catch what they claim to: they are not held to the targets.',
  );
  lines.push('');
  lines.push('## Faults and outages');
  lines.push('');
  lines.push(
    `Injected faults that fired: ${Object.entries(faulty.faultsFired)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  lines.push('');
  lines.push(
    row(
      'outage',
      'starts',
      'length',
      'STS answers',
      'caller errors during it and the hour after (all providers)',
      'first error, into the outage',
      'last error, after it ended',
    ),
  );
  lines.push('| --- | --- | ---: | --- | ---: | ---: | ---: |');
  faulty.outages.forEach((outage: Outage, i) => {
    const end = outage.startMs + outage.minutes * MINUTE;
    const times = faulty.errorTimesMs.filter((ms) => ms >= outage.startMs && ms < end + HOUR);
    const first = times.length === 0 ? '–' : `${fixed((Math.min(...times) - outage.startMs) / MINUTE)} min`;
    const last = times.length === 0 ? '–' : `${fixed((Math.max(...times) - end) / 1000, 0)} s`;
    lines.push(row(i + 1, at(outage.startMs), `${outage.minutes} min`, outage.kind, times.length, first, last));
  });
  lines.push('');
  lines.push(
    'Once credentials have expired, a caller whose provider is waiting out a backoff is refused at once rather than ' +
      'sent to STS (ARCHITECTURE.md, the refresh engine): so callers keep seeing errors for up to one backoff ' +
      '(capped at 60 s, longer when the first attempts after the outage meet the random faults) after STS is back.',
  );
  lines.push('');
  lines.push(...storeFleetSection(faulty, baseline));
  lines.push('## Memory');
  lines.push('');
  const b0 = baseline.memory;
  // Steady state: from the end of day 1 (clients built, code warmed up) to the end.
  const fromDay1 = (r: SoakResult): { growth: number; days: number; sessions: number } => {
    const day1 = r.memory.daily[0];
    return day1 === undefined
      ? { growth: Number.NaN, days: 0, sessions: 0 }
      : {
          growth: r.memory.endHeapBytes - day1.heapBytes,
          days: r.options.days - 1,
          sessions: r.memory.endSessions - day1.sessions,
        };
  };
  lines.push(
    'Heap used after `gc()`, whole process: the fleet, the SDK clients and sts-local, which runs in the same process ' +
      '(its latency faults and clock must share the simulated time). Growth is measured from the end of day 1 ' +
      '(clients built, code warm).',
  );
  lines.push('');
  lines.push(
    row(
      'run',
      'after 1 h',
      'end of each day',
      'end',
      'growth per day after day 1',
      'sessions issued after day 1',
      'growth per session',
    ),
  );
  lines.push('| --- | ---: | --- | ---: | ---: | ---: | ---: |');
  for (const [label, r] of [
    ['faults', faulty],
    ['no faults', baseline],
  ] as const) {
    const m = r.memory;
    const g = fromDay1(r);
    lines.push(
      row(
        label,
        mib(m.startHeapBytes),
        m.daily.map((d) => mib(d.heapBytes)).join(', '),
        mib(m.endHeapBytes),
        g.days > 0 ? mib(g.growth / g.days) : '–',
        g.sessions,
        g.days > 0 ? `${fixed(g.growth / Math.max(1, g.sessions) / 1024, 2)} KiB` : '–',
      ),
    );
  }
  lines.push('');
  // sts-local keeps an expired session for a day (so its key still answers ExpiredToken), then
  // forgets it: from day 2 on, a process that keeps nothing per call or per failure stays flat.
  const fromDay2 = (r: SoakResult): number => {
    const day2 = r.memory.daily[1];
    return day2 === undefined || r.options.days < 3
      ? Number.NaN
      : (r.memory.endHeapBytes - day2.heapBytes) / (r.options.days - 2);
  };
  const [fg, bg] = [fromDay2(faulty), fromDay2(baseline)];
  const FLAT = 0.5 * 1024 * 1024; // per simulated day
  const failedCalls = sum(faulty.members, (m) => m.stsCallsFailed);
  lines.push(
    (!Number.isFinite(fg) || !Number.isFinite(bg)
      ? 'Too short a run to judge growth (it needs three days or more). '
      : fg < FLAT && bg < FLAT
        ? `From the end of day 2 the heap grows ${mib(fg)} a day with faults (${failedCalls} failed STS calls) ` +
          `and ${mib(bg)} a day without: no growth. ` +
          'Failures, retries and served-stale episodes leave nothing behind. '
        : `From the end of day 2 the heap grows ${mib(fg)} a day with faults and ${mib(bg)} a day without: ` +
          'something is kept. ') +
      "Day 1's rise is sts-local's session store filling up: it keeps each session until a day after it expired " +
      '(packages/sts-local/src/model/SessionStore.ts), then forgets it.' +
      (m0.gc && b0.gc ? '' : ' (Run with --expose-gc for comparable figures.)'),
  );
  lines.push('');
  return `${lines.join('\n')}\n`;
}
