import type { CliIo } from '../io';

/**
 * `sts-local`: starts the emulator until interrupted (every argument after it goes to sts-local's
 * own command, `stsLocalMain`). sts-local is loaded only for this subcommand: every other command
 * starts without it.
 */
export async function stsLocal(argv: readonly string[], io: CliIo): Promise<number> {
  const { stsLocalMain } = await import('@credchain/sts-local');
  return stsLocalMain(argv, io);
}
