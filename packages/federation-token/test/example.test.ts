import { join } from 'node:path';

import { testReadmeExample } from '@credchain/testkit';

// The README prints examples/federation-token.ts verbatim; it must run as printed.
testReadmeExample(
  join(__dirname, '..'),
  'federation-token.ts',
  'the example gets a federated session for carol from sts-local',
  (stdout) => {
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      'arn:aws:sts::111122223333:federated-user/carol',
      expect.stringMatching(/^federated session, expires \d{4}-\d\d-\d\dT/),
    ]);
  },
);
