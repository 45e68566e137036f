import { join } from 'node:path';

import { testReadmeExample } from '@credchain/testkit';

// The README prints examples/assume-root.ts verbatim; it must run as printed.
testReadmeExample(
  join(__dirname, '..'),
  'assume-root.ts',
  'the example gets a root session of the member account from sts-local',
  (stdout) => {
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      'arn:aws:iam::444455556666:root',
      expect.stringMatching(/^root-session session, expires \d{4}-\d\d-\d\dT/),
    ]);
  },
);
