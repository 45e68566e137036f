import { StsLocalMissingError } from '../exitCodes';
import type { CliIo } from '../io';

/** What `credchain sts-local` needs of `@credchain/sts-local`. */
export interface StsLocalModule {
  stsLocalMain(argv: readonly string[], io: CliIo): Promise<number>;
}

const PACKAGE = '@credchain/sts-local';

const importStsLocal = (): Promise<StsLocalModule> => import('@credchain/sts-local');

/** Node's "not found" for the package itself, not for a module the package imports. */
function isPackageMissing(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${PACKAGE}'`)
  );
}

/**
 * `sts-local`: starts the emulator until interrupted (every argument after it goes to sts-local's
 * own command, `stsLocalMain`). `@credchain/sts-local` is an optional peer of the CLI, loaded only
 * here: every other command starts without it, and a user who never runs the emulator never
 * installs it (nor its demo keys). Without it: StsLocalMissingError (exit 7), saying how to get it.
 * @param load how sts-local is loaded. @default `import('@credchain/sts-local')`
 */
export async function stsLocal(
  argv: readonly string[],
  io: CliIo,
  load: () => Promise<StsLocalModule> = importStsLocal,
): Promise<number> {
  let module: StsLocalModule;
  try {
    module = await load();
  } catch (error) {
    if (!isPackageMissing(error)) throw error;
    throw new StsLocalMissingError(
      `${PACKAGE} is not installed: it is an optional peer of @credchain/cli, needed only for this command. ` +
        `Install it beside the CLI (npm install ${PACKAGE}), or run it once with npx ${PACKAGE}`,
    );
  }
  return module.stsLocalMain(argv, io);
}
