/**
 * `npm run bench`, clock-skew part (issue 12, server time): a host whose clock runs behind AWS's.
 *
 * sts-local's clock runs 5 or 10 minutes ahead of the (fake) local one. A daemon sends a request (sts-local's
 * GetCallerIdentity, standing for any service) every 30 s for 24 simulated hours through a real SDK client
 * whose `credentials` are 1-hour role sessions; sts-local checks the signature and the session's expiry on
 * its own clock. Counted: requests answered ExpiredToken, and any other failure. Ours (fromAssumeRole,
 * defaults: it decides expiry on STS's time line) beside the SDK's fromTemporaryCredentials (its client's
 * cache refetches 5 minutes before expiry by the local clock); for reference, ours with STS's clock hidden
 * from it (the `Date` header taken off STS's answers: the local clock alone). Time is @sinonjs/fake-timers'
 * (Date and timers; immediates and nextTick real, so HTTP runs).
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { fromAssumeRole } from '@credchain/assume-role';
import { startStsLocal } from '@credchain/sts-local';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import FakeTimers from '@sinonjs/fake-timers';

import { type Machine, machine, markdownTable, runBench, table, writeResults } from './report';
import { ALICE, DEMO_ROLE_ARN, type Provider, REGION } from './stsBench';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const EVERY_MS = 30 * SECOND;
const HOURS = 24;

type Variant = 'ours' | 'ours-local-clock' | 'sdk';

const LABELS: Record<Variant, string> = {
  ours: "ours: fromAssumeRole (STS's time line)",
  'ours-local-clock': "(ref) ours with STS's Date hidden: the local clock alone",
  sdk: "SDK: fromTemporaryCredentials (client's cache)",
};

interface SkewRow {
  readonly id: Variant;
  readonly label: string;
  readonly ours: boolean;
  /** How far the local clock is behind STS's. */
  readonly behindMinutes: number;
  readonly requests: number;
  readonly expiredToken: number;
  /** Failures other than ExpiredToken (none expected). */
  readonly otherErrors: number;
  readonly stsCalls: number;
}

/** The SDK's HTTP handler with the `Date` header taken off every answer: STS's clock unseen. */
function withoutDate(): NodeHttpHandler {
  const inner = new NodeHttpHandler();
  return Object.assign(Object.create(inner) as NodeHttpHandler, {
    async handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
      const answer = await inner.handle(...args);
      delete answer.response.headers.date;
      return answer;
    },
  });
}

async function skewedDay(variant: Variant, behindMs: number): Promise<SkewRow> {
  const clock = FakeTimers.install({
    now: Date.UTC(2030, 0, 1, 9, 0, 0),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    // The SDK's HTTP handler clears socket timers it set before the clock was installed.
    shouldClearNativeTimers: true,
  });
  const sts = await startStsLocal({ clock: { now: () => Date.now() + behindMs }, region: REGION });
  const clientConfig = { endpoint: sts.endpoint, region: REGION, maxAttempts: 1 };
  const params = { RoleArn: DEMO_ROLE_ARN, RoleSessionName: 'bench-skew', DurationSeconds: 3600 };
  const provider: Provider =
    variant === 'sdk'
      ? fromTemporaryCredentials({ params, masterCredentials: ALICE, clientConfig })
      : fromAssumeRole({
          params,
          sourceCredentials: ALICE,
          clientConfig: variant === 'ours' ? clientConfig : { ...clientConfig, requestHandler: withoutDate() },
        });
  const client = new STSClient({ ...clientConfig, credentials: provider });
  let requests = 0;
  let expiredToken = 0;
  let otherErrors = 0;
  try {
    for (let at = 0; at < HOURS * HOUR; at += EVERY_MS) {
      requests++;
      await client.send(new GetCallerIdentityCommand({})).catch((error: Error) => {
        if (error.name === 'ExpiredToken') expiredToken++;
        else otherErrors++;
      });
      await clock.tickAsync(EVERY_MS);
    }
  } finally {
    client.destroy();
    provider.close?.();
    await sts.stop();
    clock.uninstall();
  }
  return {
    id: variant,
    label: LABELS[variant],
    ours: variant !== 'sdk',
    behindMinutes: behindMs / MINUTE,
    requests,
    expiredToken,
    otherErrors,
    stsCalls: sts.calls.filter((c) => c.operation === 'AssumeRole').length,
  };
}

runBench(async () => {
  const results: SkewRow[] = [];
  for (const behindMs of [5 * MINUTE, 10 * MINUTE]) {
    for (const variant of ['ours', 'sdk', 'ours-local-clock'] as const)
      results.push(await skewedDay(variant, behindMs));
  }
  const m: Machine = machine();
  const date = new Date().toISOString();
  const json = { date, machine: m, everySeconds: EVERY_MS / SECOND, hours: HOURS, results };
  writeResults({ 'clock-skew.json': `${JSON.stringify(json, null, 2)}\n` });
  const rows = [
    ['local clock behind STS', 'implementation', 'requests', 'ExpiredToken', 'other errors', 'STS calls'],
    ...results.map((r) => [
      `${r.behindMinutes} min`,
      r.label,
      String(r.requests),
      String(r.expiredToken),
      String(r.otherErrors),
      String(r.stsCalls),
    ]),
  ];
  writeResults({
    'clock-skew.md': [
      '# Clock skew (issue 12, server time)',
      '',
      `${date}, Node ${m.node}, ${m.cpuModel} × ${m.cpuCount}.`,
      '',
      `A request every ${EVERY_MS / SECOND} s for ${HOURS} simulated hours through a real SDK client on 1-hour role ` +
        "sessions, sts-local's clock ahead of the host's; sts-local judges each session's expiry on its own " +
        'clock. Target for ours: 0 ExpiredToken.',
      '',
      markdownTable(rows),
      '',
    ].join('\n'),
  });
  console.log(table(rows));
  return results
    .filter((r) => r.id === 'ours' && r.expiredToken + r.otherErrors > 0)
    .map((r) => `ours, ${r.behindMinutes} min behind: ${r.expiredToken + r.otherErrors} requests failed`);
});
