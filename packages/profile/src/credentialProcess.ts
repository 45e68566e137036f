import { execFile } from 'node:child_process';

import { createRefreshingProvider } from '@credchain/core';
import type { RefreshingProviderOptions, TemporaryCredentials } from '@credchain/core';
import type { AwsCredentialIdentity } from '@smithy/types';

import { CredentialProcessError } from './errors';
import type { ProfileCredentialProvider } from './types';

const MAX_STDERR = 500;

/**
 * Splits a command line as Python's `shlex.split` does (botocore runs `credential_process` that
 * way, without a shell): blanks separate words, quotes group, a backslash escapes.
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new CredentialProcessError('credential_process has an unclosed single quote');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      word ??= '';
      for (i++; ; i++) {
        if (i >= line.length) throw new CredentialProcessError('credential_process has an unclosed double quote');
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

function run(profile: string, command: string, clock: { now(): number }): Promise<AwsCredentialIdentity> {
  const [file, ...args] = splitCommand(command);
  if (file === undefined)
    return Promise.reject(new CredentialProcessError(`credential_process of profile "${profile}" is empty`));
  const stdout = new Promise<string>((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', maxBuffer: 1 << 20, windowsHide: true }, (error, out, stderr) => {
      if (error) {
        // stderr is the tool's own diagnostic; stdout may hold keys and is never quoted.
        const said = stderr.trim().slice(0, MAX_STDERR);
        reject(
          new CredentialProcessError(
            `credential_process of profile "${profile}" failed (${error.code ?? 'error'})${said ? `: ${said}` : ''}`,
            { cause: error },
          ),
        );
        return;
      }
      resolve(out);
    });
  });
  return stdout.then((out) => parseOutput(profile, out, clock.now()));
}

function parseOutput(profile: string, stdout: string, now: number): AwsCredentialIdentity {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new CredentialProcessError(`credential_process of profile "${profile}" did not print JSON`);
  }
  // `null` is JSON too: read it as an object without fields.
  const parsed = (json ?? {}) as Record<string, unknown>;
  if (parsed.Version !== 1) {
    throw new CredentialProcessError(
      `credential_process of profile "${profile}" printed Version ${JSON.stringify(parsed.Version ?? null)}; ` +
        'supported: 1',
    );
  }
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration, AccountId } = parsed;
  for (const [key, value] of [
    ['AccessKeyId', AccessKeyId],
    ['SecretAccessKey', SecretAccessKey],
  ] as const) {
    if (typeof value !== 'string' || value === '') {
      throw new CredentialProcessError(`credential_process of profile "${profile}" printed no ${key}`);
    }
  }
  let expiration: Date | undefined;
  if (Expiration !== undefined && Expiration !== null) {
    // An ISO 8601 string, as botocore requires: `new Date(0)` or `new Date("0")` would take a number for a date.
    expiration = typeof Expiration === 'string' ? new Date(Expiration) : new Date(Number.NaN);
    if (Number.isNaN(expiration.getTime())) {
      throw new CredentialProcessError(
        `credential_process of profile "${profile}" printed an Expiration that is not an ISO 8601 date`,
      );
    }
    if (expiration.getTime() <= now) {
      throw new CredentialProcessError(
        `credential_process of profile "${profile}" printed credentials that expired at ${expiration.toISOString()}`,
      );
    }
  }
  return {
    accessKeyId: AccessKeyId as string,
    secretAccessKey: SecretAccessKey as string,
    ...(typeof SessionToken === 'string' && SessionToken !== '' ? { sessionToken: SessionToken } : {}),
    ...(expiration === undefined ? {} : { expiration }),
    ...(typeof AccountId === 'string' ? { accountId: AccountId } : {}),
  };
}

/**
 * Credentials from `credential_process`. Output with an Expiration is refreshed by the core engine
 * (the command runs again before it expires); output without one is kept for the provider's life,
 * as the AWS CLI does.
 */
export function processProvider(
  profile: string,
  command: string,
  engine: RefreshingProviderOptions,
): ProfileCredentialProvider {
  const clock = engine.refresh?.clock ?? Date;
  let first: Promise<AwsCredentialIdentity> | undefined;
  let settled: ProfileCredentialProvider | undefined;
  const current = (): ProfileCredentialProvider | undefined => settled;
  const decide = async (): Promise<ProfileCredentialProvider> => {
    if (settled !== undefined) return settled;
    first ??= run(profile, command, clock).catch((error: unknown) => {
      first = undefined;
      throw error;
    });
    const credentials = await first;
    // Another caller may have settled while this one awaited (read through a function: the type checker
    // would otherwise keep the `undefined` it saw before the await).
    const settledMeanwhile = current();
    if (settledMeanwhile !== undefined) return settledMeanwhile;
    if (credentials.expiration === undefined) {
      settled = staticProvider(credentials);
    } else {
      let initial: AwsCredentialIdentity | undefined = credentials;
      settled = createRefreshingProvider(async () => {
        const next = initial ?? (await run(profile, command, clock));
        initial = undefined;
        if (next.expiration === undefined) {
          throw new CredentialProcessError(`credential_process of profile "${profile}" stopped printing an Expiration`);
        }
        return next as TemporaryCredentials;
      }, engine);
    }
    return settled;
  };
  const provider = (async (props?: Record<string, unknown>) => (await decide())(props)) as ProfileCredentialProvider;
  provider.refresh = async () => (await decide()).refresh();
  provider.close = () => settled?.close();
  provider[Symbol.dispose] = () => provider.close();
  return provider;
}

/** A provider of fixed credentials (static keys), with the same surface as the others. */
export function staticProvider(credentials: AwsCredentialIdentity): ProfileCredentialProvider {
  const provider = (async () => credentials) as ProfileCredentialProvider;
  provider.refresh = async () => credentials;
  provider.close = () => undefined;
  provider[Symbol.dispose] = () => provider.close();
  return provider;
}
