#!/usr/bin/env node
// The credchain bin run from this repository's TypeScript sources, so tests that need a real process
// (the AWS CLI's credential_process, a shell) work on a fresh clone without a build: ts-node compiles
// on the fly, and `credchain` / `@credchain/*` resolve to packages/<dir>/src/index.ts as in jest.
const Module = require('node:module');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

require('ts-node').register({
  transpileOnly: true,
  compilerOptions: { module: 'commonjs', moduleResolution: 'node', target: 'es2022', esModuleInterop: true },
});

const packages = join(__dirname, '..', '..', '..');
const sources = new Map();
for (const dir of readdirSync(packages)) {
  const manifest = join(packages, dir, 'package.json');
  if (existsSync(manifest))
    sources.set(JSON.parse(readFileSync(manifest, 'utf8')).name, join(packages, dir, 'src', 'index.ts'));
}
const resolve = Module._resolveFilename;
Module._resolveFilename = function toSource(request, ...rest) {
  return resolve.call(this, sources.get(request) ?? request, ...rest);
};

require('../../src/bin/credchain.ts');
