// Runs the demo from the TypeScript sources of this repository, as jest does, so `npm start` needs
// no build: `credchain` and `@credchain/*` resolve to packages/<dir>/src/index.ts (ts-node compiles them).
const Module = require('node:module');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const packagesDir = join(__dirname, '..', '..', 'packages');
const sources = new Map();
for (const dir of readdirSync(packagesDir)) {
  const manifest = join(packagesDir, dir, 'package.json');
  if (existsSync(manifest)) sources.set(JSON.parse(readFileSync(manifest, 'utf8')).name, join(packagesDir, dir, 'src', 'index.ts'));
}

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveToSource(request, ...rest) {
  return resolveFilename.call(this, sources.get(request) ?? request, ...rest);
};
