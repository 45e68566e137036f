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
// - dist/cjs gets one file per entry of the package's `exports` instead of tsc's file per module: esbuild
//   bundles the finished ESM copy into CommonJS, with every package (ours and the SDK's) left outside as
//   a `require`. Node resolves, reads and wraps each CommonJS file on its own, and at about a hundred files
//   that cost most of `require('credchain')` (a Lambda cold start pays it). A package with several
//   entries (core's `.` and `./provider-kit`) gets one shared file, `entries.bundle.js`, each entry
//   re-exporting its part of it, so both see one copy of the module state (error classes, registries).
//   tsc's per-module CommonJS .js files are deleted; its declarations (.d.ts) stay for `require` users.
//   A package.json may list packages under `credchainBuild.lazy`: its CommonJS bundle requires each the
//   first time one of its exports is read (see LAZY_HELPER), for parts only some users need.
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
import { buildSync } from 'esbuild';

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
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const { sideEffects, exports: exportsField } = manifest;
  const marker = (type, format) => `${JSON.stringify(formatManifest(type, format, sideEffects))}\n`;
  writeFileSync(join(esm, 'package.json'), marker('module', 'esm'));
  writeFileSync(join(cjs, 'package.json'), marker('commonjs', 'cjs'));
  for (const file of filesUnder(esm, ['.js', '.d.ts'])) {
    const code = readFileSync(file, 'utf8');
    const fixed = addExtensions(file, code);
    if (fixed !== code) writeFileSync(file, fixed);
  }
  bundleCommonJs(packageDir, exportsField, manifest.credchainBuild?.lazy);
}

// Defines `__credchainLazy`, which the CommonJS bundle of a package with `credchainBuild.lazy` uses in
// place of `require` for those packages: an object that requires the package the first time any of its
// exports is read. Exports of ours that come from it are getters already (esbuild's), so they stay lazy.
const LAZY_HELPER =
  'var __credchainLazy = (load) => { let m; return new Proxy({}, { get: (_, key) => (m ??= load())[key] }); };';

/** `code` with each top-level `require` of a package of `lazy` made lazy (see LAZY_HELPER). */
export function requireLazily(code, lazy, file) {
  let out = code;
  for (const spec of lazy) {
    const eager = new RegExp(
      `^(var import_\\w+ = )(require\\(${JSON.stringify(spec).replace(/[/.]/g, '\\$&')}\\));$`,
      'gm',
    );
    const found = out.match(eager)?.length ?? 0;
    if (found === 0) throw new Error(`${file}: credchainBuild.lazy names ${spec}, which the bundle never requires`);
    out = out.replace(eager, '$1__credchainLazy(() => $2);');
  }
  return out;
}

/** Shared by the entries of a package with several: see the header. */
export const SHARED_BUNDLE = 'entries.bundle.js';
const SHARED_ENTRY = 'cjs-entries.js';

/** Each entry of `exports` as [CommonJS file, ESM file], both relative to the package (`./dist/...`). */
export function commonJsEntries(exportsField) {
  return Object.values(exportsField ?? {})
    .filter((target) => typeof target === 'object' && target !== null)
    .map((target) => [target.require?.default, target.import?.default])
    .filter(([cjs, esm]) => typeof cjs === 'string' && typeof esm === 'string' && cjs.startsWith('./dist/cjs/'));
}

/** Replaces the entries of `dist/cjs` with CommonJS bundles of their ESM copies (see the header). */
export function bundleCommonJs(packageDir, exportsField, lazy = []) {
  const entries = commonJsEntries(exportsField);
  if (entries.length === 0) return;
  bundleEntries(packageDir, entries, lazy);
  // What the bundles replaced: tsc's CommonJS file per module. Its declarations (.d.ts) stay.
  const cjsDir = join(packageDir, 'dist', 'cjs');
  const kept = new Set([...entries.map(([cjs]) => join(packageDir, cjs)), join(cjsDir, SHARED_BUNDLE)]);
  for (const file of filesUnder(cjsDir, ['.js'])) {
    if (kept.has(file)) continue;
    rmSync(file);
    rmSync(`${file}.map`, { force: true });
  }
}

function bundleEntries(packageDir, entries, lazy) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    // No keepNames: it wraps every function that has a name in `__name(fn, 'name')`, which redefines `name`
    // on each closure made per provider (`close`, `refresh`, …) and turns their properties into
    // dictionaries: +2.4 KB per provider in the pool's memory bench (4.6 KB built, against 2.2 from the ESM
    // copy). What it kept is cosmetic: a function two modules both name is renamed apart in the bundle
    // (`checkInit2` in a stack trace); error names are set explicitly, and a provider's `name` comes from a
    // computed key at run time.
    // `import()` of a package becomes a `require()` in a promise, as tsc's CommonJS had it for p-retry:
    // Node's require(esm) loads ESM-only ones, and jest, whose loader runs CommonJS without VM modules,
    // can load (and transform) what a CommonJS module requires but not what it imports.
    supported: { 'dynamic-import': false },
  };
  const write = (entryPoint, outfile) => {
    if (lazy.length === 0) {
      buildSync({ ...common, entryPoints: [entryPoint], outfile });
      return;
    }
    const banner = { js: `'use strict';\n${LAZY_HELPER}` };
    const { outputFiles } = buildSync({ ...common, entryPoints: [entryPoint], outfile, write: false, banner });
    for (const file of outputFiles) {
      writeFileSync(file.path, file.path.endsWith('.js') ? requireLazily(file.text, lazy, outfile) : file.text);
    }
  };
  if (entries.length === 1) {
    const [[cjs, esm]] = entries;
    write(join(packageDir, esm), join(packageDir, cjs));
    return;
  }
  const cjsDir = join(packageDir, 'dist', 'cjs');
  const esmDir = join(packageDir, 'dist', 'esm');
  const lines = entries.map(([, esm], i) => `export * as e${i} from './${relative(esmDir, join(packageDir, esm))}';`);
  // A file, not esbuild's stdin: the bundle's source map names it, and the package ships what maps name.
  const sharedEntry = join(esmDir, SHARED_ENTRY);
  writeFileSync(
    sharedEntry,
    `// What dist/cjs/${SHARED_BUNDLE} is built from (scripts/finishBuild.mjs).\n${lines.join('\n')}\n`,
  );
  write(sharedEntry, join(cjsDir, SHARED_BUNDLE));
  entries.forEach(([cjs], i) => {
    const target = join(packageDir, cjs);
    const shared = relative(dirname(target), join(cjsDir, SHARED_BUNDLE)).replace(/^(?!\.)/, './');
    writeFileSync(target, `'use strict';\nmodule.exports = require(${JSON.stringify(shared)}).e${i};\n`);
    rmSync(`${target}.map`, { force: true });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) finishBuild(process.cwd());
