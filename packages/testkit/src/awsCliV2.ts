import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The AWS CLI v2 as an independent judge: Debian's `awscli` package (2.9.19 on bookworm), always
// called by its path, /usr/bin/aws — the `aws` first on a PATH is often another one (pip's v1).
//
// 2.9.19 has no endpoint override a profile or the environment can set (no AWS_ENDPOINT_URL*, no
// endpoint_url, no SSO portal override), so it is pointed at sts-local through its data path:
// botocore loads each client's endpoint rule set (`<service>/<api-version>/endpoint-rule-set-1.json`)
// from the directories in AWS_DATA_PATH before its built-in data. awsCliV2Home writes there a copy of
// the CLI's own rule sets for sts, sso and sso-oidc with every endpoint URL replaced by sts-local's,
// so the CLI keeps its own logic (region from the credential scope; the global endpoint, signed for
// us-east-1, when no region is configured; FIPS and dual-stack errors), only the host changes.

/** Where Debian's package installs the AWS CLI v2. */
export const AWS_CLI_V2_PATH = '/usr/bin/aws';
/** What reportPeerMissing names when the judge is absent. */
export const AWS_CLI_V2_PEER = 'the AWS CLI v2 (Debian package awscli, /usr/bin/aws)';

/** The installed AWS CLI v2. */
export interface AwsCliV2 {
  /** The executable, /usr/bin/aws. */
  readonly path: string;
  /** Its version line, `aws-cli/2.9.19 Python/3.11.2 …`. */
  readonly version: string;
  /** botocore's built-in data directory (`…/awscli/botocore/data`), where the rule sets to copy are. */
  readonly builtinData: string;
}

let found: AwsCliV2 | null | undefined;

/** The AWS CLI v2 at /usr/bin/aws, or undefined when it is missing or is not version 2 (looked up once). */
export function awsCliV2(): AwsCliV2 | undefined {
  if (found === undefined) found = lookUp() ?? null;
  return found ?? undefined;
}

function lookUp(): AwsCliV2 | undefined {
  if (!existsSync(AWS_CLI_V2_PATH)) return undefined;
  const env = { PATH: '/usr/bin:/bin', HOME: tmpdir() };
  const run = spawnSync(AWS_CLI_V2_PATH, ['--version'], { encoding: 'utf8', env });
  const version = `${run.stdout}${run.stderr}`.trim();
  if (run.status !== 0 || !version.startsWith('aws-cli/2.')) return undefined;
  // The interpreter of its #! line imports the package the executable runs.
  const interpreter = /^#!\s*(\S+)/.exec(readFileSync(AWS_CLI_V2_PATH, 'utf8'))?.[1];
  if (interpreter === undefined) return undefined;
  const where = spawnSync(interpreter, ['-c', 'import awscli.botocore as b, os; print(os.path.dirname(b.__file__))'], {
    encoding: 'utf8',
    env,
  });
  const builtinData = join(where.stdout.trim(), 'data');
  if (where.status !== 0 || !existsSync(join(builtinData, 'sts'))) return undefined;
  return { path: AWS_CLI_V2_PATH, version, builtinData };
}

/** Where the CLI's clients are sent; every URL is `http://127.0.0.1:PORT` (no trailing slash). */
export interface AwsCliV2Endpoints {
  /** STS's Regional endpoint (sts-local's `endpoint`). */
  readonly sts: string;
  /** STS's global endpoint (sts-local's `globalEndpoint`); the CLI uses it when no region is set. @default sts */
  readonly stsGlobal?: string;
  /** The IAM Identity Center portal (GetRoleCredentials). @default not redirected */
  readonly sso?: string;
  /** SSO OIDC (CreateToken). @default not redirected */
  readonly ssoOidc?: string;
}

