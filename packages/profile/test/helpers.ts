import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { totpCodeProvider } from '@credchain/core';
import type { MfaCodeProvider } from '@credchain/core';
import { DEMO_ACCOUNT, demoConfig, startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

import { fromProfile } from '../src';
import type { CliCacheEntry, FromProfileInit, ProfileCredentialProvider } from '../src';

const alice = demoConfig.users!.find((u) => u.name === 'alice')!;
/** alice's demo keys (published demo values). */
export const ALICE = {
  accessKeyId: alice.accessKeys![0]!.accessKeyId,
  secretAccessKey: alice.accessKeys![0]!.secretAccessKey,
};
export const ALICE_MFA = alice.mfaDevices![0]!.serialNumber;
export const role = (name: string): string => `arn:aws:iam::${DEMO_ACCOUNT}:role/${name}`;

/** alice's TOTP device as a code provider, counting the prompts. */
export function aliceTotp(sts: StsLocal): { readonly provider: MfaCodeProvider; readonly prompts: string[] } {
  // The server's clock, which tests move forward so that every test has fresh codes.
  const totp = totpCodeProvider({ secret: alice.mfaDevices![0]!.secretBase32, clock: { now: () => sts.now() } });
  const prompts: string[] = [];
  const provider: MfaCodeProvider = async (serial, context) => {
    prompts.push(serial);
    return totp(serial, context);
  };
  Object.assign(provider, totp); // keep the TOTP marker, so the coordinator waits for a fresh step
  for (const sym of Object.getOwnPropertySymbols(totp)) {
    (provider as unknown as Record<symbol, unknown>)[sym] = (totp as unknown as Record<symbol, unknown>)[sym];
  }
  return { provider, prompts };
}

/** A temporary directory with `config` and `credentials` files, removed by `cleanup`. */
export function profileDir(
  config: string,
  credentials = '',
): {
  readonly dir: string;
  readonly configFilepath: string;
  readonly filepath: string;
  readonly cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'credchain-profile-'));
  const configFilepath = join(dir, 'config');
  const filepath = join(dir, 'credentials');
  writeFileSync(configFilepath, config);
  writeFileSync(filepath, credentials);
  return { dir, configFilepath, filepath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** fromProfile over temporary files; `cleanups` closes it and removes the files. */
export function profileProvider(
  config: string,
  credentials: string,
  init: FromProfileInit,
  cleanups: Array<() => void>,
): ProfileCredentialProvider {
  const files = profileDir(config, credentials);
  const provider = fromProfile({ filepath: files.filepath, configFilepath: files.configFilepath, ...init });
  cleanups.push(() => provider.close(), files.cleanup);
  return provider;
}

/** An AWS CLI cache file, parsed (typed as an entry: the tests check what it holds). */
export function readCacheEntry(path: string): CliCacheEntry {
  return JSON.parse(readFileSync(path, 'utf8')) as CliCacheEntry;
}

/** The caller's ARN, asked of sts-local with the given credentials (sts-local verifies the signature). */
export async function whoAmI(sts: StsLocal, credentials: AwsCredentialIdentityProvider): Promise<string | undefined> {
  const client = new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, credentials });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

/** The STS operations sts-local answered, oldest first, as `Operation RoleArn?`. */
export function operations(sts: StsLocal): string[] {
  return sts.calls.map((c) => [c.operation, c.params.RoleArn].filter(Boolean).join(' '));
}

/** `[profile x]` sections of a config file from an object. */
export function ini(sections: Record<string, Record<string, string | number>>): string {
  return Object.entries(sections)
    .map(
      ([name, keys]) =>
        `[${name}]\n${Object.entries(keys)
          .map(([k, v]) => `${k} = ${v}`)
          .join('\n')}\n`,
    )
    .join('\n');
}

/**
 * One sts-local for a test file (`sts` forwards to it once started), its call log cleared before
 * each test, plus a list of clean-ups run after each test (providers to close, directories to remove).
 */
export function useStsLocal(): { readonly sts: StsLocal; readonly cleanups: Array<() => void> } {
  let server: StsLocal | undefined;
  const cleanups: Array<() => void> = [];
  beforeAll(async () => {
    server = await startStsLocal();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(() => server!.clearCalls());
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const sts = new Proxy({} as StsLocal, {
    get: (_target, key) => {
      const value: unknown = Reflect.get(server!, key);
      return typeof value === 'function' ? (value.bind(server) as unknown) : value;
    },
  });
  return { sts, cleanups };
}
