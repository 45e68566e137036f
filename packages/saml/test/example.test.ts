import { join } from 'node:path';

import { testReadmeExample } from '@credchain/testkit';

// The README's example is examples/saml.ts, printed there verbatim; it must run as printed.
testReadmeExample(
  join(__dirname, '..'),
  'saml.ts',
  'the example runs against sts-local and prints the assumed role',
  (stdout) => {
    expect(stdout).toContain('arn:aws:sts::111122223333:assumed-role/saml-role/alice\n');
    expect(stdout).toMatch(/refreshed.*, expires \d{4}-/);
  },
);
