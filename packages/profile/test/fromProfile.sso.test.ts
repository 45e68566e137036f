/**
 * IAM Identity Center profiles, as the AWS CLI v2 resolves them: `sso_session` profiles (the
 * session's token refreshed through SSO OIDC) and legacy `sso_start_url` ones, alone and as the
 * source_profile of roles, against sts-local's SSO portal and OIDC endpoint. The token cache is the
 * file `aws sso login` leaves, written by sts-local in a temporary HOME.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEMO_ACCOUNT, startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';

import { ProfileConfigError } from '../src';
import type { FromProfileInit } from '../src';
import { ini, profileProvider, role, whoAmI } from './helpers';

let sts: StsLocal;
let home: string;
let savedHome: string | undefined;
beforeAll(async () => {
  sts = await startStsLocal({ sso: true });
});
afterAll(() => sts.stop());

const cleanups: Array<() => void> = [];
beforeEach(() => {
  sts.clearCalls();
  savedHome = process.env.HOME;
  // The SDK reads ~/.aws/sso/cache from HOME.
  home = mkdtempSync(join(tmpdir(), 'credchain-sso-home-'));
  process.env.HOME = home;
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.HOME;
  else process.env.HOME = savedHome;
  for (const c of cleanups.splice(0)) c();
  rmSync(home, { recursive: true, force: true });
});

const SSO_ROLE = /^arn:aws:sts::111122223333:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/alice$/;
const assignment = { sso_account_id: DEMO_ACCOUNT, sso_role_name: 'AdministratorAccess' };
const sessionSection = () => ({ sso_start_url: sts.sso!.startUrl, sso_region: sts.sso!.region });

function profileOf(config: string, init: FromProfileInit) {
  return profileProvider(
    config,
    '',
    {
      clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
      ssoClientConfig: { endpoint: sts.sso!.endpoint },
      ...init,
    },
    cleanups,
  );
}

/** The endpoints and operations sts-local answered, in order. */
const calls = (): string[] => sts.calls.map((c) => c.operation ?? c.endpoint);

describe('sso_session profiles', () => {
  it('get the role credentials of the permission set with the cached token', async () => {
    sts.sso!.writeTokenCache({ home, sessionName: 'corp' });
    const p = profileOf(
      ini({ 'profile dev': { sso_session: 'corp', ...assignment }, 'sso-session corp': sessionSection() }),
      {
        profile: 'dev',
      },
    );
    expect(await whoAmI(sts, p)).toMatch(SSO_ROLE);
    expect(calls()).toEqual(['sso:GetRoleCredentials', 'GetCallerIdentity']);
  });

  it('serve as source_profile of a role, and of a chain of roles', async () => {
    sts.sso!.writeTokenCache({ home, sessionName: 'corp' });
    const config = ini({
      'profile chained': { role_arn: role('chained-role'), source_profile: 'admin' },
      'profile admin': { role_arn: role('demo-role'), source_profile: 'dev', role_session_name: 'from-sso' },
      'profile dev': { sso_session: 'corp', ...assignment },
      'sso-session corp': sessionSection(),
    });
    const admin = profileOf(config, { profile: 'admin' });
    expect(await whoAmI(sts, admin)).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/from-sso`);
    const assume = sts.calls.find((c) => c.operation === 'AssumeRole')!;
    expect(assume.callerArn).toMatch(SSO_ROLE);
    sts.clearCalls();
    const chained = profileOf(config, { profile: 'chained' });
    expect(await whoAmI(sts, chained)).toMatch(/assumed-role\/chained-role\//);
    expect(calls()).toEqual(['sso:GetRoleCredentials', 'AssumeRole', 'AssumeRole', 'GetCallerIdentity']);
  });

  it('cap a role assumed from them at an hour, or refuse it under strictDuration before any call', async () => {
    sts.sso!.writeTokenCache({ home, sessionName: 'corp' });
    const config = ini({
      'profile admin': { role_arn: role('demo-role'), source_profile: 'dev', duration_seconds: 7200 },
      'profile dev': { sso_session: 'corp', ...assignment },
      'sso-session corp': sessionSection(),
    });
    await profileOf(config, { profile: 'admin' })();
    expect(sts.calls.find((c) => c.operation === 'AssumeRole')!.params.DurationSeconds).toBe('3600');
    sts.clearCalls();
    const strict = profileOf(config, { profile: 'admin', strictDuration: true });
    const error = (await strict().catch((e: unknown) => e)) as ProfileConfigError;
    expect(error).toBeInstanceOf(ProfileConfigError);
    expect(error.message).toMatch(/exceeds the 1-hour .*its source is IAM Identity Center role AdministratorAccess/);
    expect(sts.calls).toHaveLength(0);
  });

  it('say to sign in again when there is no cached token, naming the source', async () => {
    const p = profileOf(
      ini({ 'profile dev': { sso_session: 'corp', ...assignment }, 'sso-session corp': sessionSection() }),
      {
        profile: 'dev',
      },
    );
    const error = (await p().catch((e: unknown) => e)) as Error & { source?: string };
    expect(error.name).toBe('CredentialSourceError');
    expect(error.source).toBe('sso');
    expect(error.message).toMatch(/aws sso login/);
    expect(sts.calls).toHaveLength(0);
  });
});

describe('legacy sso_start_url profiles', () => {
  it('get the role credentials with the token cached for the start URL', async () => {
    sts.sso!.writeTokenCache({ home });
    const p = profileOf(ini({ 'profile old': { ...sessionSection(), ...assignment } }), { profile: 'old' });
    expect(await whoAmI(sts, p)).toMatch(SSO_ROLE);
    expect(calls()).toEqual(['sso:GetRoleCredentials', 'GetCallerIdentity']);
  });
});

describe('key names in capitals', () => {
  it('reads a legacy profile written in capitals, as the AWS CLI does', async () => {
    sts.sso!.writeTokenCache({ home });
    const config =
      `[profile old]\nSSO_START_URL = ${sts.sso!.startUrl}\nSSO_REGION = ${sts.sso!.region}\n` +
      `SSO_ACCOUNT_ID = ${DEMO_ACCOUNT}\nSSO_ROLE_NAME = AdministratorAccess\n`;
    expect(await whoAmI(sts, profileOf(config, { profile: 'old' }))).toMatch(SSO_ROLE);
  });

  it('asks for sso_session in lower case, which the token refresh reads, before any call', async () => {
    sts.sso!.writeTokenCache({ home, sessionName: 'corp' });
    const config =
      `[profile dev]\nSSO_SESSION = corp\nsso_account_id = ${DEMO_ACCOUNT}\nsso_role_name = AdministratorAccess\n` +
      ini({ 'sso-session corp': sessionSection() });
    const error = (await profileOf(config, { profile: 'dev' })().catch((e: unknown) => e)) as ProfileConfigError;
    expect(error).toBeInstanceOf(ProfileConfigError);
    expect(error.key).toBe('SSO_SESSION');
    expect(error.message).toMatch(/writes SSO_SESSION in capitals, for an sso-session: write it in lower case/);
    expect(sts.calls).toHaveLength(0);
  });
});
