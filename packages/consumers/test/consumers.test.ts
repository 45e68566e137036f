import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type StsLocal, startStsLocal } from '@credchain/sts-local';
import { ALICE, roleArn, sessionArn } from '@credchain/testkit/sts-local';
import {
  type Manifest,
  type Packed,
  REPO_ROOT,
  type Scratch,
  prepareScratch,
  readManifest,
  run,
} from './support/scratch';

// The published packages as users load them (issue 10, "Packages as users load them"): packed once per
// run, installed from the tarballs into a scratch app outside the repo, then loaded four ways, each
// assuming demo-role in sts-local with the demo user alice's keys and printing who it signs as.

let scratch: Scratch;
let sts: StsLocal;

beforeAll(async () => {
  sts = await startStsLocal({ port: 0 });
  scratch = await prepareScratch();
}, 600_000);

afterAll(async () => {
  await sts.stop();
  scratch.remove();
});

/** The environment an app reads: sts-local's endpoint, the source keys, the role and a session name. */
function appEnv(session: string): Record<string, string> {
  return {
    STS_ENDPOINT: sts.endpoint,
    SOURCE_ACCESS_KEY_ID: ALICE.accessKeyId,
    SOURCE_SECRET_ACCESS_KEY: ALICE.secretAccessKey,
    ROLE_ARN: roleArn('demo-role'),
    SESSION_NAME: session,
  };
}

