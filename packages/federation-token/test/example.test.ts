import { join } from 'node:path';

import { expectReadmeShows, runExample } from '@credchain/testkit';

// The README prints examples/federation-token.ts verbatim; it must run as printed.
const example = join(__dirname, '..', 'examples', 'federation-token.ts');

test('the README shows the example as it is', () => {
  expectReadmeShows(join(__dirname, '..', 'README.md'), example);
});

test('the example gets a federated session for carol from sts-local', () => {
  const run = runExample(example);
  expect(run.status).toBe(0);
  expect(run.stdout.split('\n').slice(0, 2)).toEqual([
    'arn:aws:sts::111122223333:federated-user/carol',
    expect.stringMatching(/^federated session, expires \d{4}-\d\d-\d\dT/),
  ]);
  expect(run.stderr).not.toMatch(/Error/);
});
