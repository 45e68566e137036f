export { WAITED_MS, runDaemon } from './runDaemon';
export type { DaemonSummary, RunDaemonOptions } from './runDaemon';
export { formatSummary } from './formatSummary';
export { DEFAULT_SECONDS, MIN_SECONDS, demoSeconds } from './demoSeconds';
