import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import { transformSync } from '@swc/core';

/** The README's quick-start example, as a user would copy it. */
function quickStartExample(): string {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((code) => code.includes('async function main()'));
  if (block === undefined) throw new Error('README has no quick-start example');
  return block;
}

test('the README quick-start example runs and prints what its comments say', async () => {
  const source = quickStartExample();
  // Run main() ourselves instead of the example's fire-and-forget call, so the test can await it.
  const body = source.replace(/\nmain\(\)\.catch\([\s\S]*$/, '\n');
  expect(body).not.toBe(source);
  const { code } = transformSync(`${body}\nexport const run = main;\n`, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const printed: string[] = [];
  const fakeConsole = {
    log: (...args: unknown[]) => printed.push(args.join(' ')),
    error: (...args: unknown[]) => printed.push(`error: ${args.join(' ')}`),
  };
  const exports: { run?: () => Promise<void> } = {};
  // Compiled as Node compiles a CommonJS module, with the README named in stack traces.
  const load = compileFunction(code, ['require', 'exports', 'console'], { filename: 'README.md (quick start)' }) as (
    require: NodeJS.Require,
    exports: object,
    console: typeof fakeConsole,
  ) => void;
  load(require, exports, fakeConsole);
  await exports.run?.();
  expect(printed).toEqual([
    'arn:aws:sts::111122223333:assumed-role/mfa-role/readme',
    'ExpiredToken',
    expect.stringMatching(/^AssumeRole success, GetCallerIdentity success, .*GetCallerIdentity ExpiredToken$/),
  ]);
});
