import { join } from 'node:path';

import { testReadmeExample } from '@credchain/testkit';

// The README prints examples/default-chain.ts verbatim; it must run as printed.
testReadmeExample(
  join(__dirname, '..'),
  'default-chain.ts',
  'the example finds the task role, then the instance role, through the default chain',
  (stdout) => {
    expect(stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^arn:aws:sts::111122223333:assumed-role\/task-role\/[0-9a-f]{32}$/),
      'arn:aws:sts::111122223333:assumed-role/instance-role/i-0123456789abcdef0',
    ]);
  },
);
