import { join } from 'node:path';

import { describeWithRedisServer, testReadmeExample } from '@credchain/testkit';

// The README's example is examples/shared-role.ts, printed there verbatim; it must run as printed. It
// starts its own redis-server: the block's server only makes the suite skip loudly without one.
describeWithRedisServer('shared-role.ts', () => {
  testReadmeExample(join(__dirname, '..'), 'shared-role.ts', 'two processes share one AssumeRole', (stdout) => {
    expect(stdout).toBe('the same credentials in both processes: true\nAssumeRole calls to STS: 1\n');
  });
});
