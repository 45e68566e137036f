import type { STSClientConfig } from '@aws-sdk/client-sts';
import { fromProfile, resolveRegion, shareUsedMfaCodes } from '@credchain/profile';
import type { ProfileCredentialProvider } from '@credchain/profile';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { MfaPromptUnavailableError, promptCodeProvider, totpCodeProvider } from 'credchain';
import type { Clock, MfaCodeProvider } from 'credchain';

import { UsageError } from './exitCodes';
import type { CliIo } from './io';
import { cacheDir } from './processCache';
import type { Secrets } from './secrets';

/** The options every command takes (see `addCommonOptions`). */
export interface CommonOptions {
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly tokenCode?: string;
  readonly totpSecretEnv?: string;
  readonly output?: string;
  /** credential-process's `--cache-dir`; every command keeps its record of used MFA codes there. */
  readonly cacheDir?: string;
}

/** What a command needs to reach STS, resolved from its options and the environment. */
export interface Context {
  readonly io: CliIo;
  readonly clock: Clock;
  readonly secrets: Secrets;
  /** The profile named by --profile or AWS_PROFILE, if any. */
  readonly profile: string | undefined;
  readonly clientConfig: STSClientConfig;
  /** Asked when a profile or a command needs an MFA code. */
  readonly mfaCodeProvider: MfaCodeProvider;
  /** Credentials that sign STS calls: the profile's, else the environment's keys, else the default profile. */
  credentials(): AwsCredentialIdentityProvider;
  /** Closes the profile provider built, if any (timers, shared MFA sessions). */
  close(): void;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The MFA code provider of the options, sharing its record of used codes with every credchain process
 * that uses the same cache directory: two commands started within one 30 s step never send one code
 * twice (STS would reject the second); the later one waits for the next code and says so.
 */
function sharedMfaCodeProvider(options: CommonOptions, io: CliIo, secrets: Secrets): MfaCodeProvider {
  const codeProvider = mfaCodeProviderFor(options, io, secrets);
  return shareUsedMfaCodes(codeProvider, {
    dir: cacheDir(io.env, options.cacheDir),
    ...(io.clock === undefined ? {} : { clock: io.clock }),
    // A --token-code cannot change: waiting would only bring it back.
    maxAsks: options.tokenCode === undefined ? 3 : 1,
    onWait: (serialNumber, ms) =>
      io.stderr.write(
        `credchain: the MFA code for ${serialNumber} was already used (by another credchain process?); ` +
          `waiting ${Math.ceil(ms / 1000)} s for the next one\n`,
      ),
  });
}

function mfaCodeProviderFor(options: CommonOptions, io: CliIo, secrets: Secrets): MfaCodeProvider {
  if (options.tokenCode !== undefined && options.totpSecretEnv !== undefined) {
    throw new UsageError('--token-code and --totp-secret-env are alternatives: pass one of them');
  }
  if (options.tokenCode !== undefined) {
    const code = secrets.add(options.tokenCode);
    // Never echoed: a bad code is reported by its shape, by core's checks.
    return () => Promise.resolve(code);
  }
  if (options.totpSecretEnv !== undefined) {
    const name = options.totpSecretEnv;
    const secret = io.env[name];
    if (secret === undefined || secret === '')
      throw new UsageError(`--totp-secret-env: environment variable ${name} is not set`);
    secrets.add(secret);
    try {
      return totpCodeProvider({ secret, ...(io.clock === undefined ? {} : { clock: io.clock }) });
    } catch (error) {
      // core's message names the rule, never the secret
      throw new UsageError(
        `--totp-secret-env: ${name} ${(error as { rule?: string }).rule ?? 'is not a base32 TOTP secret'}`,
      );
    }
  }
  const onStdio = promptCodeProvider({ input: io.stdin, output: io.stderr });
  return async (serialNumber, context) => {
    if (io.stdin.isTTY === true) return onStdio(serialNumber, context);
    const terminal = io.openTerminal?.();
    if (terminal === undefined) {
      // core's message advises library options (mfaCodeProvider); a CLI user needs the flags.
      throw new MfaPromptUnavailableError(
        serialNumber,
        `no terminal to ask for an MFA code for ${serialNumber}; ` +
          'pass --token-code CODE, or --totp-secret-env NAME (a variable holding the base32 seed of a virtual device)',
      );
    }
    try {
      return await promptCodeProvider({ input: terminal.input, output: terminal.output })(serialNumber, context);
    } finally {
      terminal.close();
    }
  };
}

/** Resolves the common options against the environment. Throws UsageError before any network call. */
export async function createContext(options: CommonOptions, io: CliIo, secrets: Secrets): Promise<Context> {
  const { env } = io;
  const clock = io.clock ?? Date;
  const profile = nonEmpty(options.profile) ?? nonEmpty(env.AWS_PROFILE);
  const endpoint =
    nonEmpty(options.endpointUrl) ?? nonEmpty(env.AWS_ENDPOINT_URL_STS) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new UsageError('--endpoint-url must be an http(s) URL, e.g. http://127.0.0.1:4599');
  }
  // --region, then the one precedence fromProfile uses too (AWS_REGION, AWS_DEFAULT_REGION, the
  // profile's region, us-east-1): the command and the library sign for one region.
  const region = nonEmpty(options.region) ?? (await resolveRegion({ env, profile: profile ?? 'default' }));
  const clientConfig: STSClientConfig = { region, ...(endpoint === undefined ? {} : { endpoint }) };
  const mfaCodeProvider = sharedMfaCodeProvider(options, io, secrets);
  let built: ProfileCredentialProvider | undefined;
  let resolved: AwsCredentialIdentityProvider | undefined;

  const fromEnvironment = (): AwsCredentialIdentity | undefined => {
    if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
    return secrets.watch({
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    });
  };

  const resolve = (): AwsCredentialIdentityProvider => {
    const keys = profile === undefined ? fromEnvironment() : undefined;
    if (keys !== undefined) return () => Promise.resolve(keys);
    const provider = fromProfile({
      profile: profile ?? 'default',
      ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
      ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
      mfaCodeProvider,
      clientConfig,
      refresh: { clock },
    });
    built = provider;
    return async (props?: Record<string, unknown>) => secrets.watch(await provider(props));
  };

  return {
    io,
    clock,
    secrets,
    profile,
    clientConfig,
    mfaCodeProvider,
    credentials: () => (resolved ??= resolve()),
    close: () => built?.close(),
  };
}
