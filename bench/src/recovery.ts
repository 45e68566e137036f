/**
 * `npm run bench`, recovery part (issue 12): credentials a service rejects, and the lookup a client makes.
 *
 * 1. A session revoked mid-run: a daemon calls the "service" (sts-local's GetCallerIdentity) every 10 s
 *    for an hour on 1-hour role credentials; at minute 5 sts-local revokes the session (InvalidClientTokenId).
 *    Counted: the requests that fail before one succeeds again. Ours with withCredentialRecovery, ours
 *    without, the SDK's fromTemporaryCredentials (whose client cache refetches 5 minutes before expiry).
 *    Time is @sinonjs/fake-timers' (Date and timers; immediates and nextTick real, so HTTP runs).
 * 2. Credential lookup as a client performs it: `await client.config.credentials()`, the property read at
 *    every request as the SDK's auth middleware reads it, in ns, against the floor `async () => creds`.
 *    Target for ours: ≤ 2× the floor.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromEnv, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { fromAssumeRole } from '@credchain/assume-role';
import { createRefreshingProvider, withCredentialRecovery } from '@credchain/core';
import FakeTimers from '@sinonjs/fake-timers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

import { makeLoop, median } from './hotPath';
import { type Machine, machine, markdownTable, runBench, table, writeResults } from './report';
import { ALICE, DEMO_ROLE_ARN, REGION, startBenchSts } from './stsBench';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

interface RevokedRow {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  /** Requests answered with an error after the revocation, before the first success. */
  readonly failedBeforeRecovery: number;
  /** Minutes from the revocation to the first success after it (null: never within the hour). */
  readonly minutesToRecovery: number | null;
  readonly stsCalls: number;
}

type Variant = 'ours-plugin' | 'ours' | 'sdk';

async function revokedMidRun(variant: Variant): Promise<RevokedRow> {
  const clock = FakeTimers.install({
    now: Date.UTC(2030, 0, 1, 9, 0, 0),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    // The SDK's HTTP handler clears socket timers it set before the clock was installed.
    shouldClearNativeTimers: true,
  });
  const sts = await startBenchSts();
  const clientConfig = { endpoint: sts.endpoint, region: REGION, maxAttempts: 1 };
  const params = { RoleArn: DEMO_ROLE_ARN, RoleSessionName: 'bench-revoked', DurationSeconds: 3600 };
  const provider: AwsCredentialIdentityProvider & { close?: () => void } =
    variant === 'sdk'
      ? fromTemporaryCredentials({ params, masterCredentials: ALICE, clientConfig })
      : fromAssumeRole({ params, sourceCredentials: ALICE, clientConfig });
  const plain = new STSClient({ ...clientConfig, credentials: provider });
  const client = variant === 'ours-plugin' ? withCredentialRecovery(plain) : plain;
  let failed = 0;
  let recoveredAtTick: number | null = null;
  const REVOKE_AT = 30;
  try {
    for (let tick = 0; tick < 360; tick++) {
      if (tick === REVOKE_AT) {
        const signing = sts.calls.filter((c) => c.operation === 'GetCallerIdentity').at(-1)?.accessKeyId;
        if (signing === undefined || !sts.revokeSession(signing)) throw new Error('nothing to revoke');
      }
      const ok = await client.send(new GetCallerIdentityCommand({})).then(
        () => true,
        () => false,
      );
      if (tick >= REVOKE_AT && recoveredAtTick === null) {
        if (ok) recoveredAtTick = tick;
        else failed++;
      }
      await clock.tickAsync(10 * SECOND);
    }
  } finally {
    client.destroy();
    provider.close?.();
    await sts.stop();
    clock.uninstall();
  }
  const labels: Record<Variant, string> = {
    'ours-plugin': 'ours: fromAssumeRole + withCredentialRecovery',
    ours: 'ours: fromAssumeRole, no plugin',
    sdk: "SDK: fromTemporaryCredentials (client's cache)",
  };
  return {
    id: variant,
    label: labels[variant],
    ours: variant !== 'sdk',
    failedBeforeRecovery: failed,
    minutesToRecovery: recoveredAtTick === null ? null : ((recoveredAtTick - REVOKE_AT) * 10) / 60,
    stsCalls: sts.calls.filter((c) => c.operation === 'AssumeRole').length,
  };
}

interface LookupRow {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly nsPerOp: number;
  readonly ratioToFloor: number;
}

type Lookup = () => Promise<{ accessKeyId: string }>;

