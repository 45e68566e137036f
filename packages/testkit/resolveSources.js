// A require hook (`node -r`/`ts-node -r`) that runs this repository from its TypeScript sources, as
// jest does, with no build: `credchain`, `@credchain/*` and their subpaths (`@credchain/core/provider-kit`)
// resolve to the files their package.json `exports` map names under the `@credchain/source` condition
// (sourceEntries.js). Used by the README examples' tests (runExample) and by `npm start` (the demo daemon).
const Module = require('node:module');
const { join } = require('node:path');
const { sourceEntries } = require('./sourceEntries');

const sources = new Map(sourceEntries(join(__dirname, '..')));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveToSource(request, ...rest) {
  return resolveFilename.call(this, sources.get(request) ?? request, ...rest);
};
