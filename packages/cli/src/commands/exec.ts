import { spawn } from 'node:child_process';
import { constants } from 'node:os';

import type { Context } from '../context';
import { SHADOWING_VARIABLES, credentialEnv } from '../credentialEnv';
import { startCredentialServer } from '../credentialServer';
import type { CredentialServer } from '../credentialServer';
import { ExecError } from '../exitCodes';

export interface ExecOptions {
  /** Serve refreshed credentials on a loopback endpoint instead of putting keys in the environment. */
  readonly server?: boolean;
}

/**
 * `exec`: runs a command with the profile's credentials. Without `--server` they are in its
 * environment (they last as long as the session); with `--server` it gets
 * AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN instead, and SDKs fetch
 * fresh credentials from us whenever theirs near expiry. Resolves with the child's exit code; rejects
 * with ExecError when the command cannot be started.
 */
export async function exec(context: Context, argv: readonly string[], options: ExecOptions): Promise<number> {
  const { io } = context;
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('exec needs a command'); // commander requires one
  const env: Record<string, string | undefined> = { ...io.env };
  for (const name of SHADOWING_VARIABLES) delete env[name];
  const region = context.clientConfig.region as string | undefined;
  let server: CredentialServer | undefined;
  const provider = context.credentials();
  if (options.server === true) {
    await provider(); // fail now (bad profile, MFA) rather than in the child
    server = await startCredentialServer(provider, (message) =>
      io.stderr.write(`credchain exec: ${context.secrets.scrub(message)}\n`),
    );
    Object.assign(env, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: context.secrets.add(server.token),
      ...(region === undefined ? {} : { AWS_REGION: region, AWS_DEFAULT_REGION: region }),
    });
  } else {
    Object.assign(env, credentialEnv(await provider(), region));
  }
  try {
    return await run(command, args, env, context);
  } finally {
    await server?.stop();
  }
}

function run(
  command: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  context: Context,
): Promise<number> {
  const { io } = context;
  // The real process's streams are inherited (a terminal stays a terminal); a caller's are piped.
  const inherit = io.stdout === process.stdout;
  return new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: inherit ? 'inherit' : 'pipe' });
    if (!inherit) {
      child.stdout?.on('data', (chunk: Buffer) => io.stdout.write(chunk));
      child.stderr?.on('data', (chunk: Buffer) => io.stderr.write(chunk));
      if (child.stdin !== null) {
        io.stdin.pipe(child.stdin);
        child.stdin.on('error', () => undefined); // the child may exit without reading its input
      }
    }
    const stop = () => child.kill('SIGTERM');
    io.signal.addEventListener('abort', stop, { once: true });
    child.once('error', (error: NodeJS.ErrnoException) => {
      io.signal.removeEventListener('abort', stop);
      // Reported by main like every other error: `credchain: ExecError: …`, exit 6.
      reject(new ExecError(`cannot run ${command} (${error.code ?? error.message})`));
    });
    child.once('close', (code, signal) => {
      io.signal.removeEventListener('abort', stop);
      if (!inherit && child.stdin !== null) io.stdin.unpipe(child.stdin);
      resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
    });
  });
}
