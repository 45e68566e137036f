/**
 * The latency-over-time chart of scenario 2 (callers across a refresh), as a hand-written SVG:
 * one series per implementation, x = minutes relative to the first credentials' expiry, y = each
 * caller's wait on a log scale. No dependency: the chart is a few dozen elements.
 */
import { axes, escape, fmt, vline } from './svg';

export interface ChartSeries {
  readonly label: string;
  readonly ours: boolean;
  /** [ms relative to expiry, wait in ms, 1 renewed / 0 first credentials / −1 error]. */
  readonly samples: readonly (readonly [number, number, number])[];
  readonly firstRenewedAtMs: number | null;
  /** When each STS call of the walk (a refresh) reached STS, ms relative to expiry. */
  readonly stsCallsAtMs: readonly number[];
}

export interface ChartInput {
  readonly title: string;
  readonly series: readonly ChartSeries[];
}

const W = 960;
const H = 440;
const PLOT = { left: 72, right: 930, top: 64, bottom: 360 };
/** Log scale from 10 µs to 1 s: waits under the floor are drawn on it (ours' cached answers take a few µs). */
const Y_MIN_MS = 0.01;
const Y_MAX_MS = 1000;
const MINUTE = 60_000;
const MICROS = Y_MIN_MS * 1000;

/** Ours in blue circles, the SDK in orange squares (distinct by shape as well as colour). */
const style = (ours: boolean): { color: string; mark: (x: number, y: number) => string } =>
  ours
    ? { color: '#1f77b4', mark: (x, y) => `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="3.2"/>` }
    : { color: '#e6550d', mark: (x, y) => `<rect x="${fmt(x - 3)}" y="${fmt(y - 3)}" width="6" height="6"/>` };

export function latencyChart(input: ChartInput): string {
  const all = input.series.flatMap((s) => s.samples);
  const minT = Math.floor(Math.min(0, ...all.map((p) => p[0])) / MINUTE) * MINUTE;
  const maxT = Math.ceil(Math.max(0, ...all.map((p) => p[0])) / MINUTE) * MINUTE;
  const span = Math.max(maxT - minT, MINUTE);
  const x = (t: number): number => PLOT.left + ((t - minT) / span) * (PLOT.right - PLOT.left);
  const logSpan = Math.log10(Y_MAX_MS) - Math.log10(Y_MIN_MS);
  const y = (ms: number): number => {
    const v = Math.min(Math.max(ms, Y_MIN_MS), Y_MAX_MS);
    return PLOT.bottom - ((Math.log10(v) - Math.log10(Y_MIN_MS)) / logSpan) * (PLOT.bottom - PLOT.top);
  };

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PLOT.left}" y="22" font-size="14" font-weight="bold">${escape(input.title)}</text>`,
    `<text x="${PLOT.left}" y="40" fill="#555">Each mark is one caller resolving credentials through an SDK client; ` +
      `waits under ${MICROS} µs are drawn at ${MICROS} µs.</text>`,
  ];

  // Grid and axes.
  for (let ms = Y_MIN_MS; ms <= Y_MAX_MS * 1.0001; ms *= 10) {
    const label = ms < 1 ? `${Math.round(ms * 1000)} µs` : `${Math.round(ms)} ms`;
    out.push(`<line x1="${PLOT.left}" y1="${fmt(y(ms))}" x2="${PLOT.right}" y2="${fmt(y(ms))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${PLOT.left - 6}" y="${fmt(y(ms) + 4)}" text-anchor="end">${label}</text>`);
  }
  const tickEvery = span > 30 * MINUTE ? 10 * MINUTE : span > 10 * MINUTE ? 5 * MINUTE : MINUTE;
  for (let t = Math.ceil(minT / tickEvery) * tickEvery; t <= maxT; t += tickEvery) {
    out.push(`<line x1="${fmt(x(t))}" y1="${PLOT.bottom}" x2="${fmt(x(t))}" y2="${PLOT.bottom + 4}" stroke="#333"/>`);
    out.push(
      `<text x="${fmt(x(t))}" y="${PLOT.bottom + 16}" text-anchor="middle">` +
        `${t / MINUTE > 0 ? '+' : ''}${t / MINUTE}</text>`,
    );
  }
  out.push(
    ...axes(
      PLOT,
      'minutes relative to the expiry of the first credentials (simulated clock)',
      'wait per caller (log scale)',
    ),
  );

  // Expiry marker.
  out.push(
    vline(x(0), PLOT.top, PLOT.bottom, '#b00', '5 3'),
    `<text x="${fmt(x(0) - 4)}" y="${PLOT.top + 10}" text-anchor="end" fill="#b00">expiry</text>`,
  );

  // Series: first-renewed marker, a line through each step's longest wait, the callers.
  input.series.forEach((s, i) => {
    const { color, mark } = style(s.ours);
    if (s.firstRenewedAtMs !== null) {
      const rx = x(s.firstRenewedAtMs);
      out.push(
        vline(rx, PLOT.top, PLOT.bottom, color, '2 3'),
        `<text x="${fmt(rx + 4)}" y="${PLOT.top + 22 + i * 12}" fill="${color}">` +
          `first caller with renewed credentials (${(s.firstRenewedAtMs / MINUTE).toFixed(1)} min)</text>`,
      );
    }
    for (const t of s.stsCallsAtMs) {
      const sx = x(t);
      out.push(
        `<path d="M${fmt(sx)},${PLOT.bottom} l-5,-9 h10 z" fill="${color}"/>`,
        `<text x="${fmt(sx + 7)}" y="${PLOT.bottom - 4 - i * 12}" fill="${color}">` +
          `STS call (refresh) ${(t / MINUTE).toFixed(1)} min</text>`,
      );
    }
    const stepMax = new Map<number, number>();
    for (const [t, ms] of s.samples) {
      const step = Math.round(t / 1000); // callers of one step arrive within a second of each other
      stepMax.set(step, Math.max(stepMax.get(step) ?? 0, ms));
    }
    const points = [...stepMax.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([step, ms]) => `${fmt(x(step * 1000))},${fmt(y(ms))}`);
    out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="1" opacity="0.6"/>`);
    out.push(`<g fill="${color}" fill-opacity="0.55" stroke="${color}">`);
    for (const [t, ms, got] of s.samples) {
      out.push(
        got === -1
          ? `<text x="${fmt(x(t))}" y="${fmt(y(ms) + 4)}" text-anchor="middle" fill="#b00">×</text>`
          : mark(x(t), y(ms)),
      );
    }
    out.push('</g>');
  });

  // Legend.
  input.series.forEach((s, i) => {
    const { color, mark } = style(s.ours);
    const ly = PLOT.bottom + 52 + i * 16;
    const lx = PLOT.left;
    const worst = Math.max(0, ...s.samples.map((p) => p[1]));
    const waited = s.samples.filter((p) => p[1] >= 10).length;
    out.push(
      `<g fill="${color}" stroke="${color}">${mark(lx + 6, ly - 4)}</g>`,
      `<text x="${lx + 16}" y="${ly}">${escape(s.label)}: ${waited} of ${s.samples.length} waited ≥ 10 ms, ` +
        `longest ${Math.round(worst)} ms</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
