import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';

import type { PromptTerminal } from './io';
import { main } from './main';

/** The controlling terminal (`/dev/tty`), for MFA prompts when stdin is not it; undefined if there is none. */
function openTerminal(): PromptTerminal | undefined {
  let input: ReadStream | undefined;
  try {
    input = new ReadStream(openSync('/dev/tty', 'r'));
    const output = new WriteStream(openSync('/dev/tty', 'w'));
    return {
      input,
      output,
      close: () => {
        input?.destroy();
        output.destroy();
      },
    };
  } catch {
    input?.destroy();
    return undefined; // no controlling terminal (a daemon, CI): the prompt fails clearly instead
  }
}

/** Runs {@link main} for the real process: SIGINT/SIGTERM abort long-running commands; sets the exit code. */
export async function runFromProcess(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    process.exitCode = await main(argv, {
      env: process.env,
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      signal: controller.signal,
      openTerminal,
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
