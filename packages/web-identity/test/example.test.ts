import { join } from 'node:path';

import { expectReadmeShows, runExample } from '@credchain/testkit';

// The README's example is examples/web-identity.ts, printed there verbatim; it must run as printed.
const example = join('packages', 'web-identity', 'examples', 'web-identity.ts');

test('the README shows the example file as it is', () => {
  expectReadmeShows(join(__dirname, '..', 'README.md'), example);
});

test('the example runs against sts-local and prints the assumed role', () => {
  const child = runExample(example);
  expect(child.status).toBe(0);
  expect(child.stdout).toContain('arn:aws:sts::111122223333:assumed-role/web-identity-role/app\n');
  expect(child.stdout).toMatch(/refreshed.*, expires \d{4}-/);
  expect(child.stderr).not.toMatch(/Error/);
});
