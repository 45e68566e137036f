import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fromAssumeRole } from '@credchain/assume-role';
import { expectNoSecret, observe, rejectionOf, until } from '@credchain/testkit';
import { callerArn, callsOf, localConfig, roleArn, useStsLocal } from '@credchain/testkit/sts-local';
import { DEMO_ACCOUNT } from '@credchain/sts-local';

import { CredentialSourceError, fromSso, ssoFetch } from '../src';
import type { FromSsoInit } from '../src';

// fromSso against sts-local's IAM Identity Center endpoint (portal and OIDC on one origin), through
// the SDK's real fromSSO and token refresh, with the cache file `aws sso login` would leave, written by
// sts-local into a temporary HOME. The role credentials then sign a real STSClient's calls.

const MINUTE = 60_000;
const ADMIN_ROLE = 'AWSReservedSSO_AdministratorAccess_a1b2c3d4e5f60718';
const ALICE_SSO_ARN = `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/${ADMIN_ROLE}/alice`;
let day = 0;
const sts = useStsLocal({ per: 'test', sso: true, fakeNow: () => Date.UTC(2026, 4, 1 + day++, 8) });
const sso = () => sts().sso!;

let home: string;
let savedHome: string | undefined;
let configFilepath: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'credchain-sources-sso-'));
  savedHome = process.env.HOME;
  // The SDK finds ~/.aws/sso/cache through HOME.
  process.env.HOME = home;
  configFilepath = join(home, 'config');
  writeFileSync(
    configFilepath,
    [
      '[profile dev]',
      'sso_session = demo',
      `sso_account_id = ${DEMO_ACCOUNT}`,
      'sso_role_name = AdministratorAccess',
      '[profile legacy]',
      `sso_start_url = ${sso().startUrl}`,
      `sso_region = ${sso().region}`,
      `sso_account_id = ${DEMO_ACCOUNT}`,
      'sso_role_name = AdministratorAccess',
      '[profile keys]',
      'region = us-east-1',
      '[sso-session demo]',
      `sso_start_url = ${sso().startUrl}`,
      `sso_region = ${sso().region}`,
      '',
    ].join('\n'),
  );
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.HOME;
  else process.env.HOME = savedHome;
  rmSync(home, { recursive: true, force: true });
});

function dev(init: FromSsoInit = {}) {
  return fromSso({
    profile: 'dev',
    configFilepath,
    filepath: join(home, 'credentials'),
    clientConfig: { endpoint: sso().endpoint },
    ...init,
  });
}

describe('role credentials from IAM Identity Center', () => {
  test("an sso-session profile: they sign a real GetCallerIdentity as the permission set's role", async () => {
    sso().writeTokenCache({ home, sessionName: 'demo' });
    using provider = dev();
    const credentials = await provider();
    expect(credentials.origin).toBe('role-session');
    expect(await callerArn(sts(), provider)).toBe(ALICE_SSO_ARN);
    expect(callsOf(sts(), 'sso:GetRoleCredentials')).toHaveLength(1);
  });

  test('a legacy sso_start_url profile', async () => {
    sso().writeTokenCache({ home });
    using provider = dev({ profile: 'legacy' });
    expect(await callerArn(sts(), provider)).toBe(ALICE_SSO_ARN);
  });

  test('the fields given in the options, with the profile that names the sso-session', async () => {
    sso().writeTokenCache({ home, sessionName: 'demo' });
    using provider = dev({
      ssoSession: 'demo',
      ssoStartUrl: sso().startUrl,
      ssoRegion: sso().region,
      ssoAccountId: DEMO_ACCOUNT,
      ssoRoleName: 'AdministratorAccess',
    });
    expect(await callerArn(sts(), provider)).toBe(ALICE_SSO_ARN);
  });

  test('an AssumeRole from them is role chaining, capped at one hour, end to end', async () => {
    sso().writeTokenCache({ home, sessionName: 'demo' });
    const seen = observe();
    using source = dev();
    using role = fromAssumeRole({
      params: { RoleArn: roleArn('demo-role'), RoleSessionName: 'from-sso', DurationSeconds: 7200 },
      sourceCredentials: source,
      clientConfig: localConfig(sts()),
      onEvent: seen.onEvent,
    });
    expect((await role()).expiration.getTime() - Date.now()).toBe(3_600_000);
    expect(callsOf(sts(), 'AssumeRole')[0]).toMatchObject({ outcome: 'success', callerArn: ALICE_SSO_ARN });
  });

  test('3 hours of signed calls: role credentials renewed in the background, the token through SSO OIDC', async () => {
    sso().writeTokenCache({ home, sessionName: 'demo' });
    const seen = observe();
    using provider = dev({ onEvent: seen.onEvent });
    for (let minute = 0; minute < 180; minute++) {
      expect(await callerArn(sts(), provider)).toBe(ALICE_SSO_ARN);
      await jest.advanceTimersByTimeAsync(MINUTE);
      await until(seen.settled);
    }
    expect(callsOf(sts(), 'sso:GetRoleCredentials').length).toBeGreaterThanOrEqual(3);
    expect(callsOf(sts(), 'sso-oidc:CreateToken').length).toBeGreaterThanOrEqual(1);
    expect(seen.events.filter((e) => e.type === 'refresh-failure' || e.type === 'served-stale')).toEqual([]);
    expect(seen.events.flatMap((e) => (e.type === 'refresh-start' ? [e.reason] : []))).not.toContain('mandatory');
  });
});

