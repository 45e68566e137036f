// Where each workspace package's entry points live in TypeScript source, read from its package.json
// `exports` map: the `@credchain/source` condition of each subpath, the one typecheck follows. So
// `@credchain/core` → packages/core/src/index.ts and `@credchain/core/provider-kit` →
// packages/core/src/provider-kit.ts. A package whose root entry names no source (a private one, or one
// without an exports map) runs from src/index.ts. Shared by jest.config.ts and resolveSources.js.
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const SOURCE = '@credchain/source';

/** The source file an exports-map entry names under the source condition, at any depth; or undefined. */
function sourceOf(target) {
  if (typeof target !== 'object' || target === null) return undefined;
  if (typeof target[SOURCE] === 'string') return target[SOURCE];
  for (const nested of Object.values(target)) {
    const found = sourceOf(nested);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `[specifier, absolute source file]` for every entry point of every package in `packagesDir`. */
function sourceEntries(packagesDir) {
  const entries = [];
  for (const dir of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, exports: map } = JSON.parse(readFileSync(manifest, 'utf8'));
    const subpaths = typeof map === 'object' && map !== null && !Array.isArray(map) ? Object.entries(map) : [];
    if (sourceOf(map?.['.']) === undefined) entries.push([name, join(packagesDir, dir, 'src', 'index.ts')]);
    for (const [subpath, target] of subpaths) {
      const source = sourceOf(target);
      if (source !== undefined) entries.push([name + subpath.slice(1), join(packagesDir, dir, source)]);
    }
  }
  return entries;
}

module.exports = { sourceEntries };