/** Every file a manifest points at: main, module, types, bins, and each leaf of `exports`. */
function pointedAt(manifest: Manifest): string[] {
  const leaves = (entry: unknown): string[] =>
    typeof entry === 'string'
      ? [entry]
      : typeof entry === 'object' && entry !== null
        ? Object.entries(entry).flatMap(([condition, value]) =>
            condition === '@credchain/source' ? [] : leaves(value),
          )
        : [];
  return [
    manifest.main,
    manifest.module,
    manifest.types,
    ...Object.values(manifest.bin ?? {}),
    ...leaves(manifest.exports),
  ]
    .filter((path): path is string => path !== undefined)
    .map((path) => path.replace(/^\.\//, ''));
}

describe('the tarballs', () => {
  const each = (): readonly Packed[] => scratch.packed;

  test('hold every file their manifests point at, and no tsbuildinfo', () => {
    for (const { pkg, files } of each()) {
      const missing = pointedAt(pkg.manifest).filter((path) => !files.includes(path));
      expect({ name: pkg.manifest.name, missing }).toEqual({ name: pkg.manifest.name, missing: [] });
      expect(files.filter((path) => path.endsWith('.tsbuildinfo'))).toEqual([]);
      expect(files).toContain('README.md');
    }
  });

  test('ship the sources every source map points at', () => {
    for (const { pkg, files, unpacked } of each()) {
      const maps = files.filter((path) => path.endsWith('.map'));
      expect(maps.length).toBeGreaterThan(0);
      const unresolved = maps.flatMap((map) => {
        const { sources } = JSON.parse(readFileSync(join(unpacked, 'package', map), 'utf8')) as { sources: string[] };
        return sources
          .map((source) => join(map, '..', source))
          .filter((source) => !files.includes(source))
          .map((source) => `${map} -> ${source}`);
      });
      expect({ name: pkg.manifest.name, unresolved }).toEqual({ name: pkg.manifest.name, unresolved: [] });
    }
  });

  test('say where the repository, home page and issues are, and that loading them has no side effects', () => {
    for (const { pkg } of each()) {
      const { name, repository, homepage, bugs, sideEffects } = pkg.manifest;
      expect({ name, directory: repository?.directory }).toEqual({ name, directory: `packages/${pkg.dir}` });
      expect(repository?.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
      expect(homepage).toMatch(new RegExp(`^https://github\\.com/.+/packages/${pkg.dir}#readme$`));
      expect(bugs?.url).toMatch(/^https:\/\/github\.com\/.+\/issues$/);
      expect(sideEffects === false || Array.isArray(sideEffects)).toBe(true);
    }
  });

  test('ask for a Node where require(esm) needs no flag, which their CommonJS build relies on', () => {
    for (const { pkg } of each()) {
      expect({ name: pkg.manifest.name, node: pkg.manifest.engines?.node }).toEqual({
        name: pkg.manifest.name,
        node: '^20.19.0 || >=22.12.0',
      });
    }
  });

  test('install as tarballs: no package of ours comes from a registry', () => {
    const lock = JSON.parse(readFileSync(join(scratch.app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    const ours = Object.entries(lock.packages).filter(([path]) => /node_modules\/(credchain|@credchain\/)/.test(path));
    expect(ours.length).toBeGreaterThanOrEqual(9);
    const notFromTarballs = ours.filter(([, { resolved }]) => resolved?.startsWith('file:') !== true);
    expect(notFromTarballs).toEqual([]);
  });
});

describe('a user app', () => {
  const identity = (session: string): string => `identity ${sessionArn('demo-role', session)}`;

  test('in CommonJS requires the CommonJS build, which require()s ESM-only p-retry (require(esm))', async () => {
    const { stdout } = await run(process.execPath, ['app.cjs'], scratch.app, appEnv('consumer-cjs'));
    expect(stdout).toContain(`loaded ${join(scratch.app, 'node_modules', 'credchain', 'dist', 'cjs', 'index.js')}`);
    expect(stdout).toContain(identity('consumer-cjs'));
    // The decision the test above holds to (README, "Packages and module formats"): the CommonJS build
    // loads p-retry, which ships only as ESM, with require(); engines.node names the Node lines where
    // require(esm) needs no flag.
    const core = join(scratch.app, 'node_modules', '@credchain', 'core');
    expect(readFileSync(join(core, 'dist', 'cjs', 'engine', 'BackgroundRefresh.js'), 'utf8')).toContain(
      '__importDefault(require("p-retry"))',
    );
    const pRetry = readManifest(join(scratch.app, 'node_modules', 'p-retry'));
    expect(pRetry).toMatchObject({ type: 'module' });
    expect(JSON.stringify(pRetry.exports)).not.toContain('"require"');
    // What tsc's __importDefault makes of it: Node marks the namespace __esModule, so `.default` is pRetry.
    const interop =
      "const m = require('p-retry'); console.log(typeof (m && m.__esModule ? m : { default: m }).default)";
    const { stdout: retry } = await run(process.execPath, ['-e', interop], core);
    expect(retry.trim()).toBe('function');
  });

  test('in ESM imports the ESM build', async () => {
    const { stdout } = await run(process.execPath, ['app.mjs'], scratch.app, appEnv('consumer-esm'));
    expect(stdout).toContain(
      `loaded file://${join(scratch.app, 'node_modules', 'credchain', 'dist', 'esm', 'index.js')}`,
    );
    expect(stdout).toContain(identity('consumer-esm'));
  });

  test('in TypeScript (module nodenext, strict) compiles against both declaration sets, then runs', async () => {
    const tsconfig = {
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        skipLibCheck: false,
        types: ['node'],
        outDir: 'out',
      },
      files: ['app.mts', 'app.cts'],
    };
    writeFileSync(join(scratch.app, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const { stdout: listed } = await run(process.execPath, [tsc, '-p', '.', '--listFiles'], scratch.app);
    const credchain = join(scratch.app, 'node_modules', 'credchain', 'dist');
    expect(listed).toContain(join(credchain, 'esm', 'index.d.ts'));
    expect(listed).toContain(join(credchain, 'cjs', 'index.d.ts'));

    for (const [file, session] of [
      ['out/app.mjs', 'consumer-ts-esm'],
      ['out/app.cjs', 'consumer-ts-cjs'],
    ] as const) {
      const { stdout } = await run(process.execPath, [file], scratch.app, appEnv(session));
      expect(stdout).toContain(identity(session));
    }
  });

  test('bundled by esbuild into one ESM file holds one provider and runs alone', async () => {
    const bundle = join(scratch.root, 'lambda', 'index.mjs');
    const { metafile } = await build({
      absWorkingDir: scratch.app,
      entryPoints: ['app.mjs'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      mainFields: ['module', 'main'],
      outfile: bundle,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.entries(metafile.outputs[Object.keys(metafile.outputs)[0] ?? '']?.inputs ?? {})
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([path]) => path);
    expect(inputs.some((path) => path.includes('@credchain/assume-role/dist/esm/'))).toBe(true);
    expect(
      inputs.filter((path) => /node_modules\/(@credchain\/(profile|web-identity|saml)|@?otplib)/.test(path)),
    ).toEqual([]);
    // Every package of ours, and lru-cache, from its ESM build: a CommonJS copy's require() of a Node
    // built-in is what an ESM bundle cannot run ("Dynamic require of node:diagnostics_channel").
    expect(inputs.filter((path) => /(credchain|lru-cache)\/dist\/(cjs|commonjs)\//.test(path))).toEqual([]);

    const { stdout } = await run(process.execPath, [bundle], join(scratch.root, 'lambda'), {
      ...appEnv('consumer-bundle'),
      BUNDLED: '1',
    });
    expect(stdout).toContain(identity('consumer-bundle'));
  });
});
