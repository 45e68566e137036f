/**
 * sts-local in a process of its own for the fleet bench (fleet.ts): lifetimes scaled by `TIME_SCALE`.
 * Sends `{ endpoint }` when listening; answers `'calls'` with the time of every AssumeRole it answered.
 */
import { startStsLocal } from '@credchain/sts-local';

import { REGION } from './stsBench';

async function main(): Promise<void> {
  const sts = await startStsLocal({ region: REGION, timeScale: Number(process.env.TIME_SCALE ?? '1') });
  process.on('message', (message) => {
    if (message === 'calls') {
      const times = sts.calls.filter((c) => c.operation === 'AssumeRole' && c.outcome === 'success').map((c) => c.time);
      process.send!({ times });
    } else if (message === 'stop') {
      void sts.stop().then(() => process.exit(0));
    }
  });
  // The bench that forked it is gone (finished or failed): so is this server.
  process.on('disconnect', () => process.exit(0));
  process.send!({ endpoint: sts.endpoint });
}

main().catch((error: unknown) => {
  console.error('fleet sts-local failed:', error);
  process.exit(1);
});
