// A require hook (`node -r`/`ts-node -r`) that runs this repository from its TypeScript sources, as
// jest does, with no build: `credchain` and `@credchain/*` resolve to packages/<dir>/src/index.ts
// (the package named in packages/<dir>/package.json). Used by the README examples' tests
// (runExample) and by `npm start` (the demo daemon).
const Module = require('node:module');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const packagesDir = join(__dirname, '..');
const sources = new Map();
for (const dir of readdirSync(packagesDir)) {
  const manifest = join(packagesDir, dir, 'package.json');
  if (existsSync(manifest))
    sources.set(JSON.parse(readFileSync(manifest, 'utf8')).name, join(packagesDir, dir, 'src', 'index.ts'));
}

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveToSource(request, ...rest) {
  return resolveFilename.call(this, sources.get(request) ?? request, ...rest);
};
