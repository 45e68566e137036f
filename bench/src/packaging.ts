/**
 * `npm run bench`, part 3: what a user pays to load credchain, beside the AWS SDK. Writes
 * results/packaging.json and results/packaging.md.
 *
 * - Bundle size: esbuild, minified ESM for Node (`--platform=node --format=esm --bundle
 *   --main-fields=module,main`, the usual Lambda flags) of an entry that exports one provider:
 *   `fromAssumeRole` from `credchain` and from `@credchain/assume-role`, the SDK's
 *   `fromTemporaryCredentials` from `@aws-sdk/credential-providers`, and the SDK's STS client alone
 *   (what any provider of the two pulls in).
 * - Import time: `require()` and `import()` of each package in a fresh `node` process, timed inside it
 *   around the one statement (process start excluded); the median of several runs, interleaved so that
 *   drift of the machine hits all alike. The OS file cache is warm after the first run: "cold" means
 *   a new process, not a cold disk.
 *
 * Reads the packages as built (turbo runs ^build before the bench). About 30–60 seconds.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

import { type Machine, machine, markdownTable, table, writeResults } from './report';

const BENCH_DIR = path.join(__dirname, '..');
const IMPORT_RUNS = 9;

interface BundleCase {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly entry: string;
}

const BUNDLES: readonly BundleCase[] = [
  {
    id: 'credchain-fromAssumeRole',
    label: "fromAssumeRole from 'credchain'",
    ours: true,
    entry: "export { fromAssumeRole } from 'credchain';",
  },
  {
    id: 'assume-role-fromAssumeRole',
    label: "fromAssumeRole from '@credchain/assume-role'",
    ours: true,
    entry: "export { fromAssumeRole } from '@credchain/assume-role';",
  },
  {
    id: 'sdk-fromTemporaryCredentials',
    label: "fromTemporaryCredentials from '@aws-sdk/credential-providers'",
    ours: false,
    entry: "export { fromTemporaryCredentials } from '@aws-sdk/credential-providers';",
  },
  {
    id: 'sdk-client-sts',
    label: "STSClient and AssumeRoleCommand from '@aws-sdk/client-sts' (the client alone)",
    ours: false,
    entry: "export { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';",
  },
];

interface BundleResult {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** Packages with code in the bundle, by bytes, largest first. */
  readonly packages: readonly { readonly name: string; readonly bytes: number }[];
}

/** `node_modules/@scope/name/...` or `packages/x/...` (a workspace read through its link) → package name. */
function packageOf(input: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (modules?.[1] !== undefined) return modules[1];
  const workspace = /(?:^|\/)packages\/([^/]+)\//.exec(input);
  return workspace?.[1] === undefined
    ? input
    : workspace[1] === 'credchain'
      ? 'credchain'
      : `@credchain/${workspace[1]}`;
}

