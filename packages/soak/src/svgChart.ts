/** The soak's SVG chart, from the results of the faulty run. */
import { HOUR, fixed } from './format';
import type { HourBucket, SoakResult } from './runSoak';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A filled rectangle, its geometry to one decimal. */
const bar = (x: number, y: number, width: number, height: number, fill: string): string =>
  `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${height.toFixed(1)}" ` +
  `fill="${fill}"/>`;

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
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      'font-family="sans-serif" font-size="11">',
  );
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  const { days, faultRate } = faulty.options;
  const title = `Fault soak: ${days} simulated days, ${Math.round(faultRate * 100)}% faults, outages shaded`;
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (const outage of faulty.outages) {
    const x0 = x(outage.startMs / HOUR);
    const w = Math.max(3, x(outage.startMs / HOUR + outage.minutes / 60) - x0);
    for (const top of [top1, top2])
      out.push(
        `<rect x="${x0.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${panelH}" ` +
          'fill="#f4c7c3" opacity="0.7"/>',
      );
  }
  // Panel 1: STS calls per hour.
  out.push(
    `<text x="${left}" y="${top1 - 6}">` +
      'STS calls per simulated hour (all providers): answered (green), failed (red)</text>',
  );
  for (const h of hours) {
    const ok = h.stsOk;
    const failed = h.stsFailed;
    out.push(bar(x(h.hour), y1(ok), barW, top1 + panelH - y1(ok), '#4caf50'));
    if (failed > 0) out.push(bar(x(h.hour), y1(ok + failed), barW, y1(ok) - y1(ok + failed), '#e53935'));
  }
  // Panel 2: longest caller wait per hour, and caller-visible errors.
  out.push(
    `<text x="${left}" y="${top2 - 6}">Longest wait of a provider call per hour, s (blue line); ` +
      `caller-visible errors, all after expiry (red ticks, scale ${maxErrors})</text>`,
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
    out.push(bar(x(h.hour), top2 + panelH - hgt, Math.max(2, barW), hgt, '#e53935'));
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
      const tick = `x1="${xd.toFixed(1)}" y1="${top + panelH}" x2="${xd.toFixed(1)}" y2="${top + panelH + 4}"`;
      out.push(`<line ${tick} stroke="#333"/>`);
      out.push(`<text x="${xd.toFixed(1)}" y="${top + panelH + 16}" text-anchor="middle">day ${d}</text>`);
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
