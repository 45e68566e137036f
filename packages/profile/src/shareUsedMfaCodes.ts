import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { InvalidParameterError, MFA_CODE_PERIOD_SECONDS, MfaCodeReusedError } from '@credchain/core';
import type { Clock, MfaCodeProvider, MfaPromptContext } from '@credchain/core';

import { withCacheLock, writePrivateFile } from './cliCache';

/** Options of `shareUsedMfaCodes`. */
export interface ShareUsedMfaCodesOptions {
  /**
   * The directory the processes share (a cache directory): the record is
   * `credchain-mfa-used-codes.json` in it (0600, replaced atomically, under an O_EXCL lock file).
   */
  readonly dir: string;
  /**
   * Where time comes from: when a code was used, and when the next 30 s step begins. Give the clock
   * the code provider generates codes by.
   * @default Date
   */
  readonly clock?: Clock;
  /**
   * How many times one request asks the code provider while it answers codes already used (waiting
   * for the next 30 s step before each new ask). `1` when the code cannot change, such as a code
   * typed once on a command line: a used one is then an error at once.
   * @default 3
   */
  readonly maxAsks?: number;
  /** Told when the code was already used and the next step is awaited (never told the code). @default none */
  readonly onWait?: (serialNumber: string, msUntilNextStep: number) => void;
}

/** The record's file name, and the key of its lock file (`….lock`), in the shared directory. */
const RECORD = 'credchain-mfa-used-codes';
const PERIOD_MS = MFA_CODE_PERIOD_SECONDS * 1000;
/** As long as core's coordinator remembers a code: longer than STS accepts one (its step ± 1). */
const RETENTION_MS = 5 * 60_000;
/** The wait re-reads the clock at least this often: the wall clock may jump while a timer runs. */
const POLL_MS = 1000;
const SIX_DIGITS = /^[0-9]{6}$/;

interface UsedCode {
  /** HMAC-SHA-256 of the code, keyed by the device's serial number: the code is never stored. */
  readonly hash: string;
  /** When it was used (ms since the epoch, by the clock of the process that used it). */
  readonly at: number;
}

const hashOf = (serialNumber: string, code: string): string =>
  createHmac('sha256', serialNumber).update(code).digest('hex');

function parseRecord(text: string): UsedCode[] {
  const parsed: unknown = JSON.parse(text);
  const used = (parsed as { used?: unknown } | null)?.used;
  if (!Array.isArray(used)) return [];
  return used.filter(
    (u): u is UsedCode =>
      typeof (u as UsedCode | null)?.hash === 'string' && typeof (u as UsedCode | null)?.at === 'number',
  );
}

async function readRecord(path: string): Promise<UsedCode[]> {
  try {
    return parseRecord(await readFile(path, 'utf8'));
  } catch {
    return []; // none yet, or corrupt: replaced by the next write
  }
}

// Not unref'd: the wait is part of a request someone awaits, and a short-lived process (a CLI) with
// nothing else to do must not exit under it.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => globalThis.setTimeout(resolve, ms));

/** Resolves once `clock` is past the 30 s step `step`. */
async function untilAfterStep(clock: Clock, step: number): Promise<void> {
  for (let now = clock.now(); Math.floor(now / PERIOD_MS) <= step; now = clock.now()) {
    await sleep(Math.min(PERIOD_MS - (now % PERIOD_MS), POLL_MS));
  }
}

/**
 * A code provider whose codes are single use across every process that shares `dir`, as they are
 * within one process (core's coordinator): two CLI processes, or two daemons on one machine, that
 * hold one device's TOTP seed would otherwise send the same code within its 30 s step, and STS
 * rejects the second without saying why. Each code handed out is recorded in `dir` as an HMAC of the
 * code keyed by the serial number, with its time; a code the record already holds (used in the last
 * 5 minutes) is not handed out: the provider waits for the next 30 s step and asks `codeProvider`
 * again (`reason: 'reused-code'`). After `maxAsks` asks it throws `MfaCodeReusedError`.
 *
 * Malformed answers are passed on as they are (core reports them). When the record cannot be
 * written (a read-only directory) the codes are remembered in this process only.
 */
export function shareUsedMfaCodes(codeProvider: MfaCodeProvider, options: ShareUsedMfaCodesOptions): MfaCodeProvider {
  if (typeof codeProvider !== 'function') {
    throw new InvalidParameterError('codeProvider', 'must be a function (serialNumber, context?) => Promise<string>');
  }
  const { dir, onWait } = options;
  if (typeof dir !== 'string' || dir === '') throw new InvalidParameterError('dir', 'must be a non-empty string');
  const maxAsks = options.maxAsks ?? 3;
  if (!Number.isInteger(maxAsks) || maxAsks < 1) throw new InvalidParameterError('maxAsks', 'must be an integer ≥ 1');
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  const path = join(dir, `${RECORD}.json`);
  // This process's own uses: they count even when the directory cannot be written.
  const mine = new Map<string, number>();

  /** Records the code as used now; false when it already was, here or in another process. */
  const claim = async (hash: string, now: number): Promise<boolean> => {
    for (const [h, at] of mine) if (now - at >= RETENTION_MS) mine.delete(h);
    if (mine.has(hash)) return false;
    const fresh = await withCacheLock(dir, RECORD, async () => {
      const used = (await readRecord(path)).filter((u) => now - u.at < RETENTION_MS);
      if (used.some((u) => u.hash === hash)) return false;
      used.push({ hash, at: now });
      try {
        await writePrivateFile(dir, `${RECORD}.json`, JSON.stringify({ version: 1, used }));
      } catch {
        // An unwritable directory costs the sharing across processes, never the code.
      }
      return true;
    });
    if (fresh) mine.set(hash, now);
    return fresh;
  };

  const shared: MfaCodeProvider = async (serialNumber, context) => {
    for (let asks = 1; ; asks++) {
      const prompt: MfaPromptContext | undefined =
        asks === 1 || context === undefined
          ? context
          : { ...context, reason: 'reused-code', attempt: context.attempt + asks - 1 };
      const answer = await codeProvider(serialNumber, prompt);
      const code = typeof answer === 'string' ? answer.trim() : undefined;
      if (code === undefined || !SIX_DIGITS.test(code)) return answer;
      const now = clock.now();
      if (await claim(hashOf(serialNumber, code), now)) return answer;
      if (asks >= maxAsks) throw usedError(serialNumber, asks, dir);
      onWait?.(serialNumber, PERIOD_MS - (((now % PERIOD_MS) + PERIOD_MS) % PERIOD_MS));
      await untilAfterStep(clock, Math.floor(now / PERIOD_MS));
    }
  };
  // Keep what marks the code provider (a totpCodeProvider's time step): core reads it.
  for (const symbol of Object.getOwnPropertySymbols(codeProvider)) {
    Object.defineProperty(shared, symbol, Object.getOwnPropertyDescriptor(codeProvider, symbol)!);
  }
  return shared;
}

/** core's error for a used code, worded for a code another process may have used. Never holds the code. */
function usedError(serialNumber: string, asks: number, dir: string): MfaCodeReusedError {
  const error = new MfaCodeReusedError(serialNumber, asks, false);
  error.message =
    asks === 1
      ? `the MFA code for ${serialNumber} was already used, by this or another process sharing ${dir}; ` +
        'a code can be used once: give the next one'
      : `the MFA code provider for ${serialNumber} answered codes already used (by this or another process ` +
        `sharing ${dir}) ${asks} times in a row, though each new ask waited for the next 30 s step; ` +
        'is its clock moving?';
  return error;
}
