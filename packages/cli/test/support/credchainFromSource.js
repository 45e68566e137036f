#!/usr/bin/env node
// The credchain bin run from this repository's TypeScript sources, so tests that need a real process
// (the AWS CLI's credential_process, a shell) work on a fresh clone without a build: ts-node compiles
// on the fly, and `credchain`, `@credchain/*` and their subpaths (`@credchain/core/provider-kit`)
// resolve to their sources as in jest (testkit's resolveSources.js), never to a dist/ that may be stale
// or absent: one copy of each package, so that `instanceof` on its errors holds.
require('ts-node').register({
  transpileOnly: true,
  compilerOptions: { module: 'commonjs', moduleResolution: 'node', target: 'es2022', esModuleInterop: true },
});
require('../../../testkit/resolveSources.js');

require('../../src/bin/credchain.ts');
