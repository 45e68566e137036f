import { join } from 'node:path';

import { expectReadmeShows, runExample } from '@credchain/testkit';

// The README prints examples/assume-root.ts verbatim; it must run as printed.
const example = join(__dirname, '..', 'examples', 'assume-root.ts');

test('the README shows the example as it is', () => {
  expectReadmeShows(join(__dirname, '..', 'README.md'), example);
});

test('the example gets a root session of the member account from sts-local', () => {
  const run = runExample(example);
  expect(run.status).toBe(0);
  expect(run.stdout.split('\n').slice(0, 2)).toEqual([
    'arn:aws:iam::444455556666:root',
    expect.stringMatching(/^root-session session, expires \d{4}-\d\d-\d\dT/),
  ]);
  expect(run.stderr).not.toMatch(/Error/);
});
