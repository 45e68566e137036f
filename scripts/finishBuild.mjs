#!/usr/bin/env node
// The last step of a package's `npm run build`, after `tsc -b tsconfig.json tsconfig.cjs.json` (see
// docs/ARCHITECTURE.md, "How the workspaces build and check"):
//
// - dist/esm/package.json says `"type": "module"` and dist/cjs/package.json `"type": "commonjs"`, so Node
//   and TypeScript (`module: nodenext`) read each copy, code and declarations, in its own format. Each
//   also repeats the package's `sideEffects`: bundlers read it from the nearest package.json, which is
//   now this one, and without it would keep every module of an import they tree-shake.
// - In dist/esm, relative specifiers get the extension Node's ESM loader requires ('./engine' becomes
//   './engine/index.js', './errors' './errors.js'), in .js and .d.ts alike. The sources write them
//   without one (CommonJS never needed it), so tsc, which never rewrites a specifier, emits them as
//   written. A specifier that already names a file is kept; one that names nothing fails the build.
//
// - Every output whose source is gone (a file of src/ renamed or deleted) is deleted: tsc never removes
//   what it emitted before, and `files` would publish it.
//
// A package that builds CommonJS only (dist/, no dist/esm) gets the last step alone.
//
// Run from a package folder: `node ../../scripts/finishBuild.mjs`. Idempotent, so an incremental
// `tsc -b` that re-emitted a few files (or none) is finished the same way.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}(?:\/[^'"]*)?)\2/g;
const HAS_EXTENSION = /\.(?:[cm]?js|json)$/;

/** Every file under `dir` whose name ends with one of `suffixes`. */
function filesUnder(dir, suffixes) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => suffixes.some((suffix) => path.endsWith(suffix)) && statSync(path).isFile());
}

/** The specifier `spec`, found in `file`, with the extension Node's ESM loader needs. */
export function withExtension(file, spec) {
  if (HAS_EXTENSION.test(spec)) return spec;
  const emitted = file.endsWith('.d.ts') ? '.d.ts' : '.js';
  const target = resolve(dirname(file), spec);
  if (existsSync(target + emitted)) return `${spec}.js`;
  if (existsSync(join(target, `index${emitted}`))) return `${spec.replace(/\/$/, '')}/index.js`;
  throw new Error(`${file}: '${spec}' names no emitted module (looked for ${target}${emitted} and its index)`);
}

/** `code` (the text of `file`) with every relative specifier made explicit. */
export function addExtensions(file, code) {
  return code.replace(SPECIFIER, (_match, lead, quote, spec) => `${lead}${quote}${withExtension(file, spec)}${quote}`);
}

/** The package.json of `dist/<format>`: its module type, and the package's `sideEffects` seen from there. */
export function formatManifest(type, format, sideEffects) {
  if (!Array.isArray(sideEffects)) return sideEffects === undefined ? { type } : { type, sideEffects };
  const prefix = `./dist/${format}/`;
  const inside = sideEffects.filter((glob) => glob.startsWith(prefix)).map((glob) => `./${glob.slice(prefix.length)}`);
  return { type, sideEffects: inside };
}

const EMITTED = ['.d.ts.map', '.js.map', '.d.ts', '.js'];

/** Deletes what tsc emitted into `outDir` from a source of `srcDir` that no longer exists; returns the paths. */
export function pruneStale(outDir, srcDir) {
  const stale = filesUnder(outDir, EMITTED).filter((file) => {
    const suffix = EMITTED.find((ending) => file.endsWith(ending));
    const stem = relative(outDir, file).slice(0, -suffix.length);
    return !['.ts', '.tsx', '.mts', '.cts'].some((ext) => existsSync(join(srcDir, stem + ext)));
  });
  for (const file of stale) rmSync(file);
  return stale;
}

/** Finishes the build in `packageDir`: stale outputs pruned, format markers, explicit ESM specifiers. */
export function finishBuild(packageDir) {
  const dist = join(packageDir, 'dist');
  const src = join(packageDir, 'src');
  const esm = join(dist, 'esm');
  const cjs = join(dist, 'cjs');
  if (!existsSync(esm) && !existsSync(cjs)) {
    if (!existsSync(dist)) throw new Error(`${packageDir}: run tsc -b before finishBuild`);
    pruneStale(dist, src);
    return;
  }
  if (!existsSync(esm) || !existsSync(cjs)) throw new Error(`${packageDir}: run tsc -b before finishBuild`);
  pruneStale(esm, src);
  pruneStale(cjs, src);
  const { sideEffects } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const marker = (type, format) => `${JSON.stringify(formatManifest(type, format, sideEffects))}\n`;
  writeFileSync(join(esm, 'package.json'), marker('module', 'esm'));
  writeFileSync(join(cjs, 'package.json'), marker('commonjs', 'cjs'));
  for (const file of filesUnder(esm, ['.js', '.d.ts'])) {
    const code = readFileSync(file, 'utf8');
    const fixed = addExtensions(file, code);
    if (fixed !== code) writeFileSync(file, fixed);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) finishBuild(process.cwd());
