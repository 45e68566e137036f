/** What the hand-written SVG charts share: text escaping and coordinates with one decimal. */

export const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const fmt = (n: number): string => n.toFixed(1);

/** A vertical line across the plot at `x`, dashed. */
export const vline = (x: number, top: number, bottom: number, color: string, dash: string): string =>
  `<line x1="${fmt(x)}" y1="${top}" x2="${fmt(x)}" y2="${bottom}" stroke="${color}" stroke-dasharray="${dash}"/>`;

/** The plot area of a chart, in SVG units. */
export interface Plot {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The x and y axes of `plot`, with a label under the x axis and a rotated one beside the y axis. */
export const axes = (plot: Plot, xLabel: string, yLabel: string): string[] => [
  `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}" stroke="#333"/>`,
  `<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}" stroke="#333"/>`,
  `<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 34}" text-anchor="middle">${escape(xLabel)}</text>`,
  `<text transform="translate(18 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">` +
    `${escape(yLabel)}</text>`,
];
