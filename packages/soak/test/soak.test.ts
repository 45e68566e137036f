/**
 * The shortened fault soak (issue 6): two simulated days, every provider kind plus two chains and a
 * pool, against sts-local injecting faults into 30% of credential requests and outages of 1, 10
 * and 30 minutes. The full run is `npm run soak` (src/main.ts). Nothing here sleeps or times.
 */
import { BOUNDS, type MemberResult, type SoakResult, type StoreFleetResult, runSoak, targetsOf } from '../src';

const DAYS = 2;
/** Replicas of one role sharing one faulty store, beside the fleet (src/storeFleet.ts). */
const PROCESSES = 6;

let faulty: SoakResult;
let baseline: SoakResult;

// A guard against a hang, not a time limit: two simulated days take about a minute of CPU, and CI
// runs three packages' suites at once on two cores (it timed out at 120 s on a loaded machine).
beforeAll(async () => {
  const storeFleet = { processes: PROCESSES };
  faulty = await runSoak({ days: DAYS, faultRate: 0.3, outages: true, seed: 7, controls: true, storeFleet });
  baseline = await runSoak({ days: DAYS, faultRate: 0, outages: false, seed: 7, storeFleet });
}, 600_000);

const held = (r: SoakResult): MemberResult[] => r.members.filter((m) => !m.control);
const byName = (r: SoakResult, name: string): MemberResult => {
  const m = r.members.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no member ${name}`);
  return m;
};

describe('the soak really met faults', () => {
  test('every fault kind fired, and outages of 1, 10 and 30 minutes happened', () => {
    for (const kind of ['throttle', 'server-error', 'unavailable', 'drop', 'latency'])
      expect(faulty.faultsFired[kind]).toBeGreaterThan(5);
    expect(faulty.outages.map((o) => o.minutes)).toEqual(expect.arrayContaining([1, 10, 30]));
    const failed = held(faulty).reduce((n, m) => n + m.stsCallsFailed, 0);
    const all = held(faulty).reduce((n, m) => n + m.stsCalls, 0);
    expect(failed / all).toBeGreaterThan(0.2);
  });

  test('every provider was called every minute and refreshed many times', () => {
    expect(held(faulty).map((m) => m.name)).toEqual(held(baseline).map((m) => m.name));
    expect(held(faulty).length).toBeGreaterThanOrEqual(12);
    for (const m of held(faulty)) {
      expect({ name: m.name, calls: m.callerCalls }).toEqual({ name: m.name, calls: DAYS * 24 * 60 });
      expect({ name: m.name, refreshed: m.refreshes >= 16 }).toEqual({ name: m.name, refreshed: true });
      // Every half hour the credentials a caller got sign a GetCallerIdentity (a failed call signs nothing).
      expect({ name: m.name, signed: m.signedChecks >= DAYS * 48 - m.visibleErrors }).toEqual({
        name: m.name,
        signed: true,
      });
    }
  });
});

describe('targets under faults', () => {
  test('no caller saw an error while unexpired credentials existed', () => {
    const offenders = held(faulty).filter((m) => m.visibleErrorsWhileValid > 0);
    const samples = faulty.errorSamples.filter((s) => s.validCredentialsExisted && !s.member.startsWith('control/'));
    expect({ offenders: offenders.map((m) => m.name), samples }).toEqual({ offenders: [], samples: [] });
    // Callers did see errors: after outages longer than what was left of their credentials.
    expect(held(faulty).reduce((n, m) => n + m.visibleErrors, 0)).toBeGreaterThan(0);
  });

  test('no expired credentials were handed out, and every signed check passed', () => {
    for (const m of held(faulty)) {
      expect({ name: m.name, expired: m.expiredHandedOut, signedFailures: m.signedCheckFailures }).toEqual({
        name: m.name,
        expired: 0,
        signedFailures: 0,
      });
    }
    expect(faulty.hungCallers).toBe(0);
    expect([faulty.unattributedCalls, baseline.unattributedCalls]).toEqual([0, 0]);
    expect([faulty.stalls, baseline.stalls]).toEqual([0, 0]);
  });

  test('retries are bounded: no tight loop, even through a 30-minute outage', () => {
    for (const m of held(faulty)) {
      // See BOUNDS (src/report.ts): what a 1–60 s doubling backoff allows; a tight loop makes hundreds a minute.
      expect({ name: m.name, perMinute: m.maxStsCallsPerMinute <= BOUNDS.maxStsCallsPerMinute }).toEqual({
        name: m.name,
        perMinute: true,
      });
      expect({ name: m.name, inARow: m.maxFailedAttemptsInARow <= BOUNDS.maxFailedAttemptsInARow }).toEqual({
        name: m.name,
        inARow: true,
      });
      // Never straight back after a failure (p-retry's first delay is 1–2 s)…
      expect({ name: m.name, gap: (m.minGapAfterFailureMs ?? Infinity) >= BOUNDS.minGapAfterFailureMs }).toEqual({
        name: m.name,
        gap: true,
      });
    }
    // …except the one attempt the first caller in the mandatory window makes, once per credentials.
    const quick = faulty.quickAttempts.filter((q) => q.next === 'mandatory');
    expect(quick.length).toBeLessThanOrEqual(held(faulty).reduce((n, m) => n + m.refreshes, 0));
  });

  test('faults cost retries, not extra refreshes: successful STS calls match the no-fault run', () => {
    for (const m of held(faulty)) {
      const ok = m.stsCalls - m.stsCallsFailed;
      const base = byName(baseline, m.name).stsCalls;
      expect({ name: m.name, ok: ok >= base * 0.9 && ok <= base * 1.1 + 2 }).toEqual({ name: m.name, ok: true });
    }
  });
});

describe('the no-fault run', () => {
  test('calls STS about once per credential lifetime, and never fails', () => {
    for (const m of held(baseline)) {
      expect({ name: m.name, failed: m.stsCallsFailed, errors: m.visibleErrors, expired: m.expiredHandedOut }).toEqual({
        name: m.name,
        failed: 0,
        errors: 0,
        expired: 0,
      });
      expect(m.stsCalls).toBe(m.refreshes);
    }
    // 15-minute sessions refresh about every 10 minutes; hour-long ones about every 50.
    expect(byName(baseline, 'assume-root').stsCallsPerDay).toBeGreaterThan(100);
    expect(byName(baseline, 'assume-role').stsCallsPerDay).toBeLessThan(40);
  });
});

describe('the checks can fail', () => {
  test('a provider that never refreshes is caught handing out expired credentials', () => {
    expect(byName(faulty, 'control/never-refreshes').expiredHandedOut).toBeGreaterThan(0);
  });

  test('a provider that passes refresh failures on is caught failing callers while its credentials were valid', () => {
    expect(byName(faulty, 'control/no-stale').visibleErrorsWhileValid).toBeGreaterThan(0);
  });
});

describe('the fleet with a shared store', () => {
  const fleetOf = (r: SoakResult): StoreFleetResult => {
    if (r.storeFleet === undefined) throw new Error('the run had no store fleet');
    return r.storeFleet;
  };

  test('the store really failed: every fault kind, outages of 10 and 30 minutes, each reported', () => {
    const f = fleetOf(faulty);
    // Writes are rare (one a refresh round), so lost writes are few; the other kinds hit reads and locks too.
    for (const kind of ['refused', 'hang', 'garbage', 'lost-write'] as const)
      expect({ kind, fired: f.store.faults[kind] > 0 }).toEqual({ kind, fired: true });
    expect(Object.values(f.store.faults).reduce((n, k) => n + k, 0)).toBeGreaterThan(100);
    expect(f.outages.map((o) => o.minutes)).toEqual(expect.arrayContaining([10, 30]));
    expect(f.store.outageCalls).toBeGreaterThan(0);
    // Refused calls, calls left unanswered (the engine's 1 s timeout ends them) and garbage, each reported.
    for (const what of ['get error', 'get unavailable', 'get bad-entry'])
      expect({ what, reported: (f.storeErrors[what] ?? 0) > 0 }).toEqual({ what, reported: true });
    expect(fleetOf(baseline).storeErrors).toEqual({});
  });

  test('no replica failed a caller while valid credentials existed, or handed out expired credentials', () => {
    for (const r of [faulty, baseline]) {
      const f = fleetOf(r);
      expect(f.replicas).toHaveLength(PROCESSES);
      for (const m of f.replicas) {
        expect({ name: m.name, calls: m.callerCalls, whileValid: m.visibleErrorsWhileValid }).toEqual({
          name: m.name,
          calls: DAYS * 24 * 60,
          whileValid: 0,
        });
        expect({ name: m.name, expired: m.expiredHandedOut, signedFailures: m.signedCheckFailures }).toEqual({
          name: m.name,
          expired: 0,
          signedFailures: 0,
        });
      }
    }
    const samples = faulty.errorSamples.filter((s) => s.member.startsWith('store-fleet/') && s.validCredentialsExisted);
    expect(samples).toEqual([]);
  });

  test('the replicas shared: refreshes came from the store, and STS saw fewer calls than the replicas alone', () => {
    for (const r of [faulty, baseline]) {
      const t = targetsOf(r).storeFleet!;
      expect(t.storeHits).toBeGreaterThan(0);
      expect(t.stsCalls).toBeLessThan(t.aloneStsCalls);
    }
    // Without faults, nearly all sharing: about one replica in N goes to STS per refresh.
    const b = targetsOf(baseline).storeFleet!;
    expect(b.stsCalls).toBeLessThan((2 * b.aloneStsCalls) / PROCESSES);
    expect(b.storeHits).toBeGreaterThan(fleetOf(baseline).replicas.reduce((n, m) => n + m.refreshes, 0) / 2);
  });

  test('store faults cost STS calls within bounds: no replica loops on a broken store', () => {
    const t = targetsOf(faulty).storeFleet!;
    expect(t.maxStsCallsPerMinute).toBeLessThanOrEqual(PROCESSES * BOUNDS.maxStsCallsPerMinute);
    for (const m of fleetOf(faulty).replicas) {
      expect({ name: m.name, inARow: m.maxFailedAttemptsInARow <= BOUNDS.maxFailedAttemptsInARow }).toEqual({
        name: m.name,
        inARow: true,
      });
    }
  });
});
