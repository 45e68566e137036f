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

/**
 * The AWS SDK's switch for its `NodeVersionSupportWarning`: on Node < 22 its first client prints an
 * 8-line warning on stderr, in every credchain process, where it buries the one line of an error
 * (under `credential_process` the SDK or the AWS CLI shows that stderr). The command turns it off
 * for itself unless the user set the variable; `…_DISABLED=false` brings it back.
 */
const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Runs {@link main} for the real process: SIGINT/SIGTERM abort long-running commands; sets the exit
 * code; keeps the SDK's Node version warning off stderr (see {@link SDK_NODE_WARNING_SWITCH}).
 */
export async function runFromProcess(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // The command and `exec`'s child see the environment as the user gave it; only the SDK in this
  // process reads the switch.
  const env = { ...process.env };
  process.env[SDK_NODE_WARNING_SWITCH] ??= 'true';
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    process.exitCode = await main(argv, {
      env,
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
