import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The README's example must run as printed.
test('the wrap-any-source example runs, caches, and prints no secret', () => {
  const root = join(__dirname, '..', '..', '..');
  const child = spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      join(__dirname, '..', '..', 'testkit', 'resolveSources.js'),
      'packages/core/examples/wrap-any-source.ts',
    ],
    { cwd: root, encoding: 'utf8', timeout: 170_000 },
  );
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  expect(child.stdout).toContain('event: refresh-start');
  expect(child.stdout).toContain('event: refresh-success');
  expect(child.stdout).toMatch(/same credentials: true, expires \d{4}-/);
  expect(child.stdout).toContain('CredentialProvider(my-broker: expires');
  expect(child.stdout).not.toContain('example-secret');
});
