import type { Clock } from 'credchain';

/** Where the command reads and writes, and what stops it: the process's, or a test's. */
export interface CliIo {
  /** The environment the command sees (AWS_PROFILE, AWS_REGION, AWS_CONFIG_FILE, …) and passes to `exec`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Read by the MFA prompt (which needs a terminal) and piped to an `exec` child. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream;
  /** Errors and prompts only; never a secret. */
  readonly stderr: NodeJS.WritableStream;
  /** Aborting it stops long-running commands (`exec`, `sts-local`). */
  readonly signal: AbortSignal;
  /**
   * Opens the terminal for an MFA prompt when stdin/stderr are not it — as under `credential_process`,
   * whose stdout and stderr the SDK captures. Called only when a code is needed; the streams are
   * closed after the answer.
   * @default none: prompts use stdin and stderr
   */
  readonly openTerminal?: () => PromptTerminal | undefined;
  /**
   * Where time comes from (credential lifetimes, the credential-process cache).
   * @default Date
   */
  readonly clock?: Clock;
}

/** A terminal opened for one MFA question. */
export interface PromptTerminal {
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
  close(): void;
}
