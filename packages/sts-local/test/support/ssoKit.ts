import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromSSO } from '@aws-sdk/credential-provider-sso';
import { SSOClient } from '@aws-sdk/nested-clients/sso';
import { SSOOIDCClient } from '@aws-sdk/nested-clients/sso-oidc';
import { DEMO_ACCOUNT, DEMO_SSO_START_URL, startStsLocal, type StsLocal, type StsLocalSso } from '../../src';
import type { Keys } from './stsKit';

export const ADMIN_SET = 'AdministratorAccess';
export const ADMIN_ROLE = 'AWSReservedSSO_AdministratorAccess_a1b2c3d4e5f60718';
export const READ_ONLY_SET = 'ReadOnlyAccess';
export const READ_ONLY_ROLE = 'AWSReservedSSO_ReadOnlyAccess_1f2e3d4c5b6a7980';
export const aliceAdminArn = `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/${ADMIN_ROLE}/alice`;

/** The server's SSO endpoint; the test fails here if it was started without one. */
export function ssoOf(sts: StsLocal): StsLocalSso {
  if (sts.sso === undefined) throw new Error('sts-local was started without sso');
  return sts.sso;
}

/** A temporary HOME, see {@link useTempHome}. */
export type TempHome = ReturnType<typeof useTempHome>;

/**
 * A temporary HOME for one test: `process.env.HOME` points at it (the SDK reads the token cache
 * from there) until `restore()`, which also deletes it.
 */
export function useTempHome(): { readonly home: string; readonly configFile: string; restore(): void } {
  const home = mkdtempSync(join(tmpdir(), 'sts-local-sso-'));
  mkdirSync(join(home, '.aws'));
  const before = process.env.HOME;
  process.env.HOME = home;
  return {
    home,
    configFile: join(home, '.aws', 'config'),
    restore() {
      if (before === undefined) delete process.env.HOME;
      else process.env.HOME = before;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A config file with one `sso_session` profile and its `[sso-session]` section. */
export function writeSessionProfile(
  configFile: string,
  init: { profile: string; session: string; account?: string; role?: string },
): void {
  writeFileSync(
    configFile,
    [
      `[profile ${init.profile}]`,
      `sso_session = ${init.session}`,
      `sso_account_id = ${init.account ?? DEMO_ACCOUNT}`,
      `sso_role_name = ${init.role ?? ADMIN_SET}`,
      'region = us-east-1',
      '',
      `[sso-session ${init.session}]`,
      `sso_start_url = ${DEMO_SSO_START_URL}`,
      'sso_region = us-east-1',
      'sso_registration_scopes = sso:account:access',
      '',
    ].join('\n'),
  );
}

/** A config file with one legacy profile: `sso_start_url` and `sso_region` in the profile itself. */
export function writeLegacyProfile(
  configFile: string,
  init: { profile: string; account?: string; role?: string },
): void {
  writeFileSync(
    configFile,
    [
      `[profile ${init.profile}]`,
      `sso_start_url = ${DEMO_SSO_START_URL}`,
      'sso_region = us-east-1',
      `sso_account_id = ${init.account ?? DEMO_ACCOUNT}`,
      `sso_role_name = ${init.role ?? ADMIN_SET}`,
      '',
    ].join('\n'),
  );
}

/** The SDK's own SSO credential provider for `profile`, its portal and OIDC clients aimed at sts-local. */
export function sdkFromSso(sso: StsLocalSso, configFile: string, profile: string): () => Promise<Keys> {
  return fromSSO({
    profile,
    configFilepath: configFile,
    filepath: join(configFile, '..', 'credentials'),
    ignoreCache: true,
    clientConfig: { endpoint: sso.endpoint, maxAttempts: 1 },
  });
}

/** A cache file's fields. */
export function readCache(path: string): Record<string, string> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
}

/** The SDK's SSO OIDC client, as `@aws-sdk/token-providers` builds it, aimed at sts-local. */
export const oidcClient = (sso: StsLocalSso): SSOOIDCClient =>
  new SSOOIDCClient({ endpoint: sso.endpoint, region: sso.region, maxAttempts: 1 });

/** The SDK's SSO portal client, as `fromSSO` builds it, aimed at sts-local. */
export const portalClient = (sso: StsLocalSso): SSOClient =>
  new SSOClient({ endpoint: sso.endpoint, region: sso.region, maxAttempts: 1 });

/**
 * One sts-local with sso for a test file; before each test a fresh temporary HOME and an empty call
 * log, after it real timers again.
 */
export function useSsoSuite(): { readonly sts: StsLocal; readonly temp: TempHome; operations(): string[] } {
  let sts: StsLocal | undefined;
  let temp: TempHome | undefined;
  beforeAll(async () => {
    sts = await startStsLocal({ sso: true });
  });
  afterAll(() => sts?.stop());
  beforeEach(() => {
    temp = useTempHome();
    sts?.clearCalls();
  });
  afterEach(() => {
    jest.useRealTimers();
    temp?.restore();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('used outside a test');
    return value;
  };
  return {
    get sts() {
      return started(sts);
    },
    get temp() {
      return started(temp);
    },
    /** The log as `operation status-or-error`, oldest first. */
    operations: () => started(sts).calls.map((c) => `${c.operation ?? '?'} ${c.errorCode ?? c.status}`),
  };
}
