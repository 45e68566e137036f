import { InvalidParameterError, createRefreshingProvider } from '@credchain/core';
import type { CredentialProvider, FetchContext, TemporaryCredentials } from '@credchain/core';

import { CredentialSourceError } from './CredentialSourceError';
import { runCredentialProcess, splitCommand } from './processCommand';
import { handedOut, sourceProvider } from './SourceCredentialProvider';
import type { SourceCredentialProvider, SourceCredentials } from './SourceCredentialProvider';
import { checkEngineOptions, checkEnv, checkMs, checkString, frozenInit, sourceKit } from './sourceKit';
import type { SourceProviderOptions } from './sourceKit';

const DEFAULT_TIMEOUT_MS = 300_000;

export interface FromProcessInit extends SourceProviderOptions {
  /**
   * The command line, as in a profile's `credential_process`: split as a shell would split it (quotes,
   * backslashes), run without a shell. Its standard output must be the Version 1 JSON the AWS CLI reads.
   */
  readonly command: string;
  /**
   * The command is killed after this long (it may prompt, or open a browser, so the default is generous).
   * @default 300_000
   */
  readonly timeoutMs?: number;
  /** The command's environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** How messages name the command (never the command line itself). @default 'credential_process' */
  readonly label?: string;
}

/** The init checked, naming the first bad option. */
function checkProcessInit(init: Partial<FromProcessInit>): void {
  const { command } = init;
  if (typeof command !== 'string' || command.trim() === '') {
    throw new InvalidParameterError('command', 'must be a non-empty command line');
  }
  try {
    splitCommand(command);
  } catch (error) {
    throw new InvalidParameterError('command', (error as Error).message.replace(/^process: credential_process /, ''));
  }
  checkMs('timeoutMs', init.timeoutMs, 0);
  checkEnv(init.env);
  checkString('label', init.label);
}

/**
 * The fetch of {@link fromProcess}, for composing with an engine of one's own: runs the command once
 * per call and returns what it printed, static keys (no `expiration`) or temporary credentials.
 * @throws InvalidParameterError naming `command`, `timeoutMs`, `env` or `label`
 */
export function processFetch(init: FromProcessInit): (context?: FetchContext) => Promise<SourceCredentials> {
  const options = frozenInit(init);
  checkProcessInit(options);
  const clock = options.refresh?.clock ?? Date;
  const run = {
    label: options.label ?? 'credential_process',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now: () => clock.now(),
    env: options.env,
  };
  return () => runCredentialProcess(options.command, run);
}

/**
 * Credentials from a `credential_process` command. The first output decides, as in the AWS CLI: with
 * an `Expiration`, the engine caches them and runs the command again in the background before they
 * expire; without one, the keys are kept for the provider's life. Nothing runs before the first call.
 * @throws InvalidParameterError naming `command`, `timeoutMs`, `env`, `label` or an engine option
 */
export function fromProcess(init: FromProcessInit): SourceCredentialProvider {
  const given: unknown = init;
  if (typeof given !== 'object' || given === null) {
    throw new InvalidParameterError('init', 'must be an options object with command');
  }
  const options = frozenInit(init);
  const fetch = processFetch(options);
  const { name, engine, logger, tag } = sourceKit('process', options);
  checkEngineOptions(engine);
  const label = options.label ?? 'credential_process';

  let first: Promise<SourceCredentials> | undefined;
  let settled: SourceCredentialProvider | CredentialProvider | undefined;
  let closed = false;
  const current = (): typeof settled => settled;

  const settle = async (): Promise<SourceCredentialProvider | CredentialProvider> => {
    if (settled !== undefined) return settled;
    first ??= fetch().catch((error: unknown) => {
      first = undefined;
      throw error;
    });
    const credentials = await first;
    // Another caller may have settled while this one awaited (read through a function: the type checker
    // would otherwise keep the `undefined` it saw before the await).
    const meanwhile = current();
    if (meanwhile !== undefined) return meanwhile;
    if (credentials.expiration === undefined) {
      logger.debug(`${tag} ${label} printed static keys (${credentials.accessKeyId}): kept for the provider's life`);
      const keys = handedOut(credentials);
      settled = sourceProvider(
        async () => keys,
        () => `SourceCredentialProvider(${name}: static keys)`,
      );
    } else {
      let initial: SourceCredentials | undefined = credentials;
      settled = createRefreshingProvider(async (context: FetchContext) => {
        const next = initial ?? (await fetch(context));
        initial = undefined;
        if (next.expiration === undefined) {
          throw new CredentialSourceError('process', `${label} stopped printing an Expiration`);
        }
        return next as TemporaryCredentials;
      }, engine);
      // Closed while the first run was under way: no timer may outlive close().
      if (closed) settled.close();
    }
    return settled;
  };

  return sourceProvider(
    async (forced) => {
      const provider = await settle();
      return forced ? provider.refresh() : provider();
    },
    () => (settled === undefined ? `SourceCredentialProvider(${name}: not run yet)` : String(settled)),
    () => {
      closed = true;
      settled?.close();
    },
  );
}
