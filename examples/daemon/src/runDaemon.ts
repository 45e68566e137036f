import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, demoConfig, startStsLocal } from '@credchain/sts-local';
import type { StsCall } from '@credchain/sts-local';
import { defaultAdvisoryWindowMs, fromAssumeRole, fromSessionToken, totpCodeProvider } from 'credchain';
import type { Clock, CredentialEvent, RefreshOptions } from 'credchain';

/** Options of {@link runDaemon}. */
export interface RunDaemonOptions {
  /** How long the signed-call loop runs after the cold start, by `clock`. */
  readonly durationMs: number;
  /** Receives every line the demo prints. */
  readonly log: (line: string) => void;
  /**
   * Measures call latency and the loop's length. jest's fake timers replace both defaults, so a test
   * drives the whole demo in fake time.
   * @default performance
   */
  readonly clock?: Clock;
  /**
   * sts-local's lifetime scale: a 900 s AssumeRole session lasts 900 × timeScale seconds. The
   * providers' refresh windows are scaled alike, so they behave as they would at full length.
   * @default 1 / 150 (15 min → 6 s, 12 h → 288 s)
   */
  readonly timeScale?: number;
  /** Latency sts-local adds to every AssumeRole and GetSessionToken answer. @default 300 */
  readonly stsLatencyMs?: number;
  /** Pause between rounds of signed calls. @default 100 */
  readonly callIntervalMs?: number;
  /** Signed calls sent together in each round. @default 3 */
  readonly concurrency?: number;
  /**
   * Refresh in the background before expiry (the credchain default). `false` leaves only the
   * mandatory window, so callers wait for STS at every refresh: the contrast the summary detects.
   * @default true
   */
  readonly backgroundRefresh?: boolean;
}

/** What the demo measured. `ok` holds when no call failed, none waited and sts-local verified every request. */
export interface DaemonSummary {
  readonly ok: boolean;
  /** Signed GetCallerIdentity calls made after the cold start. */
  readonly calls: number;
  readonly failedCalls: number;
  /** Times the SDK asked the provider for credentials (after the cold start), and how long each took. */
  readonly providerCalls: number;
  readonly maxProviderLatencyMs: number;
  /** Provider calls that took 10 ms or more: calls that waited on STS. */
  readonly waitedCalls: number;
  readonly coldStartMs: number;
  /** New role credentials installed after the cold start. */
  readonly roleRefreshes: number;
  /** New session credentials installed after the cold start (each needs a fresh MFA code). */
  readonly sessionRefreshes: number;
  readonly mfaPrompts: number;
  /** sts-local's log: requests by operation and outcome. */
  readonly stsCalls: Readonly<Record<string, { readonly success: number; readonly failed: number }>>;
  /** Whether every signed call was answered for the role session, and every role was assumed from the MFA session. */
  readonly identitiesChecked: boolean;
}

/** A call is counted as waiting from this latency on. */
export const WAITED_MS = 10;

const ROLE_NAME = 'mfa-role';
const SESSION_NAME = 'credchain-daemon';

function demoAlice() {
  const alice = demoConfig.users?.find((u) => u.name === 'alice');
  const key = alice?.accessKeys?.[0];
  const mfa = alice?.mfaDevices?.[0];
  if (key === undefined || mfa === undefined) throw new Error('demoConfig has no alice with keys and an MFA device');
  return {
    keys: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    serialNumber: mfa.serialNumber,
    totpSecret: mfa.secretBase32,
  };
}

/** The engine's default windows shrunk by `timeScale`, so short demo lifetimes refresh as real ones would. */
function scaledWindows(timeScale: number, background: boolean): RefreshOptions {
  if (!background) return { mandatoryWindowMs: 60_000 * timeScale, advisoryWindowMs: 0, background: false };
  return {
    mandatoryWindowMs: 60_000 * timeScale,
    advisoryWindowMs: (lifetimeMs) => defaultAdvisoryWindowMs(lifetimeMs / timeScale) * timeScale,
  };
}

