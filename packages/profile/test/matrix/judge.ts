import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, startStsLocal } from '@credchain/sts-local';
import type { StsCall, StsLocal } from '@credchain/sts-local';
import { awsCliV2Home } from '@credchain/testkit';
import type { AwsCliV2 } from '@credchain/testkit';
import type { AwsCredentialIdentity } from '@smithy/types';

import { fromProfile } from '../../src';
import type { FromProfileInit } from '../../src';
import type { Row, Sections } from './rows';

// Runs one row of the matrix on both sides against one fresh sts-local, and describes what each side
// did in the same words: its outcome (success and the caller's ARN, or which failure) and the STS
// calls sts-local answered for it (operation, region, the parameters that matter, the answer).
//
// Normalised, because the two name them differently by design and no user sets them: a session name
// the profile does not set (the AWS CLI: botocore-session-<s>, credchain: credchain-<ms>) reads
// <default>. Not compared: the endpoint's host (the CLI takes the global endpoint when no region is
// configured, credchain is given sts-local's Regional one; both sign for us-east-1, which is compared).

/** What one side did. */
export interface Side {
  /** `ok`, or the failure: `sts:<Operation>:<Code>`, `config:<what>`, `process:failed`, or the raw text. */
  readonly outcome: string;
  /** The caller's ARN (GetCallerIdentity with the resolved credentials), on success. */
  readonly arn?: string;
  /** The STS calls sts-local answered for this side, in order, described by {@link describeCall}. */
  readonly calls: readonly string[];
  /**
   * The requests to sts-local's instance metadata and container endpoints, as a set (`imds:credentials ok`):
   * how many token PUTs and retries each client makes is its own business, what it asked for is compared.
   */
  readonly sources?: readonly string[];
}

const STS_ENDPOINTS = new Set(['regional', 'global']);

/** The side's STS calls and its source requests, from sts-local's log. */
function logOf(sts: StsLocal): Pick<Side, 'calls' | 'sources'> {
  const calls = sts.calls.filter((c) => STS_ENDPOINTS.has(c.endpoint)).map(describeCall);
  const sources = [
    ...new Set(
      sts.calls
        .filter((c) => !STS_ENDPOINTS.has(c.endpoint))
        .map((c) => `${c.operation ?? c.endpoint} ${c.outcome === 'success' ? 'ok' : (c.errorCode ?? c.outcome)}`),
    ),
  ].sort();
  return { calls, ...(sources.length === 0 ? {} : { sources }) };
}

const ROLE_PREFIX = `arn:aws:iam::${DEMO_ACCOUNT}:role/`;
/** Session names each side picks when the profile sets none. */
const DEFAULT_SESSION = /^(botocore-session-\d+|credchain-\d+)$/;
const PARAMS = ['RoleArn', 'RoleSessionName', 'ExternalId', 'DurationSeconds', 'SerialNumber', 'TokenCode'];

/** `AssumeRole@us-east-1 RoleArn=demo-role RoleSessionName=<default> ok`: one call as both sides are compared. */
export function describeCall(call: StsCall): string {
  const words = [`${call.operation ?? '?'}@${call.region ?? '?'}`];
  for (const key of PARAMS) {
    let value = call.params[key];
    if (value === undefined) continue;
    if (key === 'RoleArn') value = value.replace(ROLE_PREFIX, '');
    if (key === 'RoleSessionName' && DEFAULT_SESSION.test(value)) value = '<default>';
    words.push(`${key}=${value}`);
  }
  words.push(call.outcome === 'success' ? 'ok' : (call.errorCode ?? call.outcome));
  return words.join(' ');
}

/** The ARN with a default session name read as <default> (see above). */
function normaliseArn(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const at = arn.lastIndexOf('/');
  return arn.includes(':assumed-role/') && DEFAULT_SESSION.test(arn.slice(at + 1))
    ? `${arn.slice(0, at)}/<default>`
    : arn;
}

/** The AWS CLI's words for a failure, by its message on stderr. */
const CLI_FAILURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/Infinite loop in credential configuration detected/, 'config:cycle'],
  [/The source_profile "[^"]*" referenced in the profile "[^"]*" does not exist/, 'config:missing-source'],
  [/The config profile \([^)]*\) could not be found/, 'config:profile-not-found'],
  [/contains both source_profile and credential_source/, 'config:both-sources'],
  [/missing: source_profile or credential_source/, 'config:no-source'],
  [/The credential source "[^"]*" referenced in profile "[^"]*" is not valid/, 'config:invalid-credential-source'],
  [/The source profile "[^"]*" must have credentials/, 'config:source-without-credentials'],
  [/Unable to locate credentials/, 'config:no-credentials'],
  [/Partial credentials found in/, 'config:partial-credentials'],
  [/Error when retrieving credentials from custom-process/, 'process:failed'],
  // aws/aws-cli#7496: 2.9.x builds a source profile's SSO provider without the sso-session token provider.
  [/'NoneType' object has no attribute 'get_frozen_token'/, 'cli-bug:aws-cli#7496'],
];

