import { WAITED_MS } from './runDaemon';
import type { DaemonSummary } from './runDaemon';

/** The summary the demo ends with: each claim with the figure that backs it. */
export function formatSummary(s: DaemonSummary): string[] {
  const mark = (good: boolean) => (good ? 'ok  ' : 'FAIL');
  const sts = Object.entries(s.stsCalls)
    .map(([operation, n]) => `${operation} ${n.success}${n.failed === 0 ? '' : ` (+${n.failed} failed)`}`)
    .join(', ');
  const stsGood = Object.values(s.stsCalls).every((n) => n.failed === 0);
  return [
    '',
    'Summary',
    `  ${mark(s.failedCalls === 0)} signed calls: ${s.calls}, failed: ${s.failedCalls}`,
    `  ${mark(s.waitedCalls === 0)} credential lookups: ${s.providerCalls}, ` +
      `max ${s.maxProviderLatencyMs.toFixed(2)} ms, ≥ ${WAITED_MS} ms: ${s.waitedCalls} (no call waited on STS)`,
    `  ${mark(s.roleRefreshes >= 2)} role refreshes in the background: ${s.roleRefreshes}; ` +
      `session refreshes: ${s.sessionRefreshes}; MFA codes asked: ${s.mfaPrompts}`,
    `  ${mark(stsGood)} sts-local verified every request: ${sts}`,
    `  ${mark(s.identitiesChecked)} every call signed as the MFA role; ` +
      'every AssumeRole signed by the MFA session, without a code',
    `  cold start (GetSessionToken + AssumeRole, before the loop): ${Math.round(s.coldStartMs)} ms`,
    s.ok ? 'PASS' : 'FAIL',
  ];
}