async function bundle(c: BundleCase): Promise<BundleResult> {
  const { outputFiles, metafile } = await build({
    stdin: { contents: c.entry, resolveDir: BENCH_DIR, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    write: false,
    metafile: true,
    outfile: 'bundle.mjs',
    logLevel: 'silent',
  });
  const code = outputFiles[0]?.contents ?? new Uint8Array();
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return {
    id: c.id,
    label: c.label,
    ours: c.ours,
    minifiedBytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    packages: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}

interface ImportCase {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly specifier: string;
  readonly how: 'require' | 'import';
}

const IMPORTED: readonly [string, string, boolean][] = [
  ['credchain', 'credchain', true],
  ['client-sts', '@aws-sdk/client-sts', false],
  ['credential-providers', '@aws-sdk/credential-providers', false],
];
const IMPORTS: readonly ImportCase[] = IMPORTED.flatMap(([id, specifier, ours]) =>
  (['require', 'import'] as const).map((how) => ({
    id: `${id}-${how}`,
    label: `${how === 'require' ? 'require' : 'import'}('${specifier}')`,
    ours,
    specifier,
    how,
  })),
);

/** Milliseconds one fresh `node` process spends in the `require()` or `import()` of `c.specifier`. */
function importOnce(c: ImportCase): number {
  const load =
    c.how === 'require' ? `require(${JSON.stringify(c.specifier)})` : `await import(${JSON.stringify(c.specifier)})`;
  const script = `const t = performance.now(); ${load}; process.stdout.write(String(performance.now() - t));`;
  const args = c.how === 'require' ? ['-e', script] : ['--input-type=module', '-e', script];
  return Number(execFileSync(process.execPath, args, { cwd: BENCH_DIR, encoding: 'utf8' }));
}

interface ImportResult {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function importTimes(): ImportResult[] {
  const samples = new Map<string, number[]>(IMPORTS.map((c) => [c.id, []]));
  for (const c of IMPORTS) importOnce(c); // one unmeasured round: the OS file cache, as after any first start
  for (let run = 0; run < IMPORT_RUNS; run++) for (const c of IMPORTS) samples.get(c.id)!.push(importOnce(c));
  return IMPORTS.map((c) => {
    const ms = samples.get(c.id)!;
    return {
      id: c.id,
      label: c.label,
      ours: c.ours,
      medianMs: median(ms),
      minMs: Math.min(...ms),
      maxMs: Math.max(...ms),
      runs: ms.length,
    };
  });
}

/** What a statement costs beyond loading `@aws-sdk/client-sts` the same way (issue 12's target: ≤ 20 ms). */
function overClientSts(r: ImportResult, imports: readonly ImportResult[]): string {
  const base = imports.find((x) => x.id === `client-sts-${r.id.endsWith('-import') ? 'import' : 'require'}`);
  if (base === undefined || base.id === r.id) return '';
  const over = r.medianMs - base.medianMs;
  return `${over >= 0 ? '+' : '−'}${Math.abs(over).toFixed(1)} ms`;
}

/** Bytes of the bundle that come from credchain's own packages. */
const ownBytes = (b: BundleResult): number =>
  b.packages.filter((p) => /^(credchain|@credchain\/)/.test(p.name)).reduce((sum, p) => sum + p.bytes, 0);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;

function markdown(
  date: string,
  m: Machine,
  bundles: readonly BundleResult[],
  imports: readonly ImportResult[],
): string {
  const top = (b: BundleResult): string =>
    b.packages
      .slice(0, 6)
      .map((p) => `${p.name} ${kb(p.bytes)}`)
      .join(', ');
  return [
    '# Packaging: bundle size and import time',
    '',
    `Generated by \`npm run bench\` (part 3, \`src/packaging.ts\`), ${date}.`,
    `Machine: Node ${m.node}, ${m.platform}, ${m.cpuCount} × ${m.cpuModel}. Shared with other jobs: compare ratios.`,
    'How it is measured: [../README.md](../README.md#part-3-packaging).',
    '',
    '## Minified ESM bundle of one provider',
    '',
    'esbuild `--bundle --minify --platform=node --format=esm --main-fields=module,main`, an entry that exports the ' +
      'one provider. Both sides include the SDK STS client (`@aws-sdk/client-sts` and its `@smithy/*` parts), ' +
      'which the last row shows alone.',
    '',
    markdownTable([
      ['entry', 'minified', 'gzip', 'of which credchain', 'largest parts'],
      ...bundles.map((b) => [
        `${b.ours ? 'ours: ' : 'SDK: '}${b.label}`,
        kb(b.minifiedBytes),
        kb(b.gzipBytes),
        kb(ownBytes(b)),
        top(b),
      ]),
    ]),
    '',
    '## Import time in a fresh process',
    '',
    'The `require()` or `import()` statement alone, timed inside a new `node` process; ' +
      `median of ${IMPORT_RUNS} runs (min–max), runs interleaved, after one unmeasured round.`,
    '',
    markdownTable([
      ['statement', 'median', 'min–max', 'over the STS client alone'],
      ...imports.map((r) => [
        `${r.ours ? 'ours: ' : 'SDK: '}\`${r.label}\``,
        ms(r.medianMs),
        `${ms(r.minMs)}–${ms(r.maxMs)}`,
        overClientSts(r, imports),
      ]),
    ]),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const bundles: BundleResult[] = [];
  for (const c of BUNDLES) bundles.push(await bundle(c));
  console.log('\nPart 3 · packaging: minified ESM bundle of one provider');
  console.log(
    table([['entry', 'minified', 'gzip'], ...bundles.map((b) => [b.label, kb(b.minifiedBytes), kb(b.gzipBytes)])]),
  );

  const imports = importTimes();
  console.log(`\nImport time in a fresh process (median of ${IMPORT_RUNS})`);
  console.log(
    table([
      ['statement', 'median', 'min', 'max'],
      ...imports.map((r) => [r.label, ms(r.medianMs), ms(r.minMs), ms(r.maxMs)]),
    ]),
  );

  const date = new Date().toISOString();
  const m = machine();
  const durationSeconds = Math.round((Date.now() - started) / 100) / 10;
  writeResults({
    'packaging.json': `${JSON.stringify({ date, machine: m, durationSeconds, bundles, imports }, null, 2)}\n`,
    'packaging.md': markdown(date, m, bundles, imports),
  });
  console.log(`packaging figures written to bench/results/packaging.md (${durationSeconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