/** credchain's errors in the same words (its message for each, see resolvePlan). */
const CREDCHAIN_FAILURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/Infinite loop in profile configuration/, 'config:cycle'],
  [/The source_profile "[^"]*" of profile "[^"]*" does not exist/, 'config:missing-source'],
  [/is in neither the config nor the credentials file/, 'config:profile-not-found'],
  [/contains both source_profile and credential_source/, 'config:both-sources'],
  [/sets role_arn but neither source_profile nor credential_source/, 'config:no-source'],
  [/The credential_source "[^"]*" of profile "[^"]*" is not valid/, 'config:invalid-credential-source'],
  [/The source profile "[^"]*" must have credentials/, 'config:source-without-credentials'],
  [/has no credentials/, 'config:no-credentials'],
  [/has partial credentials/, 'config:partial-credentials'],
  [
    /exceeds the 1-hour \(3600 s\) limit STS sets for a role assumed with role-session credentials/,
    'config:chained-duration',
  ],
];

/** An STS error code without its `Exception` suffix, as credchain's StsError names codes (the wire has both). */
const withoutException = (code: string): string => code.replace(/Exception$/, '');

function cliOutcome(status: number | null, stderr: string): string {
  const sts = /An error occurred \((\w+)\) when calling the (\w+) operation/.exec(stderr);
  if (sts !== null) return `sts:${sts[2]!}:${withoutException(sts[1]!)}`;
  for (const [pattern, outcome] of CLI_FAILURES) if (pattern.test(stderr)) return outcome;
  return `cli exited ${String(status)}: ${stderr.trim()}`;
}

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly operation?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
}

function credchainOutcome(error: unknown, operation?: string): string {
  // An engine error may carry the STS error as its cause: the first StsError (or SDK service error) wins.
  for (let e = error as ErrorLike | undefined, depth = 0; e !== undefined && depth < 5; depth++) {
    if (e.name === 'StsError' && typeof e.operation === 'string' && typeof e.code === 'string') {
      return `sts:${e.operation}:${withoutException(e.code)}`;
    }
    if (operation !== undefined && typeof e.name === 'string' && '$metadata' in e) {
      return `sts:${operation}:${withoutException(e.name)}`;
    }
    e = e.cause as ErrorLike | undefined;
  }
  const text = `${String((error as ErrorLike).name)}: ${String((error as ErrorLike).message)}`;
  if (/CredentialProcessError/.test(text)) return 'process:failed';
  for (const [pattern, outcome] of CREDCHAIN_FAILURES) if (pattern.test(text)) return outcome;
  return text;
}

/** Text of a shared file: raw text as given, or `[section]`s from an object; `{dir}` is the row's directory. */
function fileText(sections: Sections | string | undefined, dir: string): string {
  if (sections === undefined) return '';
  const text =
    typeof sections === 'string'
      ? sections
      : Object.entries(sections)
          .map(
            ([name, keys]) =>
              `[${name}]\n${Object.entries(keys)
                .map(([k, v]) => `${k} = ${String(v)}\n`)
                .join('')}`,
          )
          .join('\n');
  return text.replaceAll('{dir}', dir).replaceAll('{node}', process.execPath);
}

/** The environment a row sets, with `{dir}` replaced, and that of the sts-local sources it names. */
function rowEnv(row: Row, dir: string, sts: StsLocal): Record<string, string> {
  const env = Object.fromEntries(Object.entries(row.env ?? {}).map(([k, v]) => [k, v.replaceAll('{dir}', dir)]));
  if (row.sources?.includes('imds') === true) Object.assign(env, sts.imds!.env);
  if (row.sources?.includes('container') === true) Object.assign(env, sts.container!.env);
  return env;
}

/** Both sides of one row; `cli` is undefined when the AWS CLI v2 is missing. */
export interface Judged {
  readonly cli: Side | undefined;
  readonly credchain: Side;
}

/**
 * Runs `row` against a fresh sts-local: first the AWS CLI v2 (`aws sts get-caller-identity --profile`),
 * then credchain (`fromProfile`, then GetCallerIdentity signed by what it resolved, through an
 * STSClient of its own, in the region the AWS CLI resolves for the command), sts-local's log cleared
 * between them. Both read the same files; the CLI's cache (~/.aws/cli/cache) is in its private HOME,
 * which credchain does not read. A row with `mfa` gives each side a code of alice's device; the
 * server's clock moves one minute between the sides, so that the second code is not the first's.
 */
