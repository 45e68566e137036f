import { createInterface } from 'node:readline';

import { MfaPromptUnavailableError } from './errors';
import type { MfaCodeProvider, MfaPromptContext } from './types';

/** Options of `promptCodeProvider`. */
export interface PromptCodeProviderOptions {
  /**
   * Where the answer is read. Must be a terminal (`isTTY`); anything else fails at once.
   * @default process.stdin
   */
  readonly input?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /**
   * Where the question is written: stderr, so that stdout stays clean for a command's output.
   * @default process.stderr
   */
  readonly output?: NodeJS.WritableStream;
}

const PREAMBLE: Partial<Record<MfaPromptContext['reason'], string>> = {
  'reused-code': 'That code was already used; enter the next one.\n',
  'rejected-code': 'STS rejected the last code.\n',
};

// One question at a time on a terminal, whatever the device: two questions at once would mix
// their answers. Keyed by the input stream, which is what the user types into.
const terminals = new WeakMap<object, Promise<unknown>>();

/**
 * An MFA code provider for interactive use: asks "MFA code for <serial>: " on a terminal and reads
 * one line. Without a terminal (a daemon, CI, a pipe) it fails at once with
 * `MfaPromptUnavailableError` instead of waiting forever. It writes nothing but the question: the
 * answer is shown only as the terminal itself echoes typing.
 */
export function promptCodeProvider(options: PromptCodeProviderOptions = {}): MfaCodeProvider {
  const provider: MfaCodeProvider = (serialNumber, context) => {
    const input = options.input ?? process.stdin;
    const output = options.output ?? process.stderr;
    if (input.isTTY !== true) return Promise.reject(new MfaPromptUnavailableError(serialNumber));
    const previous = terminals.get(input) ?? Promise.resolve();
    const asked = previous.then(
      () => ask(input, output, serialNumber, context),
      () => ask(input, output, serialNumber, context),
    );
    terminals.set(input, asked);
    return asked;
  };
  Object.defineProperty(provider, 'name', { value: 'promptCodeProvider' });
  return provider;
}

function ask(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  serialNumber: string,
  context: MfaPromptContext | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    // terminal: false leaves echoing to the terminal's own line discipline: readline writes no
    // copy of the answer anywhere.
    const rl = createInterface({ input, output, terminal: false });
    let answered = false;
    rl.once('close', () => {
      if (!answered) {
        reject(
          new MfaPromptUnavailableError(
            serialNumber,
            `the terminal closed before an MFA code for ${serialNumber} was entered`,
          ),
        );
      }
    });
    const preamble = context === undefined ? '' : (PREAMBLE[context.reason] ?? '');
    rl.question(`${preamble}MFA code for ${serialNumber}: `, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}
