import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import { transformSync } from '@swc/core';

/** The README's example that defines `name`, as a user would copy it. */
function example(name: string): string {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((code) => code.includes(`async function ${name}()`));
  if (block === undefined) throw new Error(`README has no ${name} example`);
  return block;
}

/** Runs the example's function and returns what it printed. */
async function run(name: string): Promise<string[]> {
  const { code } = transformSync(`${example(name)}\nexport const run = ${name};\n`, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const printed: string[] = [];
  const fakeConsole = { log: (...args: unknown[]) => printed.push(args.join(' ')) };
  const exports: { run?: () => Promise<void> } = {};
  // The sandbox's `process` too: jest gives the test's modules (the SDK) their own copy of process.env.
  const load = compileFunction(code, ['require', 'exports', 'console', 'process'], {
    filename: `README.md (${name})`,
  }) as (require: NodeJS.Require, exports: object, console: typeof fakeConsole, proc: NodeJS.Process) => void;
  load(require, exports, fakeConsole, process);
  await exports.run?.();
  return printed;
}

/** The `// …` lines following each console.log in the example: what its comments say it prints. */
const promised = (name: string): string[] =>
  [...example(name).matchAll(/console\.log\([^\n]*\n\s*\/\/ (.*)/g)].map((m) => m[1] ?? '');

test.each(['imdsExample', 'containerExample', 'ssoExample'])(
  'the README %s runs and prints what its comments say',
  async (name) => {
    const expected = promised(name);
    expect(expected.length).toBeGreaterThan(0);
    expect(await run(name)).toEqual(expected);
  },
);
