/**
 * The histogram of engine scenario 4 (refresh points of 1,000 providers) as a hand-written SVG, in
 * the style of latencyChart.ts: one group of bars per minute of the advisory window, one bar per
 * variant, and a marker where the SDK refreshes (5 minutes before expiry, every process alike).
 */
import type { RefreshPointsResult } from './refreshPoints';
import { WINDOW } from './refreshPoints';
import { axes, escape, fmt, vline } from './svg';

const W = 960;
const H = 420;
const PLOT = { left: 72, right: 930, top: 72, bottom: 320 };
const MINUTE = 60_000;
/** The SDK's caches refresh when less than 5 minutes are left: this far into the advisory window. */
const SDK_AT_MS = WINDOW.advisoryMs + WINDOW.mandatoryMs - 5 * MINUTE;

/** Ours in blues (defaults darkest), the behaviour before issue 9 in grey. */
const COLORS: Record<string, string> = { defaults: '#1f77b4', 'callers-only': '#9ecae1', 'jitter-0': '#999' };

export function refreshPointsChart(title: string, series: readonly RefreshPointsResult[]): string {
  const bins = WINDOW.advisoryMs / WINDOW.binMs;
  const top = Math.max(1, ...series.flatMap((s) => s.bins));
  const step = top > 500 ? 200 : top > 100 ? 50 : 10;
  const yMax = Math.ceil(top / step) * step;
  const x = (ms: number): number => PLOT.left + (ms / WINDOW.advisoryMs) * (PLOT.right - PLOT.left);
  const y = (count: number): number => PLOT.bottom - (count / yMax) * (PLOT.bottom - PLOT.top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      'font-family="sans-serif" font-size="11">',
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PLOT.left}" y="22" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<text x="${PLOT.left}" y="40" fill="#555">Providers whose refresh started in each minute of the advisory ` +
      'window of 1-hour credentials (from 16 to 1 minute before expiry),</text>',
    `<text x="${PLOT.left}" y="54" fill="#555">all fetched at one instant; a caller asks every provider once a ` +
      'second. Hover a bar for its count.</text>',
  ];

  for (let count = 0; count <= yMax; count += step) {
    out.push(
      `<line x1="${PLOT.left}" y1="${fmt(y(count))}" x2="${PLOT.right}" y2="${fmt(y(count))}" stroke="#e5e5e5"/>`,
      `<text x="${PLOT.left - 6}" y="${fmt(y(count) + 4)}" text-anchor="end">${count}</text>`,
    );
  }
  for (let minute = 0; minute <= bins; minute++) {
    const tx = fmt(x(minute * MINUTE));
    out.push(
      `<line x1="${tx}" y1="${PLOT.bottom}" x2="${tx}" y2="${PLOT.bottom + 4}" stroke="#333"/>`,
      `<text x="${tx}" y="${PLOT.bottom + 16}" text-anchor="middle">${minute}</text>`,
    );
  }
  out.push(
    ...axes(PLOT, 'minutes since the advisory window opened (simulated clock)', 'providers refreshing in that minute'),
  );

  out.push(
    vline(x(SDK_AT_MS), PLOT.top, PLOT.bottom, '#e6550d', '5 3'),
    `<text x="${fmt(x(SDK_AT_MS) + 4)}" y="${PLOT.top + 10}" fill="#e6550d">` +
      'the SDK: every process 5 min before expiry</text>',
  );

  // The refresh point is drawn in the first `jitter` fraction of the window: half, by default.
  out.push(
    vline(x(WINDOW.advisoryMs / 2), PLOT.top, PLOT.bottom, '#1f77b4', '2 3'),
    `<text x="${fmt(x(WINDOW.advisoryMs / 2) - 4)}" y="${PLOT.top + 10}" fill="#1f77b4" text-anchor="end">` +
      'end of the jittered stretch (jitter 0.5)</text>',
  );

  const binWidth = x(WINDOW.binMs) - x(0);
  const barWidth = (binWidth - 4) / Math.max(1, series.length);
  series.forEach((s, i) => {
    const color = COLORS[s.id] ?? '#1f77b4';
    out.push(`<g fill="${color}">`);
    s.bins.forEach((count, bin) => {
      if (count === 0) return;
      const bx = x(bin * WINDOW.binMs) + 2 + i * barWidth;
      out.push(
        `<rect x="${fmt(bx)}" y="${fmt(y(count))}" width="${fmt(barWidth)}" height="${fmt(PLOT.bottom - y(count))}">` +
          `<title>${escape(s.label)}: ${count} in minute ${bin}–${bin + 1}</title></rect>`,
      );
    });
    out.push('</g>');
    const ly = PLOT.bottom + 52 + i * 16;
    out.push(
      `<rect x="${PLOT.left}" y="${ly - 9}" width="10" height="10" fill="${color}"/>`,
      `<text x="${PLOT.left + 16}" y="${ly}">${escape(s.label)}: ` +
        `${s.distinctInstants === 1 ? 'all at one instant' : `${s.distinctInstants} distinct instants`}, ` +
        `median ${(s.medianMs / MINUTE).toFixed(1)} min into the window</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
