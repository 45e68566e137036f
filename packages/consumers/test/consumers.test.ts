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
  publishablePackages,
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

  // esbuild's keepNames wrapped every named function in `__name(fn, 'name')`, redefining `name` on each
  // closure a provider makes: their properties became dictionaries, +2.4 KB per provider (bench part 2,
  // memory for 10,000 pooled roles). The bundles are built without it.
  test('hold CommonJS bundles that name no function at run time', () => {
    for (const { pkg, files, unpacked } of each()) {
      const renaming = files
        .filter((path) => path.startsWith('dist/cjs/') && path.endsWith('.js'))
        .filter((path) => readFileSync(join(unpacked, 'package', path), 'utf8').includes('__name('));
      expect({ name: pkg.manifest.name, renaming }).toEqual({ name: pkg.manifest.name, renaming: [] });
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

  // `npm test` with no build first (the README's order): npm packs the workspaces alphabetically and each
  // prepack builds one package alone, so @credchain/cli's would find no declarations of core. Turbo builds
  // them all, in dependency order, before this suite; a package missing from that list fails here.
  test("are built by turbo before this suite runs: its test task depends on every package's build", () => {
    const turbo = JSON.parse(readFileSync(join(REPO_ROOT, 'turbo.json'), 'utf8')) as {
      tasks: Record<string, { dependsOn?: string[] }>;
    };
    const dependsOn = turbo.tasks['@credchain/consumers#test']?.dependsOn ?? [];
    const missing = publishablePackages()
      .map(({ manifest }) => `${manifest.name}#build`)
      .filter((task) => !dependsOn.includes(task));
    expect(missing).toEqual([]);
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

  test('in CommonJS requires the CommonJS build', async () => {
    const { stdout } = await run(process.execPath, ['app.cjs'], scratch.app, appEnv('consumer-cjs'));
    expect(stdout).toContain(`loaded ${join(scratch.app, 'node_modules', 'credchain', 'dist', 'cjs', 'index.js')}`);
    expect(stdout).toContain(identity('consumer-cjs'));
    expect(stdout).toContain('client holds the provider: true');
  });

  test('in CommonJS loads one file per entry of ours; profiles, sources, p-retry, lru-cache when used', async () => {
    // What `require('credchain')` reads (issue 12, import cost): each package's CommonJS build is one file
    // (core's two entries share one), and the umbrella requires @credchain/profile and @credchain/sources
    // the first time one of their exports is read.
    const probe = `
      const before = new Set(Object.keys(require.cache));
      const credchain = require('credchain');
      const loaded = () => Object.keys(require.cache).filter((f) => !before.has(f))
        .map((f) => f.slice(f.lastIndexOf('node_modules/') + 'node_modules/'.length));
      const atRequire = loaded();
      let typed = 'no error';
      try { credchain.fromAssumeRole({ params: {} }); } catch (e) {
        typed = e.name + ' ' + (e instanceof require('@credchain/core').InvalidParameterError);
      }
      const profile = typeof credchain.fromProfile + ' ' + typeof credchain.ProfileConfigError;
      const closed = [];
      const pool = credchain.createProviderPool({ max: 1, create: (p) => ({ close: () => closed.push(p.n) }) });
      pool.get({ n: 1 });
      pool.get({ n: 2 });
      console.log(JSON.stringify({ atRequire, typed, profile, afterProfile: loaded(), pool: [pool.size, closed] }));`;
    const { stdout } = await run(process.execPath, ['-e', probe], scratch.app);
    const seen = JSON.parse(stdout) as {
      atRequire: string[];
      typed: string;
      profile: string;
      afterProfile: string[];
      pool: unknown;
    };
    const ours = seen.atRequire.filter((path) => /^(credchain|@credchain\/)/.test(path));
    expect(ours).toContain('credchain/dist/cjs/index.js');
    expect(ours).toContain('@credchain/core/dist/cjs/entries.bundle.js');
    expect(ours.filter((path) => !/\/dist\/cjs\/(index|provider-kit|entries\.bundle)\.js$/.test(path))).toEqual([]);
    expect(
      seen.atRequire.filter((path) => /^(@credchain\/(profile|sources)|p-retry|@?otplib|lru-cache)/.test(path)),
    ).toEqual([]);
    // An error made by code of one entry (assume-role through core's provider-kit) is an instance of the
    // class the other entry exports: one copy of core's module state.
    expect(seen.typed).toBe('InvalidParameterError true');
    expect(seen.profile).toBe('function function');
    expect(seen.afterProfile).toContain('@credchain/profile/dist/cjs/index.js');
    expect(seen.afterProfile).toContain('@credchain/sources/dist/cjs/index.js');
    // lru-cache, required by the first pool, evicts and closes as before.
    expect(seen.afterProfile.some((path) => path.startsWith('lru-cache/'))).toBe(true);
    expect(seen.pool).toEqual([1, [1]]);

    // p-retry ships only as ESM. Core's CommonJS bundle require()s it on the first failed refresh: Node
    // loads it through require(esm), which engines.node asks for.
    const core = join(scratch.app, 'node_modules', '@credchain', 'core');
    expect(readFileSync(join(core, 'dist', 'cjs', 'entries.bundle.js'), 'utf8')).toMatch(
      /Promise\.resolve\(\)\.then\(\(\) => __toESM\(require\("p-retry"\)/,
    );
    const pRetry = readManifest(join(scratch.app, 'node_modules', 'p-retry'));
    expect(pRetry).toMatchObject({ type: 'module' });
    expect(JSON.stringify(pRetry.exports)).not.toContain('"require"');
    const { stdout: retry } = await run(
      process.execPath,
      ['-e', "console.log(typeof require('p-retry').default)"],
      join(core, 'dist', 'cjs'),
    );
    expect(retry.trim()).toBe('function');
  });

  test('in CommonJS retries a failed background refresh with p-retry, loaded at that first failure', async () => {
    // A provider on a hand-moved clock: its credentials reach the advisory window, the refresh a caller
    // starts there fails once, and the retry loop (p-retry, required on that failure) fetches again.
    const probe = `
      const { createRefreshingProvider } = require('@credchain/core');
      let now = Date.parse('2026-01-01T00:00:00Z');
      let fetches = 0;
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('/p-retry/'));
      const provider = createRefreshingProvider(async () => {
        fetches += 1;
        if (fetches === 2) throw new Error('throttled');
        return { accessKeyId: 'AKIA' + fetches, secretAccessKey: 'x', expiration: new Date(now + 3600000) };
      }, {
        refresh: { clock: { now: () => now }, jitter: 0, background: false },
        retry: { minDelayMs: 0, maxDelayMs: 0 },
        onEvent: (event) => {
          if (event.type !== 'refresh-success' || fetches !== 3) return;
          provider().then((c) => {
            console.log(JSON.stringify({ fetches, key: c.accessKeyId, loaded: loaded() }));
            provider.close();
          });
        },
      });
      provider().then(() => {
        const before = loaded();
        now += 50 * 60000;
        return provider().then((c) => console.log(JSON.stringify({ before, served: c.accessKeyId })));
      });`;
    const { stdout } = await run(process.execPath, ['-e', probe], scratch.app);
    const [first, last] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toEqual({ before: false, served: 'AKIA1' });
    expect(last).toEqual({ fetches: 3, key: 'AKIA3', loaded: true });
  });

  test('in ESM imports the ESM build', async () => {
    const { stdout } = await run(process.execPath, ['app.mjs'], scratch.app, appEnv('consumer-esm'));
    expect(stdout).toContain(
      `loaded file://${join(scratch.app, 'node_modules', 'credchain', 'dist', 'esm', 'index.js')}`,
    );
    expect(stdout).toContain(identity('consumer-esm'));
    expect(stdout).toContain('client holds the provider: true');
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
    expect(stdout).toContain('client holds the provider: true');
  });
});
