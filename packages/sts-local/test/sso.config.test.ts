import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEMO_ACCOUNT,
  DEMO_MEMBER_ACCOUNT,
  DEMO_SSO_START_URL,
  demoConfig,
  startStsLocal,
  type IdentityCenterConfig,
  type StsLocalConfig,
} from '../src';
import { checkConfig } from '../src/config/checkConfig';
import { ADMIN_ROLE, ssoOf, useTempHome } from './support/ssoKit';
import { withServer } from './support/stsKit';
import { useFakeTimers } from '@credchain/testkit';

const center = demoConfig.identityCenter as IdentityCenterConfig;
const withCenter = (change: Partial<IdentityCenterConfig>, roles = demoConfig.roles): StsLocalConfig => ({
  ...demoConfig,
  roles,
  identityCenter: { ...center, ...change },
});

describe('config.identityCenter', () => {
  test('the demo config has an instance whose permission sets map to roles in two accounts, and it passes', () => {
    expect(() => checkConfig(demoConfig)).not.toThrow();
    expect(center).toMatchObject({ startUrl: DEMO_SSO_START_URL, region: 'us-east-1' });
    expect(center.assignments).toEqual(
      expect.arrayContaining([
        { userName: 'alice', account: DEMO_ACCOUNT, permissionSet: 'AdministratorAccess' },
        { userName: 'alice', account: DEMO_MEMBER_ACCOUNT, permissionSet: 'ReadOnlyAccess' },
      ]),
    );
  });

  test.each<[string, StsLocalConfig, string]>([
    [
      'an assignment of an unknown user',
      withCenter({
        assignments: [{ userName: 'mallory', account: DEMO_ACCOUNT, permissionSet: 'AdministratorAccess' }],
      }),
      'config.identityCenter.assignments[0].userName names mallory, which is not in identityCenter.users',
    ],
    [
      'an assignment of an unknown permission set',
      withCenter({ assignments: [{ userName: 'alice', account: DEMO_ACCOUNT, permissionSet: 'PowerUser' }] }),
      'config.identityCenter.assignments[0].permissionSet names PowerUser, ' +
        'which is not in identityCenter.permissionSets',
    ],
    [
      'an assignment in an account without the provisioned role',
      withCenter({
        assignments: [{ userName: 'alice', account: DEMO_MEMBER_ACCOUNT, permissionSet: 'AdministratorAccess' }],
      }),
      'config.identityCenter.assignments[0] assigns permission set AdministratorAccess in account 444455556666, ' +
        'which needs exactly one role AWSReservedSSO_AdministratorAccess_<16 hex digits> in that account in ' +
        'config.roles (found 0)',
    ],
    [
      'a permission set longer than its role allows',
      withCenter(
        { permissionSets: [{ name: 'AdministratorAccess', sessionDurationSeconds: 7200 }, { name: 'ReadOnlyAccess' }] },
        (demoConfig.roles ?? []).map((r) => (r.name === ADMIN_ROLE ? { ...r, maxSessionDuration: 3600 } : r)),
      ),
      'config.identityCenter.assignments[0] assigns permission set AdministratorAccess, whose ' +
        'sessionDurationSeconds (7200) exceeds the maxSessionDuration (3600) of its role in account 111122223333',
    ],
    [
      'a start URL that is not https',
      withCenter({ startUrl: 'http://x' }),
      'config.identityCenter.startUrl must be an https:// URL',
    ],
    [
      'a user name that cannot name a role session',
      withCenter({ users: [{ userName: 'alice smith' }] }),
      'config.identityCenter.users[0].userName must match',
    ],
    [
      'a session duration past 12 hours',
      withCenter({ permissionSets: [{ name: 'AdministratorAccess', sessionDurationSeconds: 50000 }] }),
      'config.identityCenter.permissionSets[0].sessionDurationSeconds must be an integer from 3600 to 43200',
    ],
  ])('refuses %s, naming the field', (_, config, message) => {
    expect(() => checkConfig(config)).toThrow(message);
  });

  test('sso is off by default; asked for without an instance, startStsLocal says what is missing', async () => {
    await withServer({}, async (sts) => {
      expect(sts.sso).toBeUndefined();
      expect(JSON.stringify(sts)).not.toContain('sso');
    });
    const { identityCenter: _, ...without } = demoConfig;
    await expect(startStsLocal({ config: without, sso: true })).rejects.toThrow(
      'sso needs config.identityCenter, the IAM Identity Center instance it serves',
    );
  });
});

describe('sts.sso.writeTokenCache', () => {
  let temp: ReturnType<typeof useTempHome>;
  beforeEach(() => {
    temp = useTempHome();
    useFakeTimers(Date.UTC(2026, 11, 6, 12, 0, 0, 250));
  });
  afterEach(() => {
    jest.useRealTimers();
    temp.restore();
  });

  test('writes the file `aws sso login` writes for an sso-session: its name, fields, order and format', async () => {
    await withServer({ sso: true }, async (sts) => {
      const sso = ssoOf(sts);
      const tokens = sso.login({ sessionName: 'my-sso' });
      const path = sso.writeTokenCache({ home: temp.home, tokens });

      const sha1 = createHash('sha1').update('my-sso').digest('hex');
      expect(path).toBe(join(temp.home, '.aws', 'sso', 'cache', `${sha1}.json`));
      const seconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
      expect(readFileSync(path, 'utf8')).toBe(
        `{"startUrl": "${DEMO_SSO_START_URL}", "region": "us-east-1", "accessToken": "${tokens.accessToken}", ` +
          `"expiresAt": "${seconds(tokens.expiresAt)}", "clientId": "${tokens.clientId}", ` +
          `"clientSecret": "${tokens.clientSecret}", ` +
          `"registrationExpiresAt": "${seconds(tokens.registrationExpiresAt)}", ` +
          `"refreshToken": "${tokens.refreshToken ?? ''}"}`,
      );
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(tokens.expiresAt - sts.now()).toBe(3600_000);
      expect(Math.round((tokens.registrationExpiresAt - sts.now()) / 86_400_000)).toBe(90);
    });
  });

  test('a legacy sign-in: cached under the start URL, no refresh token, valid for the 8-hour sign-in', async () => {
    await withServer({ sso: true }, async (sts) => {
      const path = ssoOf(sts).writeTokenCache({ home: temp.home, startUrl: DEMO_SSO_START_URL });
      const cached = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;

      expect(path).toContain(createHash('sha1').update(DEMO_SSO_START_URL).digest('hex'));
      expect(Object.keys(cached)).toEqual([
        'startUrl',
        'region',
        'accessToken',
        'expiresAt',
        'clientId',
        'clientSecret',
        'registrationExpiresAt',
      ]);
      expect(Date.parse(cached.expiresAt ?? '') - sts.now()).toBeGreaterThan(8 * 3600_000 - 1000);
    });
  });

  test('checks its options, naming the one that is wrong', async () => {
    await withServer({ sso: true }, async (sts) => {
      const sso = ssoOf(sts);
      expect(() => sso.login({ user: 'mallory' })).toThrow(
        'sso.login: user mallory is not in config.identityCenter.users',
      );
      expect(() => sso.login({ startUrl: 'https://other.awsapps.com/start' })).toThrow('sso.login: startUrl must be');
      expect(() => sso.login({ accessTokenTtlMs: 0 })).toThrow('sso.login: accessTokenTtlMs must be a positive');
      expect(() => sso.writeTokenCache({ home: '' })).toThrow('sso.writeTokenCache: home must be');
      expect(() => sso.revoke('not-a-token')).toThrow('sso.revoke: not a token this server issued');
    });
  });
});
