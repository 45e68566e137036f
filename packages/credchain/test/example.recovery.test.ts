import { join } from 'node:path';

import { testReadmeExample } from '@credchain/testkit';

// The README prints examples/recovery.ts verbatim; it must run as printed.
testReadmeExample(
  join(__dirname, '..'),
  'recovery.ts',
  'the example recovers from a session revoked while its client runs',
  (stdout) => {
    expect(stdout.trim().split('\n')).toEqual([
      'arn:aws:sts::111122223333:assumed-role/demo-role/worker',
      'assume-role: InvalidClientTokenId, refreshing',
      'arn:aws:sts::111122223333:assumed-role/demo-role/worker',
    ]);
  },
);
