import { spawnSync } from 'node:child_process';

/**
 * What a suite does when an interop peer (moto, the AWS CLI) is missing: say so loudly, and fail
 * where peers are mandatory (CI sets CREDCHAIN_STRICT_PEERS=1) — a skipped interop test must never
 * pass silently there.
 */
export function reportPeerMissing(peer: string): void {
  console.warn(`SKIPPED: ${peer} not installed; interop with ${peer} was NOT tested`);
  process.stderr.write(`SKIPPED: ${peer} not installed\n`);
  if (process.env.CREDCHAIN_STRICT_PEERS === '1') {
    throw new Error(`${peer} is required here (CREDCHAIN_STRICT_PEERS=1) but is not installed`);
  }
}

/** The AWS CLI's version line (`aws-cli/1.x …`), or undefined when `aws` is not on the PATH. */
export function awsCliVersion(): string | undefined {
  const run = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  return `${run.stdout}${run.stderr}`.trim();
}
