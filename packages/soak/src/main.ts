/**
 * `npm run soak`: the full fault soak. Runs the fleet, and six replicas sharing a faulty store, for
 * CREDCHAIN_SOAK_DAYS simulated days (default 7) with faults and outages, then without, and writes
 * bench/results/soak.json, soak.md and soak.svg. Exits 1 when a target is missed (the files are written first).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { markdownReport } from './report';
import { svgChart } from './svgChart';
import { BOUNDS, storeFleetMet, targetsOf } from './targets';
import { runSoak } from './runSoak';

async function main(): Promise<void> {
  const days = Number(process.env.CREDCHAIN_SOAK_DAYS ?? 7);
  const faultRate = Number(process.env.CREDCHAIN_SOAK_FAULT_RATE ?? 0.3);
  const seed = Number(process.env.CREDCHAIN_SOAK_SEED ?? 1);
  if (!(days > 0) || !(faultRate > 0 && faultRate < 1) || !Number.isInteger(seed)) {
    throw new Error(
      'CREDCHAIN_SOAK_DAYS must be > 0, CREDCHAIN_SOAK_FAULT_RATE between 0 and 1, CREDCHAIN_SOAK_SEED an integer',
    );
  }
  // Six processes of one service sharing a store; its faults follow the run's (none in the baseline).
  const storeFleet = { processes: 6 };
  const progress = (label: string) => (ms: number) => {
    if (ms % (24 * 3_600_000) === 0)
      process.stderr.write(`soak (${label}): day ${ms / (24 * 3_600_000) + 1} of ${days}\n`);
  };
  const faulty = await runSoak({
    days,
    faultRate,
    outages: true,
    seed,
    controls: true,
    storeFleet,
    onProgress: progress('faults'),
  });
  const baseline = await runSoak({
    days,
    faultRate: 0,
    outages: false,
    seed,
    storeFleet,
    onProgress: progress('no faults'),
  });

  const dir = join(__dirname, '..', '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const targets = targetsOf(faulty);
  writeFileSync(
    join(dir, 'soak.json'),
    `${JSON.stringify({ generatedBy: 'npm run soak', node: process.version, targets, faulty, baseline }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'soak.svg'), svgChart(faulty));
  writeFileSync(join(dir, 'soak.md'), markdownReport(faulty, baseline, 'soak.svg'));
  process.stdout.write(
    `${JSON.stringify(targets)}\nwrote ${join(dir, 'soak.md')}, soak.json, soak.svg ` +
      `(${Math.round((faulty.wallMs + baseline.wallMs) / 1000)} s)\n`,
  );
  const ok =
    targets.visibleErrorsWhileValid === 0 &&
    targets.expiredHandedOut === 0 &&
    targets.signedCheckFailures === 0 &&
    targets.hungCallers === 0 &&
    targets.maxStsCallsPerMinute <= BOUNDS.maxStsCallsPerMinute &&
    targets.maxFailedAttemptsInARow <= BOUNDS.maxFailedAttemptsInARow &&
    targets.minGapAfterFailureMs >= BOUNDS.minGapAfterFailureMs &&
    storeFleetMet(targets);
  if (!ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
