import { Command, CommanderError, Option } from 'commander';
import { MfaCodeRejectedError } from 'credchain';

import { credentialProcess } from './commands/credentialProcess';
import { exec } from './commands/exec';
import { EXPORT_FORMATS, exportCredentials } from './commands/exportCredentials';
import { stsLocal } from './commands/stsLocal';
import { STS_OPERATIONS, clientFor } from './commands/stsOperations';
import type { StsOperation } from './commands/stsOperations';
import { createContext } from './context';
import type { CommonOptions, Context } from './context';
import { EXIT, exitCodeOf } from './exitCodes';
import type { CliIo } from './io';
import { formatResult, outputFormat, responseBody } from './output';
import { Secrets } from './secrets';
import { cliVersion } from './version';

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  unexpected failure (network, bug)
  2  bad usage: unknown command or option, missing or invalid argument (nothing was sent to STS)
  3  STS answered with an error (AccessDenied, ExpiredToken, …)
  4  no usable credentials (missing or broken profile, credential_process failed, expired)
  5  MFA failed (no terminal to prompt on, not 6 digits, code rejected by STS)
  6  exec could not start its command
  7  sts-local: the optional package @credchain/sts-local is not installed
  exec otherwise exits with its command's exit code (128 + signal number if it was killed).

Environment: AWS_PROFILE, AWS_REGION, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE,
AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
`;

/** --profile, --region, --endpoint-url and the MFA options, on every command that reaches STS. */
function addCommonOptions(command: Command): Command {
  return command
    .option(
      '--profile <name>',
      'profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, else environment keys, else "default")',
    )
    .option('--region <region>', "STS region (default: AWS_REGION, the profile's region, us-east-1)")
    .option(
      '--endpoint-url <url>',
      'STS endpoint, e.g. http://127.0.0.1:4599 for sts-local (default: AWS_ENDPOINT_URL_STS)',
    )
    .option('--token-code <code>', 'MFA code to use instead of prompting (single use)')
    .option(
      '--totp-secret-env <name>',
      'environment variable holding the base32 secret of a virtual MFA device, to generate codes',
    )
    .addHelpText(
      'after',
      '\nMFA codes are asked for on the terminal when needed; without a terminal the command fails (exit 5)\n' +
        'unless --token-code or --totp-secret-env is given.\n',
    );
}

// STS words a replayed code like a wrong one; the likeliest replay is another program (the AWS CLI, a
// second machine) that used the same code within its 30 s.
const REJECTED_CODE_HINT = '; each code can be used once: if another program used this one, enter the next';

/** Whether STS refused an MFA code, here or in a cause (a provider may wrap its error). */
function isRejectedCode(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth += 1) {
    if (e instanceof MfaCodeRejectedError) return true;
  }
  return false;
}

/** The full text of an error for stderr: its message and its cause's (never a secret; scrubbed anyway). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error && !error.message.includes(error.cause.message)
      ? ` (cause: ${error.cause.name}: ${error.cause.message})`
      : '';
  const hint = isRejectedCode(error) ? REJECTED_CODE_HINT : '';
  return `${error.name}: ${error.message}${hint}${cause}`;
}

/**
 * The `credchain` command. Resolves with the exit code (see `credchain --help`); output goes to
 * `io.stdout`, errors and prompts to `io.stderr`, never with a secret.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const secrets = new Secrets();
  const errorOut = (text: string) => io.stderr.write(secrets.scrub(text));
  let exitCode: number = EXIT.OK;

  const withContext = async (options: CommonOptions, body: (context: Context) => Promise<number | void>) => {
    const context = await createContext(options, io, secrets);
    try {
      exitCode = (await body(context)) ?? EXIT.OK;
    } finally {
      context.close();
    }
  };

  const program = new Command('credchain')
    .description('Every AWS STS operation, and credentials for other tools: credential_process, export, exec.')
    .version(cliVersion(), '-V, --version', 'print the version of @credchain/cli')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: errorOut,
      // commander's own errors (an unknown option or command, a missing argument) in the documented
      // form, `credchain: <ErrorName>: <message>`, like every other error.
      outputError: (text) => errorOut(`credchain: UsageError: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(add --help for usage)')
    .enablePositionalOptions()
    .helpCommand(false)
    .addHelpText('after', EXIT_CODES_HELP);

  for (const operation of STS_OPERATIONS) addStsCommand(program, operation, withContext, io);

  addCommonOptions(program.command('credential-process'))
    .description('print credentials as the AWS credential_process JSON (Version 1), cached while they have life left')
    .option('--no-cache', 'always fetch (no cache file)')
    .option('--cache-dir <dir>', 'cache directory (default: CREDCHAIN_CACHE_DIR, else $XDG_CACHE_HOME/credchain)')
    .addHelpText(
      'after',
      '\nIn ~/.aws/config:  credential_process = credchain credential-process --profile source-profile\n',
    )
    .action((options: CommonOptions & { cache?: boolean; cacheDir?: string }) =>
      withContext(options, (context) => credentialProcess(context, options)),
    );

  addCommonOptions(program.command('export'))
    .description('print credentials as shell statements or JSON: eval "$(credchain export --profile P)"')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('env'))
    .action((options: CommonOptions & { format?: string }) =>
      withContext(options, (context) => exportCredentials(context, options.format)),
    );

  addCommonOptions(program.command('exec'))
    .description('run a command with the credentials in its environment (or served to it with --server)')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--server', 'serve refreshed credentials on a loopback ECS-style endpoint (for long-running commands)')
    .passThroughOptions()
    .addHelpText('after', '\nExample: credchain exec --profile deploy --server -- node long-job.js\n')
    .action((command: string[], options: CommonOptions & { server?: boolean }) =>
      withContext(options, (context) => exec(context, command, options)),
    );

  program
    .command('sts-local')
    .description('start sts-local, the local STS emulator (credchain sts-local --help for its options)')
    .helpOption(false)
    .allowUnknownOption()
    .argument('[options...]');

  try {
    // sts-local parses its own arguments (its --help included).
    if (argv[0] === 'sts-local') return await stsLocal(argv.slice(1), io);
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
    }
    errorOut(`credchain: ${describe(error)}\n`);
    return exitCodeOf(error);
  }
}

function addStsCommand(
  program: Command,
  operation: StsOperation,
  withContext: (options: CommonOptions, body: (context: Context) => Promise<void>) => Promise<void>,
  io: CliIo,
): void {
  const command = addCommonOptions(program.command(operation.command)).description(operation.summary);
  if (operation.alias !== undefined) command.alias(operation.alias);
  for (const [flags, description, required] of operation.options) {
    if (required === true) command.requiredOption(flags, description);
    else command.option(flags, description);
  }
  command
    .addOption(new Option('--output <format>', 'json or table').choices(['json', 'table']).default('json'))
    .action((options: CommonOptions & Record<string, unknown>) =>
      withContext(options, async (context) => {
        const format = outputFormat(options.output);
        const result = await operation.run(options, context, clientFor(operation, context));
        io.stdout.write(formatResult(responseBody(result), format));
      }),
    );
}
