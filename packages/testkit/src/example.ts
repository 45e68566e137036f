import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's root directory. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * The require hook that makes `credchain` and `@credchain/*` resolve to packages/<dir>/src/index.ts,
 * as jest's moduleNameMapper does: a child process runs the TypeScript sources, with no build.
 */
export const RESOLVE_SOURCES = join(__dirname, '..', 'resolveSources.js');

/**
 * Runs a TypeScript example (a path from the repository's root, or an absolute one) the way a reader
 * would, through ts-node, from the sources (RESOLVE_SOURCES), in the repository's root; at most 170 s (a hang
 * guard, under jest's 180 s).
 */
export function runExample(example: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', RESOLVE_SOURCES, example], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 170_000,
    // ts-node's defaults (ES5) break sts-local's classes and streams: the target must be given.
    env: { ...process.env, TS_NODE_COMPILER_OPTIONS: '{"target":"es2022","module":"commonjs"}' },
  });
}

/** `readme` (a file) shows `example` (a path from the repository's root, or an absolute one) verbatim. */
export function expectReadmeShows(readme: string, example: string): void {
  expect(readFileSync(readme, 'utf8')).toContain(readFileSync(resolve(REPO_ROOT, example), 'utf8').trim());
}

/**
 * The two tests a package's README example gets: the README (in `packageDir`) shows
 * `examples/<file>` verbatim, and the example runs as printed (`runs` names the test): exit 0,
 * no error on stderr, its output as `checkStdout` expects.
 */
export function testReadmeExample(
  packageDir: string,
  file: string,
  runs: string,
  checkStdout: (stdout: string) => void,
): void {
  const example = join(packageDir, 'examples', file);
  test('the README shows the example as it is', () => {
    expectReadmeShows(join(packageDir, 'README.md'), example);
  });
  test(runs, () => {
    const run = runExample(example);
    expect(run.status).toBe(0);
    checkStdout(run.stdout);
    expect(run.stderr).not.toMatch(/Error/);
  });
}
