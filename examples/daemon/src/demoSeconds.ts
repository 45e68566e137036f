/** How long `npm start` runs its signed calls when given no SECONDS. */
export const DEFAULT_SECONDS = 30;

/**
 * The shortest run `npm start -- SECONDS` accepts. The demo passes only when the role refreshed in
 * the background at least twice, and at its scale (a 15-minute role session lasts 6 s) one refresh
 * comes at most 4.6 s after the last (the refresh point is drawn in the first half of the 2 s
 * advisory window, which starts 3.6 s in) plus 300 ms of STS latency: two take up to 9.8 s. The
 * rest is room for a loaded machine, whose timers fire late.
 */
export const MIN_SECONDS = 15;

/** The length of the signed-call loop from `npm start -- SECONDS`, or why the argument is refused. */
export function demoSeconds(arg: string | undefined): { readonly seconds: number } | { readonly error: string } {
  if (arg === undefined) return { seconds: DEFAULT_SECONDS };
  const seconds = Number(arg);
  if (arg.trim() === '' || !Number.isFinite(seconds)) {
    return { error: `SECONDS must be a number of seconds, not ${JSON.stringify(arg)}` };
  }
  if (seconds < MIN_SECONDS) {
    return {
      error:
        `SECONDS must be at least ${MIN_SECONDS}, not ${arg}: the demo shows two background refreshes of a ` +
        'role session that lasts 6 s',
    };
  }
  return { seconds };
}
