import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What a user gets: the publishable packages packed by `npm pack` (whose prepack builds them), and a
// scratch app, outside the repo, that installs the tarballs the way a user installs from the registry.

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const APPS = join(__dirname, '..', 'apps');

/** A package.json as far as these tests read it. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly main?: string;
  readonly module?: string;
  readonly types?: string;
  readonly bin?: Record<string, string>;
  readonly exports?: Record<string, unknown>;
  readonly sideEffects?: boolean | readonly string[];
  readonly engines?: { readonly node?: string };
  readonly repository?: { readonly url?: string; readonly directory?: string };
  readonly homepage?: string;
  readonly bugs?: { readonly url?: string };
  readonly dependencies?: Record<string, string>;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** A publishable package of the repo: its folder under packages/ and its manifest there. */
export interface Publishable {
  readonly dir: string;
  readonly manifest: Manifest;
}

export function publishablePackages(): Publishable[] {
  const packagesDir = join(REPO_ROOT, 'packages');
  return readdirSync(packagesDir)
    .map((dir) => ({ dir, path: join(packagesDir, dir) }))
    .filter(({ path }) => readdirSync(path).includes('package.json'))
    .map(({ dir, path }) => ({ dir, manifest: readManifest(path) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** The environment of a child process, without what npm passes its scripts (a parent's prefix, workspace…). */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, NO_UPDATE_NOTIFIER: '1', ...extra };
}

export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file args` in `cwd`; rejects with everything it printed when it exits non-zero. */
export function run(
  file: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env: childEnv(env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** The tarball's file name, as npm pack writes it. */
function tarballName({ name, version }: Manifest): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/** The packed packages: each tarball, and its content unpacked (`<unpacked>/package/...`). */
export interface Packed {
  readonly pkg: Publishable;
  readonly tarball: string;
  readonly unpacked: string;
  /** Paths inside the package, `dist/esm/index.js` etc. */
  readonly files: readonly string[];
}

export interface Scratch {
  readonly root: string;
  readonly packed: readonly Packed[];
  /** The scratch app: credchain and its packages installed from the tarballs. */
  readonly app: string;
  remove(): void;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

/**
 * Packs every publishable package once (npm runs each one's prepack, which builds it), unpacks the
 * tarballs, and installs credchain with its packages from them into a scratch app. Third-party
 * packages come from the npm cache (filled by `npm ci`), or from the registry when missing there.
 */
export async function prepareScratch(): Promise<Scratch> {
  const root = mkdtempSync(join(tmpdir(), 'credchain-consumers-'));
  try {
    const tarballs = join(root, 'tarballs');
    mkdirSync(tarballs);
    const publishable = publishablePackages();
    const workspaces = publishable.flatMap(({ dir }) => ['--workspace', `packages/${dir}`]);
    await run('npm', ['pack', '--pack-destination', tarballs, '--loglevel=warn', ...workspaces], REPO_ROOT);

    const packed: Packed[] = [];
    for (const pkg of publishable) {
      const tarball = join(tarballs, tarballName(pkg.manifest));
      const unpacked = join(root, 'unpacked', pkg.dir);
      mkdirSync(unpacked, { recursive: true });
      await run('tar', ['-xzf', tarball, '-C', unpacked], root);
      packed.push({ pkg, tarball, unpacked, files: listFiles(join(unpacked, 'package')) });
    }

    const app = join(root, 'app');
    mkdirSync(app);
    const fromTarball = (name: string): string => {
      const found = packed.find(({ pkg }) => pkg.manifest.name === name);
      if (found === undefined) throw new Error(`${name} was not packed`);
      return `file:${found.tarball}`;
    };
    // credchain and every package of ours it depends on, from the tarballs; the SDK client the apps call
    // and the Node types the TypeScript app needs, at the versions the repo's lockfile installed.
    const umbrella = readManifest(join(REPO_ROOT, 'packages', 'credchain'));
    const ours = [
      'credchain',
      ...Object.keys(umbrella.dependencies ?? {}).filter((name) => name.startsWith('@credchain/')),
    ];
    const dependencies: Record<string, string> = Object.fromEntries(ours.map((name) => [name, fromTarball(name)]));
    for (const name of ['@aws-sdk/client-sts', '@types/node']) {
      dependencies[name] = readManifest(join(REPO_ROOT, 'node_modules', name)).version;
    }
    // Our packages depend on each other by version; without overrides npm first asks the registry for
    // those versions (where they do not exist, or which it cannot reach) before it settles on the tarballs.
    // (npm wants an override of a direct dependency spelt `$name`.)
    const overrides = Object.fromEntries(
      packed.map(({ pkg: { manifest }, tarball }) => [
        manifest.name,
        manifest.name in dependencies ? `$${manifest.name}` : `file:${tarball}`,
      ]),
    );
    const manifest = { name: 'scratch-app', version: '1.0.0', private: true, dependencies, overrides };
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'], app);
    for (const file of ['app.cjs', 'app.mjs']) copyFileSync(join(APPS, file), join(app, file));
    copyFileSync(join(APPS, 'app.ts'), join(app, 'app.mts'));
    copyFileSync(join(APPS, 'app.ts'), join(app, 'app.cts'));
    return { root, packed, app, remove: () => rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