/** What awsCliV2Home writes and sets. */
export interface AwsCliV2HomeOptions extends AwsCliV2Endpoints {
  /** Text of the shared config file (`$HOME/.aws/config`). @default empty */
  readonly config?: string;
  /** Text of the shared credentials file (`$HOME/.aws/credentials`). @default empty */
  readonly credentials?: string;
  /**
   * More environment for every run (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_EC2_METADATA_SERVICE_ENDPOINT, …).
   * Nothing of the test process's environment reaches the CLI but PATH.
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** One finished run of the CLI. */
export interface AwsCliV2Run {
  /** Exit status (null when killed by a signal). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A private HOME for the CLI, its shared files, and the data path aimed at sts-local. */
export interface AwsCliV2Home {
  /** The temporary directory, HOME of every run. */
  readonly home: string;
  readonly configFile: string;
  readonly credentialsFile: string;
  /** The AWS_DATA_PATH directory holding the rewritten endpoint rule sets. */
  readonly dataPath: string;
  /** The whole environment of a run (without per-run additions). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Runs `/usr/bin/aws …args`, asynchronously (sts-local answers from the test's own process). The
   * CLI runs in a session of its own, without a controlling terminal, so a prompt (an MFA code) reads
   * `input` from stdin. `timeoutMs` is a hang guard, not a timing assumption.
   */
  run(
    args: readonly string[],
    options?: { input?: string; env?: Readonly<Record<string, string>>; timeoutMs?: number },
  ): Promise<AwsCliV2Run>;
  /** Removes the directory. */
  cleanup(): void;
}

/** The services whose rule sets are rewritten, and the option that names each one's endpoint. */
const SERVICES = [
  ['sts', 'sts'],
  ['sso', 'sso'],
  ['sso-oidc', 'ssoOidc'],
] as const;

/**
 * Writes into `dataPath` the CLI's endpoint rule sets for the services given, every endpoint URL
 * replaced: STS's global URL (`https://sts.amazonaws.com`) by `stsGlobal`, every other by the
 * service's endpoint. Templates referring to a parameter (`{Endpoint}`, from --endpoint-url) stay.
 */
export function writeAwsCliV2DataPath(cli: AwsCliV2, dataPath: string, endpoints: AwsCliV2Endpoints): void {
  for (const [service, option] of SERVICES) {
    const endpoint = endpoints[option];
    if (endpoint === undefined) continue;
    const serviceDir = join(cli.builtinData, service);
    for (const version of readdirSync(serviceDir)) {
      const source = join(serviceDir, version, 'endpoint-rule-set-1.json');
      if (!existsSync(source)) continue;
      const ruleSet = JSON.parse(readFileSync(source, 'utf8')) as unknown;
      const global = endpoints.stsGlobal ?? endpoints.sts;
      rewriteUrls(ruleSet, (url) => (url === 'https://sts.amazonaws.com' ? global : endpoint));
      const target = join(dataPath, service, version, 'endpoint-rule-set-1.json');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, JSON.stringify(ruleSet));
    }
  }
}

/** Replaces in place the `url` of every `{ type: 'endpoint', endpoint: { url } }` rule whose url is text. */
function rewriteUrls(node: unknown, replace: (url: string) => string): void {
  if (Array.isArray(node)) {
    for (const child of node) rewriteUrls(child, replace);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const rule = node as { type?: unknown; endpoint?: { url?: unknown } };
  if (rule.type === 'endpoint' && typeof rule.endpoint?.url === 'string' && !rule.endpoint.url.startsWith('{')) {
    rule.endpoint.url = replace(rule.endpoint.url);
  }
  for (const child of Object.values(node)) rewriteUrls(child, replace);
}

/**
 * A temporary HOME for the AWS CLI v2 with `.aws/config` and `.aws/credentials`, and an environment
 * that sends its STS (and, when given, SSO portal and OIDC) clients to sts-local. Its other
 * networked defaults are off: no instance metadata (unless `env` sets an IMDS endpoint), no pager.
 */
export function awsCliV2Home(cli: AwsCliV2, options: AwsCliV2HomeOptions): AwsCliV2Home {
  const home = mkdtempSync(join(tmpdir(), 'credchain-awscli-'));
  const aws = join(home, '.aws');
  const dataPath = join(home, 'data');
  mkdirSync(aws, { recursive: true });
  const configFile = join(aws, 'config');
  const credentialsFile = join(aws, 'credentials');
  writeFileSync(configFile, options.config ?? '');
  writeFileSync(credentialsFile, options.credentials ?? '');
  writeAwsCliV2DataPath(cli, dataPath, options);
  const env = cliEnv(
    {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_DATA_PATH: dataPath,
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    options.env,
  );
  return {
    home,
    configFile,
    credentialsFile,
    dataPath,
    env,
    run: (args, runOptions = {}) => runCli(cli.path, args, cliEnv(env, runOptions.env), runOptions),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** `base` with `more` over it; instance metadata is back on when `more` names an IMDS endpoint (and does not say). */
function cliEnv(base: Record<string, string>, more: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env = { ...base, ...more };
  if (more.AWS_EC2_METADATA_SERVICE_ENDPOINT !== undefined && more.AWS_EC2_METADATA_DISABLED === undefined) {
    delete env.AWS_EC2_METADATA_DISABLED;
  }
  return env;
}

function runCli(
  path: string,
  args: readonly string[],
  env: Record<string, string>,
  options: { input?: string; timeoutMs?: number },
): Promise<AwsCliV2Run> {
  return new Promise((resolve, reject) => {
    // detached: setsid, so the CLI has no controlling terminal and getpass reads stdin, not /dev/tty.
    const child = spawn(path, args, { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const guard = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(guard);
      resolve({ status, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // the CLI may exit without reading its input
    child.stdin.end(options.input ?? '');
  });
}
