/**
 * Reproduction (not part of the suite; exits 1 while the issue stands): core's MFA coordinator
 * times its memory of used codes with the `Date` it captured when it was created
 * (packages/core/src/mfa/createMfaCoordinator.ts, `options.clock ?? Date`). The process-wide one is
 * created at import, so under a faked `Date` (jest's modern fake timers, @sinonjs/fake-timers, this
 * soak's simTime) it keeps counting real time, while code providers and the refresh engine follow
 * the fake one: a code is refused for 5 real minutes whatever the simulated clock says, and two runs
 * replaying the same simulated minutes meet each other's codes (MfaCodeReusedError).
 *
 *   cd packages/soak && npx tsc -p tsconfig.json && node dist/repro/mfaCoordinatorClock.js
 */
import { MfaCodeReusedError, createMfaCoordinator } from '@credchain/core';

import { installSimTime } from '../simTime';

async function main(): Promise<void> {
  const coordinator = createMfaCoordinator(); // like the process-wide one: created before time is faked
  const sim = installSimTime(Date.UTC(2030, 0, 1));
  const serial = 'arn:aws:iam::111122223333:mfa/alice';
  const human = async (): Promise<string> => '123456'; // not a TOTP generator: no waiting between asks
  try {
    await coordinator.request(serial, human, { provider: 'repro' });
    sim.jumpTo(sim.now() + 10 * 60_000); // past the 5-minute retention, on the clock everyone else reads
    await coordinator.request(serial, human, { provider: 'repro' });
    process.stdout.write('ok: after 10 simulated minutes the code is accepted again\n');
  } catch (error) {
    if (!(error instanceof MfaCodeReusedError)) throw error;
    process.stdout.write(`FAIL: 10 simulated minutes later the coordinator still refuses the code: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    sim.uninstall();
  }
}

void main();
