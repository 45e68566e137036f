// CommonJS on purpose: Node 22.18+ loads a .ts config itself (type stripping), and a file with
// `import` statements would then run as an ES module, where __dirname does not exist. Written with
// require(), the same file works there and through ts-node on Node 20.
import type { Config } from 'jest';

const { readdirSync, existsSync, readFileSync } = require('node:fs') as typeof import('node:fs');
const { join } = require('node:path') as typeof import('node:path');
const { sourceEntries } = require('./packages/testkit/sourceEntries') as {
  sourceEntries: (packagesDir: string) => [specifier: string, file: string][];
};

// Tests run from TypeScript source: @credchain/* imports, subpaths included (`@credchain/core/provider-kit`),
// resolve to the files each package's exports map names under the `@credchain/source` condition (as
// typecheck does), and swc strips types on the fly, so `npm test` needs no prior build. Type errors are
// caught by `npm run typecheck`, not here.
const root = __dirname;
const packagesDir = join(root, 'packages');

// p-retry and its dependency ship only as ES modules; jest's CommonJS runtime needs them compiled.
const esmOnly = ['p-retry', 'is-network-error', '@noble/hashes', '@scure/base', 'jose'];

const swc: [string, Record<string, unknown>] = [
  '@swc/jest',
  {
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  },
];

const escape = (specifier: string): string => specifier.replace(/[/.]/g, '\\$&');
const moduleNameMapper: Record<string, string> = Object.fromEntries(
  sourceEntries(packagesDir).map(([specifier, file]) => [`^${escape(specifier)}$`, file]),
);

// One jest project per workspace with tests: the packages, and the examples (the demo daemon).
const workspaceDirs = ['packages', 'examples'].flatMap((group) =>
  existsSync(join(root, group))
    ? readdirSync(join(root, group))
        .map((dir) => join(root, group, dir))
        .filter((dir) => existsSync(join(dir, 'package.json')))
    : [],
);

const projects = workspaceDirs.map((dir) => {
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
  return {
    displayName: name,
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform: { '^.+\\.(t|j)s$': swc },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleNameMapper,
  };
});

const config: Config = {
  projects,
  // A skipped test is not a passing test: CI treats a run with skips as a failure (see .ci/run).
  passWithNoTests: true,
  // A hang guard, not a time limit (no test asserts time): suites that drive hours of fake time over
  // real HTTP to sts-local, or spawn processes, take tens of seconds of CPU, and CI runs three
  // packages' jest at once on two cores, under three Node versions; 60 s ran out there.
  testTimeout: 180_000,
  // A test file whose tests all finished but that left a handle open (a socket a peer kept alive, a child
  // that ignored SIGTERM) would keep jest, turbo and CI waiting with no output until CI's limit; jest
  // exits instead. (Jest then prints "Force exiting Jest" after every run, leak or not: to look for a
  // leak, run one project with --detectOpenHandles.)
  forceExit: true,
};

module.exports = config;
