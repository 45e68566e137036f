import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The README's example is examples/saml.ts, printed there verbatim; it must run as printed.
const root = join(__dirname, '..', '..', '..');
const example = join('packages', 'saml', 'examples', 'saml.ts');

test('the README shows the example file as it is', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain(readFileSync(join(root, example), 'utf8').trim());
});

test('the example runs against sts-local and prints the assumed role', () => {
  const child = spawnSync(
    process.execPath,
    // ts-node's defaults (ES5) break sts-local's classes and streams: the target must be given.
    ['-r', 'ts-node/register/transpile-only', '-r', join(root, 'packages', 'core', 'test', 'resolveSources.js'), example],
    { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TS_NODE_COMPILER_OPTIONS: '{"target":"es2022","module":"commonjs"}' } },
  );
  expect(child.status).toBe(0);
  expect(child.stdout).toContain('arn:aws:sts::111122223333:assumed-role/saml-role/alice\n');
  expect(child.stdout).toMatch(/refreshed.*, expires \d{4}-/);
  expect(child.stderr).not.toMatch(/Error/);
});
