import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { CliIo } from '../io';

type StsLocalMain = (
  argv: readonly string[],
  io: { stdout: CliIo['stdout']; stderr: CliIo['stderr']; signal: AbortSignal },
) => Promise<number>;

/**
 * sts-local's own command (`sts-local [options]`), which its package does not export from its index:
 * loaded from its build (dist/bin/main.js), or from source when this file itself runs from source
 * (jest, ts-node), so a fresh clone needs no build.
 */
function loadStsLocalMain(): StsLocalMain {
  const root = dirname(require.resolve('@credchain/sts-local/package.json'));
  const fromSource = __filename.endsWith('.ts');
  const candidates = fromSource
    ? [join(root, 'src', 'bin', 'main.ts'), join(root, 'dist', 'bin', 'main.js')]
    : [join(root, 'dist', 'bin', 'main.js')];
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error('@credchain/sts-local is not built (dist/bin/main.js is missing)');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(found) as { main: StsLocalMain }).main;
}

/** `sts-local`: starts the emulator until interrupted (every argument after it goes to sts-local). */
export function stsLocal(argv: readonly string[], io: CliIo): Promise<number> {
  return loadStsLocalMain()(argv, io);
}
