import { join } from 'node:path';

import { testReadmeExample } from '@credchain/testkit';

// The README prints examples/server-time.ts verbatim; it must run as printed.
testReadmeExample(
  join(__dirname, '..'),
  'server-time.ts',
  "the example learns STS's clock, 10 minutes ahead of the host's, and agrees with the SDK",
  (stdout) => {
    expect(stdout.trim().split('\n')).toEqual([
      "assume-role: this host's clock is 10 min behind STS's",
      'arn:aws:sts::111122223333:assumed-role/demo-role/worker',
      'the SDK signs 10 min ahead of this host',
      "session left: 15 min by STS's clock, 25 by this host's",
    ]);
  },
);
