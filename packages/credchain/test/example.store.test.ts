import { join } from 'node:path';

import { testReadmeExample } from '@credchain/testkit';

// The README prints examples/store.ts verbatim; it must run as printed.
testReadmeExample(
  join(__dirname, '..'),
  'store.ts',
  'two providers that share only a store make one AssumeRole call between them',
  (stdout) => {
    expect(stdout.trim().split('\n')).toEqual([
      'worker-2: took the session from the store',
      'same session: true',
      'AssumeRole calls: 1',
    ]);
  },
);