function tally(calls: readonly StsCall[]): Record<string, { success: number; failed: number }> {
  const out: Record<string, { success: number; failed: number }> = {};
  for (const call of calls) {
    const entry = (out[call.operation ?? '(none)'] ??= { success: 0, failed: 0 });
    if (call.outcome === 'success') entry.success++;
    else entry.failed++;
  }
  return out;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** A duration as it reads at full length: minutes, or hours from two on. */
const fullLength = (ms: number): string =>
  ms >= 7_200_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${Math.round(ms / 60_000)} min`;

/**
 * The demo daemon: starts sts-local, assumes alice's MFA-protected role from an MFA session
 * (GetSessionToken once with a TOTP code), hands the role's provider to a real STSClient and makes
 * signed calls across several role refreshes, measuring how long each call waited for credentials.
 */
export async function runDaemon(options: RunDaemonOptions): Promise<DaemonSummary> {
  const { durationMs, log } = options;
  const clock = options.clock ?? performance;
  const timeScale = options.timeScale ?? 1 / 150;
  const stsLatencyMs = options.stsLatencyMs ?? 300;
  const concurrency = options.concurrency ?? 3;
  const callIntervalMs = options.callIntervalMs ?? 100;
  const alice = demoAlice();
  const roleArn = `arn:aws:iam::${DEMO_ACCOUNT}:role/${ROLE_NAME}`;
  const sessionArn = `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/${ROLE_NAME}/${SESSION_NAME}`;

  const sts = await startStsLocal({
    timeScale,
    faults: ['AssumeRole', 'GetSessionToken'].map((operation) => ({
      kind: 'latency' as const,
      operation,
      latencyMs: stsLatencyMs,
      count: Number.POSITIVE_INFINITY,
    })),
  });
  const start = clock.now();
  const at = () => `[${seconds(clock.now() - start).padStart(6)}]`;
  log(
    `sts-local on ${sts.endpoint}: lifetimes × ${timeScale.toPrecision(3)}, ` +
      `${stsLatencyMs} ms latency on AssumeRole and GetSessionToken`,
  );

  const successes = new Map<string, number>();
  let mfaPrompts = 0;
  // Set when the loop ends: a refresh still on the wire then fails as sts-local stops, which is
  // the shutdown, not news.
  let closing = false;
  const onEvent = (event: CredentialEvent): void => {
    if (closing) return;
    if (event.type === 'refresh-success') {
      successes.set(event.provider, (successes.get(event.provider) ?? 0) + 1);
      const left = event.expiration.getTime() - sts.now();
      log(
        `${at()} ${event.provider}: refreshed (${event.reason}) in ${Math.round(event.durationMs)} ms, ` +
          `valid for ${seconds(left)} (${fullLength(left / timeScale)} at full length)`,
      );
    } else if (event.type === 'mfa-prompt') {
      mfaPrompts++;
      log(`${at()} ${event.provider}: MFA code for ${event.serialNumber}`);
    } else if (event.type !== 'refresh-start') {
      log(`${at()} ${event.provider}: ${event.type}`);
    }
  };
  const clientConfig = { endpoint: sts.endpoint, region: 'us-east-1' };
  const refresh = scaledWindows(timeScale, options.backgroundRefresh ?? true);

  // MFA once: a 12-hour session authenticated with a TOTP code…
  const session = fromSessionToken({
    params: { SerialNumber: alice.serialNumber, DurationSeconds: 43_200 },
    mfaCodeProvider: totpCodeProvider({ secret: alice.totpSecret }),
    sourceCredentials: alice.keys,
    clientConfig,
    refresh,
    onEvent,
  });
  // …then the MFA-protected role, assumed from that session again and again without a new code.
  const role = fromAssumeRole({
    params: { RoleArn: roleArn, RoleSessionName: SESSION_NAME, DurationSeconds: 900 },
    sourceCredentials: session,
    clientConfig,
    refresh,
    onEvent,
  });

  const latencies: number[] = [];
  let measuring = false;
  const client = new STSClient({
    ...clientConfig,
    credentials: async (props) => {
      const t0 = clock.now();
      const credentials = await role(props);
      if (measuring) latencies.push(clock.now() - t0);
      return credentials;
    },
  });

  let calls = 0;
  let failedCalls = 0;
  let wrongIdentity = 0;
  let coldStartMs: number;
  let roleRefreshes: number;
  let sessionRefreshes: number;
  try {
    const cold = clock.now();
    await role();
    coldStartMs = clock.now() - cold;
    log(`${at()} cold start: GetSessionToken with MFA, then AssumeRole ${ROLE_NAME}, in ${Math.round(coldStartMs)} ms`);
    const afterCold = new Map(successes);
    measuring = true;
    const loopStart = clock.now();

    const signedCall = async (): Promise<void> => {
      calls++;
      try {
        const identity = await client.send(new GetCallerIdentityCommand({}));
        if (identity.Arn !== sessionArn) wrongIdentity++;
      } catch (error) {
        failedCalls++;
        log(
          `${at()} signed call failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        );
      }
    };
    while (clock.now() - loopStart < durationMs) {
      await Promise.all(Array.from({ length: concurrency }, signedCall));
      await new Promise((resolve) => setTimeout(resolve, callIntervalMs));
    }
    roleRefreshes = (successes.get('assume-role') ?? 0) - (afterCold.get('assume-role') ?? 0);
    sessionRefreshes = (successes.get('session-token') ?? 0) - (afterCold.get('session-token') ?? 0);
  } finally {
    closing = true;
    client.destroy();
    role.close();
    session.close();
    await sts.stop();
  }

  const stsCalls = tally(sts.calls);
  const assumed = sts.calls.filter((c) => c.operation === 'AssumeRole');
  const sessions = sts.calls.filter((c) => c.operation === 'GetSessionToken');
  // Every role was assumed with session credentials (ASIA…), none with alice's own keys, and never with a code.
  const fromSession = assumed.every(
    (c) => c.accessKeyId?.startsWith('ASIA') === true && c.params.TokenCode === undefined,
  );
  const identitiesChecked =
    wrongIdentity === 0 && fromSession && sessions.every((c) => c.params.SerialNumber === alice.serialNumber);
  const allVerified = Object.values(stsCalls).every((entry) => entry.failed === 0);
  const waitedCalls = latencies.filter((ms) => ms >= WAITED_MS).length;
  return {
    ok: failedCalls === 0 && waitedCalls === 0 && allVerified && identitiesChecked && roleRefreshes >= 2,
    calls,
    failedCalls,
    providerCalls: latencies.length,
    maxProviderLatencyMs: Math.max(0, ...latencies),
    waitedCalls,
    coldStartMs,
    roleRefreshes,
    sessionRefreshes,
    mfaPrompts,
    stsCalls,
    identitiesChecked,
  };
}
