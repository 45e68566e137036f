import { parseArgs } from 'node:util';
import { totp } from '../mfa/totp';
import { IdentityStore } from '../model/IdentityStore';
import { loadConfig } from '../server/loadConfig';
import { startStsLocal } from '../server/startStsLocal';
import { describeIdentities } from './describeIdentities';

/** Where the bin writes, and what stops it: process streams and signals, or a test's. */
export interface MainIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Aborting it stops the server and lets `main` resolve. */
  readonly signal: AbortSignal;
}

/** The port the bin listens on unless told otherwise (a fixed one, so demo scripts can hard-code it). */
export const DEFAULT_PORT = 4599;

const USAGE = `Usage: sts-local [options]
       sts-local totp SERIAL [--config FILE]

A local, faithful AWS STS for tests, demos and offline development.

Options:
  --port N          Regional endpoint port; 0 picks a free one (default ${DEFAULT_PORT})
  --global-port N   global endpoint (sts.amazonaws.com behaviour) port (default: a free one)
  --host ADDR       interface to listen on (default 127.0.0.1)
  --config FILE     identity model as JSON (default: the built-in demo config)
  --time-scale X    multiply issued lifetimes by X, e.g. 0.01 turns 1 h into 36 s (default 1)
  --region NAME     region of unsigned requests on the Regional endpoint (default us-east-1)
  --sso [PORT]      serve IAM Identity Center (SSO portal and OIDC) too; PORT defaults to a free one
  --imds [PORT]     serve an EC2 instance metadata service (IMDSv2) for config.instance too (default: a free port)
  --container [PORT]
                    serve a container credentials endpoint for config.container too (default: a free port)
  -h, --help        show this help

totp SERIAL prints the current code of an MFA device in the config.
`;

/** An error's message, also for errors from another realm (where `instanceof Error` fails). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function portOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--${name} must be an integer from 0 to 65535`);
  return port;
}

function timeScaleOption(value: string | undefined): number {
  if (value === undefined) return 1;
  const scale = Number(value);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new UsageError('--time-scale must be a positive number');
  return scale;
}

/** Flags whose port is optional, which parseArgs cannot express: bare, they become `--flag=0` (a free port). */
const OPTIONAL_PORT_FLAGS = ['--sso', '--imds', '--container'];

function withOptionalPorts(argv: readonly string[]): string[] {
  return argv.map((arg, i) =>
    OPTIONAL_PORT_FLAGS.includes(arg) && !/^\d+$/.test(argv[i + 1] ?? '') ? `${arg}=0` : arg,
  );
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: withOptionalPorts(argv),
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        'global-port': { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
        'time-scale': { type: 'string' },
        region: { type: 'string' },
        sso: { type: 'string' },
        imds: { type: 'string' },
        container: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

function printTotp(serial: string | undefined, configPath: string | undefined, io: MainIo): number {
  if (serial === undefined) throw new UsageError('totp needs the serial number (ARN) of an MFA device');
  const device = new IdentityStore(loadConfig(configPath)).mfaDevice(serial);
  if (device === undefined) throw new UsageError(`no MFA device ${serial} in the config`);
  io.stdout.write(`${totp(device.device.secretBase32, Date.now())}\n`);
  return 0;
}

/**
 * The `sts-local` command: starts the server, prints its endpoints and identities, and runs until
 * `io.signal` aborts. Resolves with the exit code (0 ok, 1 could not start, 2 bad usage).
 */
export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (values.help === true) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (positionals[0] === 'totp') return printTotp(positionals[1], values.config, io);
    if (positionals.length > 0) throw new UsageError(`unknown command ${positionals[0]}`);
    const options = {
      port: portOption('port', values.port, DEFAULT_PORT),
      globalPort: portOption('global-port', values['global-port'], 0),
      host: values.host ?? '127.0.0.1',
      timeScale: timeScaleOption(values['time-scale']),
      ...(values.config === undefined ? {} : { config: values.config }),
      ...(values.region === undefined ? {} : { region: values.region }),
      ...(values.sso === undefined ? {} : { sso: { port: portOption('sso', values.sso, 0) } }),
      ...(values.imds === undefined ? {} : { imds: { port: portOption('imds', values.imds, 0) } }),
      ...(values.container === undefined ? {} : { container: { port: portOption('container', values.container, 0) } }),
    };
    if (io.signal.aborted) return 0;
    const server = await startStsLocal(options);
    io.stdout.write(describeIdentities(server));
    if (options.timeScale !== 1) io.stdout.write(`Issued lifetimes are scaled by ${options.timeScale}.\n`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.stop();
    io.stdout.write('sts-local stopped.\n');
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`sts-local: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    // Config and listen errors name the file, field or port; they never carry a secret.
    io.stderr.write(`sts-local: ${messageOf(error)}\n`);
    return 1;
  }
}

/** Runs {@link main} for the real process: stops on SIGINT/SIGTERM and sets the exit code. */
export async function runFromProcess(
  argv: readonly string[] = process.argv.slice(2),
  io: Omit<MainIo, 'signal'> = process,
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    process.exitCode = await main(argv, { stdout: io.stdout, stderr: io.stderr, signal: controller.signal });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