export async function judge(row: Row, cli: AwsCliV2 | undefined): Promise<Judged> {
  const sts = await startStsLocal({ imds: true, container: true, sso: true });
  const sso = sts.sso!.endpoint;
  const endpoints = { sts: sts.endpoint, stsGlobal: sts.globalEndpoint, sso, ssoOidc: sso };
  const home = cli === undefined ? undefined : awsCliV2Home(cli, endpoints);
  const dir = home?.home ?? mkdtempSync(join(tmpdir(), 'credchain-matrix-'));
  try {
    const configFile = join(dir, 'config');
    const credentialsFile = join(dir, 'credentials');
    writeFileSync(configFile, fileText(row.config, dir));
    writeFileSync(credentialsFile, fileText(row.credentials, dir));
    await writeRowFiles(row, sts, dir);
    const env = { ...rowEnv(row, dir, sts), AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile };

    let cliSide: Side | undefined;
    if (home !== undefined) {
      const input = row.mfa === true ? `${sts.totp(ALICE_SERIAL)}\n` : '';
      const run = await home.run(['sts', 'get-caller-identity', '--profile', row.profile, '--output', 'json'], {
        env,
        input,
      });
      cliSide = {
        outcome: run.status === 0 ? 'ok' : cliOutcome(run.status, run.stderr),
        ...(run.status === 0 ? { arn: normaliseArn((JSON.parse(run.stdout) as { Arn: string }).Arn)! } : {}),
        ...logOf(sts),
      };
      sts.clearCalls();
      if (row.mfa === true) sts.advanceTime(60_000);
    }
    const credchainSide = await resolveWithCredchain(row, sts, {
      ...rowEnv(row, dir, sts),
      HOME: dir,
      configFile,
      credentialsFile,
    });
    return { cli: cliSide, credchain: credchainSide };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sts.stop();
  }
}

/** alice's MFA device (the demo config's only one). */
export const ALICE_SERIAL = `arn:aws:iam::${DEMO_ACCOUNT}:mfa/alice`;

/**
 * Files a row's profiles point at: a web identity token (`{dir}/token`), a credential process
 * (`{dir}/process.js`), the SSO token cache `aws sso login` leaves (`{dir}/.aws/sso/cache`, `{dir}` being HOME).
 */
async function writeRowFiles(row: Row, sts: StsLocal, dir: string): Promise<void> {
  if (row.webIdentity !== undefined) {
    writeFileSync(join(dir, 'token'), await sts.mintWebIdentityToken(row.webIdentity));
  }
  if (row.ssoLogin !== undefined) sts.sso!.writeTokenCache({ home: dir, ...row.ssoLogin });
  if (row.processOutput !== undefined) {
    const script = `process.stdout.write(${JSON.stringify(JSON.stringify(row.processOutput))});\n`;
    writeFileSync(join(dir, 'process.js'), script);
  }
}

/**
 * credchain's side: `fromProfile` with the row's environment as process.env (it reads AWS_REGION and
 * the environment keys of `credential_source = Environment` there, and the SSO cache under HOME, the
 * row's directory), every other AWS_* variable of this process hidden, and STS and the SSO portal at
 * sts-local. Then GetCallerIdentity with what it resolved.
 */
async function resolveWithCredchain(
  row: Row,
  sts: StsLocal,
  files: Record<string, string> & { configFile: string; credentialsFile: string },
): Promise<Side> {
  const { configFile, credentialsFile, ...env } = files;
  const saved = Object.entries(process.env).filter(([k]) => k.startsWith('AWS_') || k in env);
  for (const [k] of saved) delete process.env[k];
  Object.assign(process.env, env);
  let credentials: AwsCredentialIdentity;
  let close = (): void => undefined;
  try {
    const provider = fromProfile({
      profile: row.profile,
      filepath: credentialsFile,
      configFilepath: configFile,
      clientConfig: { endpoint: sts.endpoint },
      mfaCodeProvider: async (serial) => sts.totp(serial),
      // Only where a row signs in: fromProfile learns this option with SSO profiles (issue 11).
      ...(row.ssoLogin === undefined ? {} : { ssoClientConfig: { endpoint: sts.sso!.endpoint } }),
      ...(row.fromProfile as Partial<FromProfileInit> | undefined),
    });
    close = () => provider.close();
    credentials = await provider();
  } catch (error) {
    return { outcome: credchainOutcome(error), ...logOf(sts) };
  } finally {
    close();
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, Object.fromEntries(saved));
  }
  const client = new STSClient({
    region: row.region ?? 'us-east-1',
    endpoint: sts.endpoint,
    credentials,
    maxAttempts: 1,
  });
  try {
    const { Arn } = await client.send(new GetCallerIdentityCommand({}));
    return { outcome: 'ok', arn: normaliseArn(Arn)!, ...logOf(sts) };
  } catch (error) {
    return { outcome: credchainOutcome(error, 'GetCallerIdentity'), ...logOf(sts) };
  } finally {
    client.destroy();
  }
}