async function lookups(ops: number, rounds: number): Promise<LookupRow[]> {
  const expiration = new Date(Date.now() + HOUR);
  const creds = {
    accessKeyId: 'ASIABENCHMARKEXAMPLE',
    secretAccessKey: 'bench/secret/not/a/real/key/0000000000',
    sessionToken: 'bench-session-token',
    expiration,
  };
  process.env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
  process.env.AWS_SESSION_TOKEN = creds.sessionToken;
  process.env.AWS_CREDENTIAL_EXPIRATION = expiration.toISOString();
  const ours = createRefreshingProvider(async () => ({ ...creds, expiration: new Date(Date.now() + HOUR) }));
  // The client's `credentials` read at each lookup, as its middleware reads them for each request: a
  // client built before the provider's first call is handed the provider itself at that call.
  const inClient = (credentials: AwsCredentialIdentityProvider): Lookup => {
    const client = new STSClient({ region: REGION, credentials });
    return () => (client.config.credentials as Lookup)();
  };
  // A provider a client has already called: it recorded its first caller (first caller wins), so it marks
  // itself configBound and attributed, and a client built from then on holds it with no wrapper.
  const called = createRefreshingProvider(async () => ({ ...creds, expiration: new Date(Date.now() + HOUR) }));
  await inClient(called)();
  // fromAssumeRole given its own STSClient: nothing can come from a caller, marked from the start.
  const sts = await startBenchSts();
  const ownStsClient = new STSClient({ endpoint: sts.endpoint, region: REGION, credentials: ALICE });
  const withClient = fromAssumeRole({
    params: { RoleArn: DEMO_ROLE_ARN, RoleSessionName: 'bench-lookup' },
    client: ownStsClient,
  });
  // The SDK's provider of the same kind: the client wraps it in its cache.
  const sdkRole = fromTemporaryCredentials({
    params: { RoleArn: DEMO_ROLE_ARN, RoleSessionName: 'bench-lookup-sdk' },
    masterCredentials: ALICE,
    clientConfig: { endpoint: sts.endpoint, region: REGION },
  });
  const candidates: Array<{ id: string; label: string; ours: boolean; f: Lookup }> = [
    { id: 'floor', label: 'floor: async () => creds', ours: false, f: async () => creds },
    { id: 'ours-direct', label: '(ref) ours called directly', ours: true, f: ours },
    {
      id: 'ours-client',
      label: 'ours in a client built before its first call (inherits from it, then is handed back unwrapped)',
      ours: true,
      f: inClient(ours),
    },
    {
      id: 'ours-client-after-first-call',
      label: 'ours in a client built after its first call (marked configBound + attributed then)',
      ours: true,
      f: inClient(called),
    },
    {
      id: 'ours-own-client',
      label: 'fromAssumeRole({ client }) in a client (marked from the start)',
      ours: true,
      f: inClient(withClient),
    },
    {
      id: 'sdk-client',
      label: "SDK's fromEnv() in a client (the client's memoizeIdentityProvider)",
      ours: false,
      f: inClient(fromEnv()),
    },
    {
      id: 'sdk-role-client',
      label: "SDK's fromTemporaryCredentials() in a client (the client's memoizeIdentityProvider)",
      ours: false,
      f: inClient(sdkRole),
    },
  ];
  const loops = new Map(candidates.map((c) => [c.id, makeLoop()]));
  for (const c of candidates) await c.f();
  const samples = new Map<string, number[]>(candidates.map((c) => [c.id, []]));
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let round = 0; round < rounds + 2; round++) {
    for (const c of candidates) {
      gc?.();
      const start = process.hrtime.bigint();
      await loops.get(c.id)!(c.f, ops);
      if (round >= 2) samples.get(c.id)!.push(Number(process.hrtime.bigint() - start) / ops);
    }
  }
  ours.close();
  called.close();
  withClient.close();
  ownStsClient.destroy();
  await sts.stop();
  const floor = median(samples.get('floor')!);
  return candidates.map((c) => {
    const nsPerOp = median(samples.get(c.id)!);
    return { id: c.id, label: c.label, ours: c.ours, nsPerOp, ratioToFloor: nsPerOp / floor };
  });
}

runBench(async () => {
  const revoked: RevokedRow[] = [];
  for (const variant of ['ours-plugin', 'ours', 'sdk'] as const) revoked.push(await revokedMidRun(variant));
  const lookup = await lookups(200_000, 9);
  const m: Machine = machine();
  const date = new Date().toISOString();
  const json = { date, machine: m, revokedMidRun: { results: revoked }, lookup: { results: lookup } };
  writeResults({ 'recovery.json': `${JSON.stringify(json, null, 2)}\n` });
  const revokedRows = [
    ['implementation', 'failed requests before recovery', 'minutes to recovery', 'STS calls'],
    ...revoked.map((r) => [
      r.label,
      String(r.failedBeforeRecovery),
      r.minutesToRecovery === null ? 'not within the hour' : r.minutesToRecovery.toFixed(1),
      String(r.stsCalls),
    ]),
  ];
  const lookupRows = [
    ['lookup', 'ns/op', '× floor'],
    ...lookup.map((r) => [r.label, r.nsPerOp.toFixed(1), r.ratioToFloor.toFixed(2)]),
  ];
  writeResults({
    'recovery.md': [
      '# Recovery (issue 12)',
      '',
      `${date}, Node ${m.node}, ${m.cpuModel} × ${m.cpuCount}.`,
      '',
      '## A session revoked mid-run',
      '',
      'A request every 10 s for an hour on 1-hour role credentials; the session is revoked at minute 5.',
      '',
      markdownTable(revokedRows),
      '',
      '## Credential lookup as a client performs it',
      '',
      '`await client.config.credentials()` (what each request awaits before signing); target for ours ≤ 2× the floor.',
      '',
      markdownTable(lookupRows),
      '',
    ].join('\n'),
  });
  console.log(table(revokedRows));
  console.log();
  console.log(table(lookupRows));
  const failures: string[] = [];
  if (revoked.find((r) => r.id === 'ours-plugin')?.failedBeforeRecovery !== 0) {
    failures.push('ours with the plugin: a request failed after the revocation');
  }
  return failures;
});
