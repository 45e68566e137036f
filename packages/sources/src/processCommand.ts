import { execFile } from 'node:child_process';
import type { ExecFileException } from 'node:child_process';

import { CredentialSourceError } from './CredentialSourceError';
import { redactText } from './redact';
import type { SourceCredentials } from './SourceCredentialProvider';

const MAX_STDOUT = 1 << 20;

/** How {@link runCredentialProcess} runs a command and names it in messages. */
export interface ProcessRun {
  /** How messages name the command, e.g. `credential_process of profile "dev"`; never the command line. */
  readonly label: string;
  /** Killed after this long, in milliseconds; 0 waits for ever. */
  readonly timeoutMs: number;
  /** What "now" is, for refusing output that has already expired. */
  readonly now: () => number;
  /** The command's environment. */
  readonly env: NodeJS.ProcessEnv | undefined;
}

const fail = (message: string, cause?: unknown): CredentialSourceError =>
  new CredentialSourceError('process', message, cause === undefined ? {} : { cause });

/**
 * Splits a command line as Python's `shlex.split` does (botocore runs `credential_process` that
 * way, without a shell): blanks separate words, quotes group, a backslash escapes.
 * @throws CredentialSourceError for an unclosed quote
 */
export function splitCommand(line: string, label = 'credential_process'): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw fail(`${label} has an unclosed single quote`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      word ??= '';
      for (i++; ; i++) {
        if (i >= line.length) throw fail(`${label} has an unclosed double quote`);
        const c = line[i]!;
        if (c === '"') break;
        if (c === '\\' && '"\\$`\n'.includes(line[i + 1] ?? '')) word += line[++i];
        else word += c;
      }
    } else if (ch === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Why a run failed, from Node's error: an exit code, a signal, a timeout, a missing program. */
function describeExit(error: ExecFileException, run: ProcessRun): string {
  if (error.killed === true && run.timeoutMs > 0) return `timed out after ${run.timeoutMs} ms`;
  if (typeof error.code === 'number') return `exit ${error.code}`;
  if (typeof error.code === 'string') return error.code;
  return typeof error.signal === 'string' ? error.signal : 'error';
}

/**
 * Runs `command` as the AWS CLI runs `credential_process`: split like a shell would, run without one
 * (execFile), its standard output read as Version 1 JSON. On failure the message quotes the command's
 * standard error (its own diagnostic, redacted), never its output (which may hold keys) nor the command
 * line (whose arguments may).
 * @throws CredentialSourceError (source `process`)
 */
export async function runCredentialProcess(command: string, run: ProcessRun): Promise<SourceCredentials> {
  const [file, ...args] = splitCommand(command, run.label);
  if (file === undefined) throw fail(`${run.label} is empty`);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      file,
      args,
      { encoding: 'utf8', maxBuffer: MAX_STDOUT, windowsHide: true, timeout: run.timeoutMs, env: run.env },
      (error, out, stderr) => {
        if (error) {
          const said = redactText(stderr);
          reject(fail(`${run.label} failed (${describeExit(error, run)})${said ? `: ${said}` : ''}`));
          return;
        }
        resolve(out);
      },
    );
  });
  return parseOutput(run.label, stdout, run.now());
}

/** The credentials a `credential_process` printed, checked as botocore checks them. */
function parseOutput(label: string, stdout: string, now: number): SourceCredentials {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw fail(`${label} did not print JSON`);
  }
  // `null` is JSON too: read it as an object without fields.
  const parsed = (json ?? {}) as Record<string, unknown>;
  if (parsed.Version !== 1) {
    // The Version, when it is a number or a short word, says which format the tool speaks.
    const version = parsed.Version;
    const shown = typeof version === 'number' || (typeof version === 'string' && /^\w{1,8}$/.test(version));
    throw fail(`${label} printed Version ${shown ? JSON.stringify(version) : 'null'}; supported: 1`);
  }
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration, AccountId } = parsed;
  for (const [key, value] of [
    ['AccessKeyId', AccessKeyId],
    ['SecretAccessKey', SecretAccessKey],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw fail(`${label} printed no ${key}`);
  }
  let expiration: Date | undefined;
  if (Expiration !== undefined && Expiration !== null) {
    // An ISO 8601 string, as botocore requires: `new Date(0)` or `new Date("0")` would take a number for a date.
    expiration = typeof Expiration === 'string' ? new Date(Expiration) : new Date(Number.NaN);
    if (Number.isNaN(expiration.getTime())) throw fail(`${label} printed an Expiration that is not an ISO 8601 date`);
    if (expiration.getTime() <= now) {
      throw fail(`${label} printed credentials that expired at ${expiration.toISOString()}`);
    }
  }
  return {
    accessKeyId: AccessKeyId as string,
    secretAccessKey: SecretAccessKey as string,
    ...(typeof SessionToken === 'string' && SessionToken !== '' ? { sessionToken: SessionToken } : {}),
    ...(expiration === undefined ? {} : { expiration }),
    ...(typeof AccountId === 'string' && AccountId !== '' ? { accountId: AccountId } : {}),
  };
}
