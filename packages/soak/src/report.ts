/** The soak's markdown report and SVG chart, from the results of a faulty and a no-fault run. */
import type { HourBucket, MemberResult, Outage, SoakResult } from './runSoak';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const at = (ms: number): string => {
  const day = Math.floor(ms / (24 * HOUR));
  const rest = ms - day * 24 * HOUR;
  const h = Math.floor(rest / HOUR);
  const m = Math.floor((rest - h * HOUR) / MINUTE);
  return `day ${day + 1} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
};
const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/**
 * Bounds that tell a backoff from a tight loop. p-retry waits 1–2 s, doubling, capped at 60 s:
 * at most ~7 engine attempts start in any minute, each up to 3 SDK attempts, plus the one attempt
 * of the first caller in the mandatory window; a 30-minute outage costs ~37 failed attempts in a
 * row, plus a few for the random faults around it. A tight loop makes hundreds a minute.
 */
export const BOUNDS = { maxStsCallsPerMinute: 30, maxFailedAttemptsInARow: 60, minGapAfterFailureMs: 1_000 } as const;

export interface Targets {
  readonly visibleErrorsWhileValid: number;
  readonly expiredHandedOut: number;
  readonly signedCheckFailures: number;
  readonly hungCallers: number;
  readonly maxStsCallsPerMinute: number;
  readonly maxFailedAttemptsInARow: number;
  readonly minGapAfterFailureMs: number;
}

const held = (r: SoakResult): MemberResult[] => r.members.filter((m) => !m.control);
const sum = (ms: MemberResult[], f: (m: MemberResult) => number): number => ms.reduce((n, m) => n + f(m), 0);

export function targetsOf(r: SoakResult): Targets {
  const ms = held(r);
  return {
    visibleErrorsWhileValid: sum(ms, (m) => m.visibleErrorsWhileValid),
    expiredHandedOut: sum(ms, (m) => m.expiredHandedOut),
    signedCheckFailures: sum(ms, (m) => m.signedCheckFailures),
    hungCallers: r.hungCallers,
    maxStsCallsPerMinute: Math.max(...ms.map((m) => m.maxStsCallsPerMinute)),
    maxFailedAttemptsInARow: Math.max(...ms.map((m) => m.maxFailedAttemptsInARow)),
    minGapAfterFailureMs: Math.min(...ms.map((m) => m.minGapAfterFailureMs ?? Number.POSITIVE_INFINITY)),
  };
}

export function markdownReport(faulty: SoakResult, baseline: SoakResult, chartFile: string): string {
  const t = targetsOf(faulty);
  const o = faulty.options;
  const quick = faulty.quickAttempts.filter((q) => !q.member.startsWith('control/'));
  const base = new Map(baseline.members.map((m) => [m.name, m]));
  const mark = (ok: boolean): string => (ok ? '✅' : '❌');
  const lines: string[] = [];
  lines.push('# Fault soak');
  lines.push('');
  lines.push(
    `${o.days} simulated days, every provider kind plus two chains and a pool (${held(faulty).length} providers), called once a simulated ` +
      `minute each, against sts-local injecting faults into ${Math.round(o.faultRate * 100)}% of credential requests ` +
      `(throttling, 500, 503, dropped connections, ${o.latencyMs / 1000} s latency spikes; seed ${o.seed}) and ` +
      `${faulty.outages.length} outages of 1, 10 and 30 minutes. Every ${o.checkEveryMs / MINUTE} minutes the credentials a caller got ` +
      'sign a real GetCallerIdentity that sts-local verifies. Beside it, the same fleet for the same days without faults. ' +
      `Produced by \`npm run soak\` (packages/soak) in ${fixed((faulty.wallMs + baseline.wallMs) / 1000, 0)} s of wall time; nothing sleeps, time is simulated.`,
  );
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| target | result | |');
  lines.push('| --- | --- | --- |');
  lines.push(
    `| caller-visible errors while unexpired credentials existed | ${t.visibleErrorsWhileValid} | ${mark(t.visibleErrorsWhileValid === 0)} |`,
  );
  lines.push(`| expired credentials handed out | ${t.expiredHandedOut} | ${mark(t.expiredHandedOut === 0)} |`);
  lines.push(
    `| signed GetCallerIdentity checks failed | ${t.signedCheckFailures} of ${sum(held(faulty), (m) => m.signedChecks)} | ${mark(t.signedCheckFailures === 0)} |`,
  );
  lines.push(`| callers left hanging (> 10 simulated min) | ${t.hungCallers} | ${mark(t.hungCallers === 0)} |`);
  lines.push(
    `| most STS calls of one provider in one minute (bound ${BOUNDS.maxStsCallsPerMinute}: no tight loop) | ${t.maxStsCallsPerMinute} | ${mark(t.maxStsCallsPerMinute <= BOUNDS.maxStsCallsPerMinute)} |`,
  );
  lines.push(
    `| most failed refresh attempts in a row (through a 30-min outage; bound ${BOUNDS.maxFailedAttemptsInARow}) | ${t.maxFailedAttemptsInARow} | ${mark(t.maxFailedAttemptsInARow <= BOUNDS.maxFailedAttemptsInARow)} |`,
  );
  lines.push(
    `| shortest backoff after a failed attempt | ${fixed(t.minGapAfterFailureMs / 1000, 2)} s | ${mark(t.minGapAfterFailureMs >= BOUNDS.minGapAfterFailureMs)} |`,
  );
  lines.push(
    `| immediate attempts on entering the mandatory window, after a failure (once per credentials, by design) | ${quick.filter((q) => q.next === 'mandatory').length} | ${mark(quick.filter((q) => q.next === 'mandatory').length <= sum(held(faulty), (m) => m.refreshes))} |`,
  );
  const m0 = faulty.memory;
  lines.push(
    `| heap after gc, start (1 h) → end | ${mib(m0.startHeapBytes)} → ${mib(m0.endHeapBytes)}${m0.gc ? '' : ' (no --expose-gc: not comparable)'} | see Memory |`,
  );
  lines.push('');
  const errorsAfterExpiry = sum(held(faulty), (m) => m.visibleErrors - m.visibleErrorsWhileValid);
  const afterOutage = (outage: Outage): number =>
    faulty.errorTimesMs.filter((ms) => ms >= outage.startMs && ms < outage.startMs + outage.minutes * MINUTE + HOUR)
      .length;
  const nearOutages = faulty.outages.reduce((n, outage) => n + afterOutage(outage), 0);
  lines.push(
    `Callers did see ${errorsAfterExpiry} errors${t.visibleErrorsWhileValid === 0 ? ', all at times when every credential their provider had handed out had expired' : ''}; ` +
      `${nearOutages} of them during an outage or in the hour after it, when an outage outlasted what was left of a session ` +
      '(see the table of outages). Each is a `CredentialsExpiredError` carrying the STS error as its cause.',
  );
  lines.push('');
  lines.push(`![STS calls and caller waits over the simulated days](${chartFile})`);
  lines.push('');
  lines.push('## Per provider');
  lines.push('');
  lines.push(
    '| provider | kind | STS calls/day, no faults | STS calls/day, faults | answered/day, faults | failed | refreshes | engine attempts per refresh | SDK attempts per engine attempt | most failed in a row | max STS calls/min | served stale | caller errors (while valid) | expired handed out | signed checks (failed) | longest caller wait |',
  );
  lines.push(
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const m of faulty.members) {
    const b = base.get(m.name);
    const attempts = m.refreshes + m.refreshFailures;
    lines.push(
      `| ${m.name} | ${m.kind} | ${b === undefined ? '–' : fixed(b.stsCallsPerDay)} | ${fixed(m.stsCallsPerDay)} | ${fixed((m.stsCalls - m.stsCallsFailed) / faulty.options.days)} | ${m.stsCallsFailed} | ${m.refreshes} | ` +
        `${m.control ? '–' : fixed(attempts / m.refreshes, 2)} | ${m.control ? '–' : fixed(m.stsCalls / attempts, 2)} | ${m.maxFailedAttemptsInARow} | ${m.maxStsCallsPerMinute} | ` +
        `${m.servedStale} | ${m.visibleErrors} (${m.visibleErrorsWhileValid}) | ${m.expiredHandedOut} | ${m.signedChecks} (${m.signedCheckFailures}) | ${fixed(m.maxCallerWaitMs / 1000)} s |`,
    );
  }
  lines.push('');
  lines.push(
    "STS calls are counted from sts-local's call log, so the SDK client's own retries (3 attempts by default) are in them; " +
      '"engine attempts" are credchain fetches (refresh-start events). The two `control/` rows are deliberately naive providers ' +
      '(fetch once and cache forever; refresh in the last 5 minutes and pass failures on) run beside the fleet to show the checks ' +
      'catch what they claim to: they are not held to the targets.',
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
    '| outage | starts | length | STS answers | caller errors during it and the hour after (all providers) | first error, into the outage | last error, after it ended |',
  );
  lines.push('| --- | --- | ---: | --- | ---: | ---: | ---: |');
  faulty.outages.forEach((outage: Outage, i) => {
    const end = outage.startMs + outage.minutes * MINUTE;
    const times = faulty.errorTimesMs.filter((ms) => ms >= outage.startMs && ms < end + HOUR);
    const first = times.length === 0 ? '–' : `${fixed((Math.min(...times) - outage.startMs) / MINUTE)} min`;
    const last = times.length === 0 ? '–' : `${fixed((Math.max(...times) - end) / 1000, 0)} s`;
    lines.push(
      `| ${i + 1} | ${at(outage.startMs)} | ${outage.minutes} min | ${outage.kind} | ${times.length} | ${first} | ${last} |`,
    );
  });
  lines.push('');
  lines.push(
    'Once credentials have expired, a caller whose provider is waiting out a backoff is refused at once rather than sent to ' +
      'STS (ARCHITECTURE.md, the refresh engine): so callers keep seeing errors for up to one backoff (capped at 60 s, ' +
      'longer when the first attempts after the outage meet the random faults) after STS is back.',
  );
  lines.push('');
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
    'Heap used after `gc()`, whole process: the fleet, the SDK clients and sts-local, which runs in the same process (its ' +
      'latency faults and clock must share the simulated time). Growth is measured from the end of day 1 (clients built, code warm).',
  );
  lines.push('');
  lines.push(
    '| run | after 1 h | end of each day | end | growth per day after day 1 | sessions issued after day 1 | growth per session |',
  );
  lines.push('| --- | ---: | --- | ---: | ---: | ---: | ---: |');
  for (const [label, r] of [
    ['faults', faulty],
    ['no faults', baseline],
  ] as const) {
    const m = r.memory;
    const g = fromDay1(r);
    lines.push(
      `| ${label} | ${mib(m.startHeapBytes)} | ${m.daily.map((d) => mib(d.heapBytes)).join(', ')} | ${mib(m.endHeapBytes)} | ` +
        `${g.days > 0 ? mib(g.growth / g.days) : '–'} | ${g.sessions} | ${g.days > 0 ? `${fixed(g.growth / Math.max(1, g.sessions) / 1024, 2)} KiB` : '–'} |`,
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
  lines.push(
    (!Number.isFinite(fg) || !Number.isFinite(bg)
      ? 'Too short a run to judge growth (it needs three days or more). '
      : fg < FLAT && bg < FLAT
        ? `From the end of day 2 the heap grows ${mib(fg)} a day with faults (${sum(faulty.members, (m) => m.stsCallsFailed)} failed STS calls) ` +
          `and ${mib(bg)} a day without: no growth. Failures, retries and served-stale episodes leave nothing behind. `
        : `From the end of day 2 the heap grows ${mib(fg)} a day with faults and ${mib(bg)} a day without: something is kept. `) +
      "Day 1's rise is sts-local's session store filling up: it keeps each session until a day after it expired " +
      '(packages/sts-local/src/model/SessionStore.ts), then forgets it.' +
      (m0.gc && b0.gc ? '' : ' (Run with --expose-gc for comparable figures.)'),
  );
  lines.push('');
  return `${lines.join('\n')}\n`;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * Two panels over the simulated hours: STS calls per hour (answered / failed) with the outages
 * shaded, and the longest wait of a provider call each hour with the caller-visible errors.
 */
export function svgChart(faulty: SoakResult): string {
  const hours: HourBucket[] = faulty.hours;
  const n = Math.max(1, hours.length);
  const W = 960;
  const left = 56;
  const right = 16;
  const plotW = W - left - right;
  const panelH = 170;
  const top1 = 40;
  const top2 = top1 + panelH + 60;
  const H = top2 + panelH + 50;
  const x = (hour: number): number => left + (hour / n) * plotW;
  const barW = Math.max(1, plotW / n - 0.5);
  const maxCalls = Math.max(1, ...hours.map((h) => h.stsOk + h.stsFailed));
  const maxWaitS = Math.max(1, ...hours.map((h) => h.maxCallerWaitMs / 1000));
  const maxErrors = Math.max(1, ...hours.map((h) => h.visibleErrors));
  const y1 = (v: number): number => top1 + panelH - (v / maxCalls) * panelH;
  const y2 = (v: number): number => top2 + panelH - (v / maxWaitS) * panelH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(`Fault soak: ${faulty.options.days} simulated days, ${Math.round(faulty.options.faultRate * 100)}% faults, outages shaded`)}</text>`,
  );
  for (const outage of faulty.outages) {
    const x0 = x(outage.startMs / HOUR);
    const w = Math.max(3, x(outage.startMs / HOUR + outage.minutes / 60) - x0);
    for (const top of [top1, top2])
      out.push(
        `<rect x="${x0.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${panelH}" fill="#f4c7c3" opacity="0.7"/>`,
      );
  }
  // Panel 1: STS calls per hour.
  out.push(
    `<text x="${left}" y="${top1 - 6}">STS calls per simulated hour (all providers): answered (green), failed (red)</text>`,
  );
  for (const h of hours) {
    const ok = h.stsOk;
    const failed = h.stsFailed;
    out.push(
      `<rect x="${x(h.hour).toFixed(1)}" y="${y1(ok).toFixed(1)}" width="${barW.toFixed(1)}" height="${(top1 + panelH - y1(ok)).toFixed(1)}" fill="#4caf50"/>`,
    );
    if (failed > 0) {
      out.push(
        `<rect x="${x(h.hour).toFixed(1)}" y="${y1(ok + failed).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y1(ok) - y1(ok + failed)).toFixed(1)}" fill="#e53935"/>`,
      );
    }
  }
  // Panel 2: longest caller wait per hour, and caller-visible errors.
  out.push(
    `<text x="${left}" y="${top2 - 6}">Longest wait of a provider call per hour, s (blue line); caller-visible errors, all after expiry (red ticks, scale ${maxErrors})</text>`,
  );
  const path = hours
    .map(
      (h, i) => `${i === 0 ? 'M' : 'L'}${(x(h.hour) + barW / 2).toFixed(1)},${y2(h.maxCallerWaitMs / 1000).toFixed(1)}`,
    )
    .join(' ');
  out.push(`<path d="${path}" fill="none" stroke="#1e63c4" stroke-width="1.2"/>`);
  for (const h of hours) {
    if (h.visibleErrors === 0) continue;
    const hgt = (h.visibleErrors / maxErrors) * (panelH / 3);
    out.push(
      `<rect x="${x(h.hour).toFixed(1)}" y="${(top2 + panelH - hgt).toFixed(1)}" width="${Math.max(2, barW).toFixed(1)}" height="${hgt.toFixed(1)}" fill="#e53935"/>`,
    );
  }
  // Axes.
  for (const [top, max, unit] of [
    [top1, maxCalls, ''],
    [top2, maxWaitS, ' s'],
  ] as const) {
    out.push(`<line x1="${left}" y1="${top + panelH}" x2="${W - right}" y2="${top + panelH}" stroke="#333"/>`);
    out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + panelH}" stroke="#333"/>`);
    out.push(`<text x="${left - 4}" y="${top + 4}" text-anchor="end">${fixed(max, max < 10 ? 1 : 0)}${unit}</text>`);
    out.push(`<text x="${left - 4}" y="${top + panelH}" text-anchor="end">0</text>`);
    for (let d = 0; d * 24 <= n; d++) {
      const xd = x(d * 24);
      out.push(
        `<line x1="${xd.toFixed(1)}" y1="${top + panelH}" x2="${xd.toFixed(1)}" y2="${top + panelH + 4}" stroke="#333"/>`,
      );
      out.push(`<text x="${xd.toFixed(1)}" y="${top + panelH + 16}" text-anchor="middle">day ${d}</text>`);
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
