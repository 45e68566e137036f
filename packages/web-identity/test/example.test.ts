import { join } from 'node:path';

import { testReadmeExample } from '@credchain/testkit';

// The README's example is examples/web-identity.ts, printed there verbatim; it must run as printed.
testReadmeExample(
  join(__dirname, '..'),
  'web-identity.ts',
  'the example runs against sts-local and prints the assumed role',
  (stdout) => {
    expect(stdout).toContain('arn:aws:sts::111122223333:assumed-role/web-identity-role/app\n');
    expect(stdout).toMatch(/refreshed.*, expires \d{4}-/);
  },
);
