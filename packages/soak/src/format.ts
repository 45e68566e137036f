/** Units and number formats shared by the soak's report and chart. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** A simulated instant as `day N HH:MM`, from the start of the run. */
export const at = (ms: number): string => {
  const day = Math.floor(ms / (24 * HOUR));
  const rest = ms - day * 24 * HOUR;
  const h = Math.floor(rest / HOUR);
  const m = Math.floor((rest - h * HOUR) / MINUTE);
  return `day ${day + 1} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
};

export const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
