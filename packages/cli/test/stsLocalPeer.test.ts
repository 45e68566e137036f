/**
 * `@credchain/sts-local` is an optional peer of the CLI: installing `@credchain/cli` brings neither
 * its dependencies nor its demo keys, and only `credchain sts-local` loads it. Without it that
 * command fails with a message saying how to get it, and an exit code of its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { EXIT } from '../src';
import { stsLocal } from '../src/commands/stsLocal';
import { exitCodeOf } from '../src/exitCodes';
import { Capture } from './support/harness';

const io = () => ({
  env: {},
  stdin: new PassThrough(),
  stdout: new Capture(),
  stderr: new Capture(),
  signal: new AbortController().signal,
});

const notFound = (request: string, code = 'MODULE_NOT_FOUND') =>
  Object.assign(new Error(`Cannot find module '${request}'\nRequire stack:\n- /somewhere/stsLocal.js`), { code });

test('package.json: an optional peer (and a devDependency for the tests), not a dependency', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as Record<
    string,
    Record<string, unknown> | undefined
  >;
  expect(manifest.dependencies?.['@credchain/sts-local']).toBeUndefined();
  expect(manifest.peerDependencies?.['@credchain/sts-local']).toBeDefined();
  expect(manifest.peerDependenciesMeta?.['@credchain/sts-local']).toEqual({ optional: true });
  expect(manifest.devDependencies?.['@credchain/sts-local']).toBeDefined();
});

test.each([
  ['CommonJS', 'MODULE_NOT_FOUND'],
  ['ES module', 'ERR_MODULE_NOT_FOUND'],
])('not installed (%s resolution): StsLocalMissingError saying how to install it, exit 7', async (_kind, code) => {
  const load = () => Promise.reject(notFound('@credchain/sts-local', code));
  const error = await stsLocal(['--port', '0'], io(), load).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({
    name: 'StsLocalMissingError',
    message: expect.stringContaining('npm install @credchain/sts-local') as unknown,
  });
  expect(exitCodeOf(error)).toBe(EXIT.STS_LOCAL_MISSING);
  expect(EXIT.STS_LOCAL_MISSING).toBe(7);
});

test('sts-local installed but broken (one of its own modules missing) is not reported as absent', async () => {
  const broken = notFound('jose');
  await expect(stsLocal([], io(), () => Promise.reject(broken))).rejects.toBe(broken);
});

test('installed: the loaded module runs with the arguments after `sts-local`', async () => {
  const seen: unknown[] = [];
  const code = await stsLocal(['--help'], io(), () =>
    Promise.resolve({
      stsLocalMain: (argv: readonly string[]) => {
        seen.push(argv);
        return Promise.resolve(0);
      },
    }),
  );
  expect(code).toBe(0);
  expect(seen).toEqual([['--help']]);
});