describe('failures are CredentialSourceErrors naming the source and saying what to do', () => {
  test('a malformed token cache file: named, its content never shown', async () => {
    const path = sso().writeTokenCache({ home, sessionName: 'demo' });
    const leaked = 'aoaAAAAAGcanarySsoAccessToken0123456789';
    writeFileSync(path, `{"accessToken": "${leaked}", "expiresAt": `);
    const seen = observe();
    const error = await rejectionOf(dev({ logger: seen.logger, onEvent: seen.onEvent })());
    expect(error).toBeInstanceOf(CredentialSourceError);
    expect(error).toMatchObject({ source: 'sso', tryNextLink: false });
    expect((error as Error).message).toBe(
      `sso: the SSO token cache file ${path} is malformed (not valid JSON); run \`aws sso login\` to sign in again`,
    );
    expectNoSecret([error, seen.lines, seen.events], [leaked]);
  });

  test('no cached token', async () => {
    const error = await rejectionOf(dev()());
    expect((error as Error).message).toMatch(
      /^sso: no SSO token cached for demo \(.* does not exist\); run `aws sso login`/,
    );
  });

  test('a revoked sign-in: the portal refuses the token', async () => {
    const tokens = sso().login({ sessionName: 'demo' });
    sso().writeTokenCache({ home, tokens });
    sso().revoke(tokens.accessToken);
    const error = await rejectionOf(dev()());
    expect((error as Error).message).toMatch(
      /^sso: IAM Identity Center refused the access token \(UnauthorizedException\)/,
    );
    expectNoSecret(error, [tokens.accessToken, tokens.refreshToken!, tokens.clientSecret]);
  });

  test('a role the user is not given', async () => {
    sso().writeTokenCache({ home, sessionName: 'demo' });
    const error = await rejectionOf(
      dev({
        profile: 'dev',
        ssoSession: 'demo',
        ssoStartUrl: sso().startUrl,
        ssoRegion: 'us-east-1',
        ssoAccountId: '444455556666',
        ssoRoleName: 'AdministratorAccess',
      })(),
    );
    expect(error).toMatchObject({ source: 'sso', tryNextLink: false });
  });

  test('a profile that is not an SSO profile: not configured here, tryNextLink', async () => {
    const error = await rejectionOf(dev({ profile: 'keys' })());
    expect(error).toMatchObject({ source: 'sso', tryNextLink: true });
    expect(sts().calls).toEqual([]);
  });

  test.each<[string, FromSsoInit]>([
    ['ssoRegion', { ssoStartUrl: 'https://x.awsapps.com/start', ssoAccountId: DEMO_ACCOUNT, ssoRoleName: 'R' }],
    ['ssoAccountId', { ssoStartUrl: 'u', ssoAccountId: '12', ssoRoleName: 'R', ssoRegion: 'us-east-1' }],
    ['profile', { profile: '' }],
    ['clientConfig', JSON.parse('{ "clientConfig": "http://x" }') as FromSsoInit],
    ['refresh.mandatoryWindowMs', { refresh: { mandatoryWindowMs: -1 } }],
  ])('names %s when it is wrong, at creation', (parameter, init) => {
    expect(() => fromSso(init)).toThrow(expect.objectContaining({ parameter }) as Error);
  });
});

test('ssoFetch: GetRoleCredentials per call, for an engine of its own', async () => {
  sso().writeTokenCache({ home, sessionName: 'demo' });
  const fetch = ssoFetch({ profile: 'dev', configFilepath, clientConfig: { endpoint: sso().endpoint } });
  await fetch({ reason: 'initial', previous: undefined });
  await fetch({ reason: 'forced', previous: undefined });
  expect(callsOf(sts(), 'sso:GetRoleCredentials')).toHaveLength(2);
});
