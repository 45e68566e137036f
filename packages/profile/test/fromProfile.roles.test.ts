import { readFileSync, writeFileSync } from 'node:fs';

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { CredentialEvent } from '@credchain/core';
import { DEMO_ACCOUNT } from '@credchain/sts-local';

import { expectNoSecret, rejectionOf } from '@credchain/testkit';

import { ProfileConfigError, ProfileNotFoundError, fromProfile } from '../src';
import type { FromProfileInit } from '../src';
import {
  ALICE,
  ALICE_MFA,
  aliceTotp,
  ini,
  operations,
  profileDir,
  profileProvider,
  role,
  useStsLocal,
  whoAmI,
} from './helpers';

const { sts, cleanups } = useStsLocal();

const aliceSection = { aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: ALICE.secretAccessKey };

/** fromProfile over temporary files, against sts-local; closed after the test. */
function profileOf(config: string, credentials: string, init: FromProfileInit = {}) {
  return profileProvider(
    config,
    credentials,
    { clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' }, ...init },
    cleanups,
  );
}

describe('static keys', () => {
  it('uses the keys of the credentials file without calling STS', async () => {
    const p = profileOf('', ini({ dev: aliceSection }), { profile: 'dev' });
    const creds = await p();
    expect(creds.accessKeyId).toBe(ALICE.accessKeyId);
    expect(sts.calls).toHaveLength(0);
    expect(await whoAmI(sts, p)).toBe(`arn:aws:iam::${DEMO_ACCOUNT}:user/alice`);
  });

  it('uses keys of the config file, with aws_session_token', async () => {
    const client = new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, credentials: ALICE });
    const out = await client.send(
      new AssumeRoleCommand({ RoleArn: role('demo-role'), RoleSessionName: 'static-token' }),
    );
    client.destroy();
    const c = out.Credentials!;
    const p = profileOf(
      ini({
        'profile tok': {
          aws_access_key_id: c.AccessKeyId!,
          aws_secret_access_key: c.SecretAccessKey!,
          aws_session_token: c.SessionToken!,
        },
      }),
      '',
      { profile: 'tok' },
    );
    expect((await p()).sessionToken).toBe(c.SessionToken);
    expect(await whoAmI(sts, p)).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/static-token`);
  });

  it('refuses partial keys, naming the missing key and never the secret', async () => {
    const p = profileOf('', ini({ half: { aws_access_key_id: ALICE.accessKeyId, aws_session_token: 'tok' } }), {
      profile: 'half',
    });
    const error = await p().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileConfigError);
    expect((error as ProfileConfigError).key).toBe('aws_secret_access_key');
    expect((error as Error).message).toMatch(/"half" in the credentials file has partial credentials/);
    expect((error as Error).message).not.toContain('tok');
  });

  it(
    'prefers keys in the credentials file to credential_process, ' +
      'and credential_process to keys in the config file',
    async () => {
      const echo = (id: string) =>
        `node -e "process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'${id}',SecretAccessKey:'s'}))"`;
      const p1 = profileOf(
        ini({ 'profile a': { credential_process: echo('AKIAPROCESS') } }),
        ini({ a: aliceSection }),
        {
          profile: 'a',
        },
      );
      expect((await p1()).accessKeyId).toBe(ALICE.accessKeyId);
      const p2 = profileOf(ini({ 'profile b': { credential_process: echo('AKIAPROCESS'), ...aliceSection } }), '', {
        profile: 'b',
      });
      expect((await p2()).accessKeyId).toBe('AKIAPROCESS');
    },
  );
});

describe('roles', () => {
  it(
    'assumes role_arn with the keys of source_profile, ' +
      'passing role_session_name, external_id and duration_seconds',
    async () => {
      const events: CredentialEvent[] = [];
      const p = profileOf(
        ini({
          'profile ext': {
            role_arn: role('external-id-role'),
            source_profile: 'base',
            role_session_name: 'deploy-session',
            external_id: 'credchain-external-id',
            duration_seconds: 1800,
          },
        }),
        ini({ base: aliceSection }),
        { profile: 'ext', onEvent: (e) => events.push(e) },
      );
      const creds = await p();
      expect(creds.expiration!.getTime() - Date.now()).toBeGreaterThan(1790_000);
      expect(creds.expiration!.getTime() - Date.now()).toBeLessThanOrEqual(1800_000);
      const call = sts.calls.find((c) => c.operation === 'AssumeRole')!;
      expect(call.accessKeyId).toBe(ALICE.accessKeyId);
      expect(call.params).toMatchObject({
        RoleArn: role('external-id-role'),
        RoleSessionName: 'deploy-session',
        ExternalId: 'credchain-external-id',
        DurationSeconds: '1800',
      });
      expect(await whoAmI(sts, p)).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/external-id-role/deploy-session`);
      expect(events.some((e) => e.type === 'refresh-success')).toBe(true);
    },
  );

  it('follows source_profile recursively and caps a chained role at one hour', async () => {
    const events: CredentialEvent[] = [];
    const p = profileOf(
      ini({
        'profile chained': { role_arn: role('chained-role'), source_profile: 'demo', duration_seconds: 7200 },
        'profile demo': { role_arn: role('demo-role'), source_profile: 'base', duration_seconds: 7200 },
      }),
      ini({ base: aliceSection }),
      { profile: 'chained', onEvent: (e) => events.push(e) },
    );
    const creds = await p();
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`, `AssumeRole ${role('chained-role')}`]);
    // demo-role is assumed with alice's long-term keys: its 7200 s stand.
    expect(sts.calls[0]!.params.DurationSeconds).toBe('7200');
    // chained-role is assumed with demo-role's session: STS allows an hour at most.
    expect(sts.calls[1]!.params.DurationSeconds).toBe('3600');
    expect(creds.expiration!.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'duration-capped', requestedSeconds: 7200, grantedSeconds: 3600 }),
    );
    expect(await whoAmI(sts, p)).toMatch(/assumed-role\/chained-role\//);
  });

  it('lets a profile be its own source_profile when it has keys (they sign its AssumeRole)', async () => {
    const p = profileOf('', ini({ self: { ...aliceSection, role_arn: role('demo-role'), source_profile: 'self' } }), {
      profile: 'self',
    });
    await p();
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`]);
    expect(sts.calls[0]!.accessKeyId).toBe(ALICE.accessKeyId);
  });

  it('reads a source profile with keys as keys even when it also has a role_arn', async () => {
    const p = profileOf(
      ini({ 'profile top': { role_arn: role('demo-role'), source_profile: 'mid' } }),
      ini({ mid: { ...aliceSection, role_arn: role('chained-role'), source_profile: 'mid' } }),
      { profile: 'top' },
    );
    await p();
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`]);
  });

  it('takes values of the credentials file over the config file, key by key', async () => {
    const p = profileOf(
      ini({
        'profile r': { role_arn: role('chained-role'), source_profile: 'base', role_session_name: 'from-config' },
      }),
      ini({ base: aliceSection, r: { role_arn: role('demo-role') } }),
      { profile: 'r' },
    );
    await p();
    expect(sts.calls[0]!.params).toMatchObject({ RoleArn: role('demo-role'), RoleSessionName: 'from-config' });
  });

  it('signs with the environment for credential_source = Environment', async () => {
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = ALICE.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = ALICE.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    try {
      const p = profileOf(
        ini({ 'profile env': { role_arn: role('demo-role'), credential_source: 'Environment' } }),
        '',
        { profile: 'env' },
      );
      await p();
      expect(sts.calls[0]!.accessKeyId).toBe(ALICE.accessKeyId);
    } finally {
      process.env = saved;
    }
  });

  it('refreshes through the providers: refresh() assumes the role again', async () => {
    const p = profileOf(
      ini({ 'profile d': { role_arn: role('demo-role'), source_profile: 'base' } }),
      ini({ base: aliceSection }),
      { profile: 'd' },
    );
    const first = await p();
    expect(await p()).toBe(first);
    const second = await p.refresh();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`, `AssumeRole ${role('demo-role')}`]);
  });
});

describe('configuration errors, before any STS call', () => {
  const cases: Array<[string, Record<string, Record<string, string | number>>, RegExp, string | undefined]> = [
    [
      'a source_profile cycle',
      {
        'profile a': { role_arn: role('demo-role'), source_profile: 'b' },
        'profile b': { role_arn: role('demo-role'), source_profile: 'a' },
      },
      /Infinite loop.*"a" → "b" → "a"/,
      'source_profile',
    ],
    [
      'a profile sourcing itself without keys',
      { 'profile a': { role_arn: role('demo-role'), source_profile: 'a' } },
      /Infinite loop/,
      'source_profile',
    ],
    [
      'a missing source_profile',
      { 'profile a': { role_arn: role('demo-role'), source_profile: 'nope' } },
      /source_profile "nope" of profile "a" does not exist/,
      'source_profile',
    ],
    [
      'both source_profile and credential_source',
      { 'profile a': { role_arn: role('demo-role'), source_profile: 'a', credential_source: 'Environment' } },
      /both source_profile and credential_source/,
      'source_profile',
    ],
    [
      'neither source_profile nor credential_source',
      { 'profile a': { role_arn: role('demo-role') } },
      /neither source_profile nor credential_source/,
      'source_profile',
    ],
    [
      'an unknown credential_source',
      { 'profile a': { role_arn: role('demo-role'), credential_source: 'Bogus' } },
      /"Bogus".*is not valid \(the AWS CLI knows Environment, Ec2InstanceMetadata, EcsContainer\)/,
      'credential_source',
    ],
    [
      'a duration_seconds that is not a number',
      {
        'profile a': { role_arn: role('demo-role'), source_profile: 'b', duration_seconds: '1h' },
        'profile b': { aws_access_key_id: 'AKIAX', aws_secret_access_key: 'x' },
      },
      /duration_seconds.*whole number/,
      'duration_seconds',
    ],
    [
      'web_identity_token_file without role_arn',
      { 'profile a': { web_identity_token_file: '/tmp/t' } },
      /web_identity_token_file but no role_arn/,
      'role_arn',
    ],
    [
      'a source profile without credentials',
      { 'profile a': { role_arn: role('demo-role'), source_profile: 'b' }, 'profile b': { region: 'eu-west-1' } },
      /source profile "b" must have credentials/,
      undefined,
    ],
    ['a profile without credentials', { 'profile a': { region: 'eu-west-1' } }, /"a" has no credentials/, undefined],
    [
      'sts_regional_endpoints of another value',
      { 'profile a': { ...aliceSection, sts_regional_endpoints: 'global' } },
      /sts_regional_endpoints.*"legacy" or "regional"/,
      'sts_regional_endpoints',
    ],
    [
      'an SSO profile whose sso_session names no section',
      { 'profile a': { sso_session: 'corp', sso_account_id: '1', sso_role_name: 'r' } },
      /sso_session "corp" of profile "a" names no \[sso-session corp\] section/,
      'sso_session',
    ],
    [
      'an SSO profile missing keys',
      { 'profile a': { sso_account_id: '1' } },
      /configured for IAM Identity Center \(SSO\) but is missing sso_role_name, sso_start_url, sso_region/,
      'sso_role_name',
    ],
  ];
  it.each(cases)('rejects %s with a ProfileConfigError', async (_name, sections, message, key) => {
    const p = profileOf(ini(sections), '', { profile: 'a' });
    const error = await p().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as ProfileConfigError).key).toBe(key);
    expect((error as ProfileConfigError).profile).toBeDefined();
    expect(sts.calls).toHaveLength(0);
  });

  it('reports a missing profile as "not here" (a chain moves on)', async () => {
    const p = profileOf(ini({ 'profile other': aliceSection }), '', { profile: 'missing' });
    const error = await p().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileNotFoundError);
    expect((error as ProfileNotFoundError).tryNextLink).toBe(true);
    expect((error as Error).message).toContain('"missing"');
  });

  it('reads the files again after a failure, so a fixed file is picked up', async () => {
    const files = profileDir('', '');
    cleanups.push(files.cleanup);
    const p = fromProfile({ profile: 'late', filepath: files.filepath, configFilepath: files.configFilepath });
    await expect(p()).rejects.toBeInstanceOf(ProfileNotFoundError);
    writeFileSync(files.filepath, ini({ late: aliceSection }));
    expect((await p()).accessKeyId).toBe(ALICE.accessKeyId);
  });

  it('checks its options when called', () => {
    expect(() => fromProfile({ cliCache: 3 as never })).toThrow(/cliCache/);
    expect(() => fromProfile({ mfaSession: { durationSeconds: 10 } })).toThrow(/mfaSession.durationSeconds/);
    expect(() => fromProfile({ profile: '' })).toThrow(/profile must be a non-empty string/);
    expect(() => fromProfile({ mfaCodeProvider: 'x' as never })).toThrow(/mfaCodeProvider/);
    expect(() => fromProfile({ roleArn: 'x' } as never)).toThrow(/roleArn is not an option/);
  });
});

describe('environment', () => {
  it('honours AWS_PROFILE, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', async () => {
    const files = profileDir(
      ini({ 'profile envp': { role_arn: role('demo-role'), source_profile: 'base' } }),
      ini({ base: aliceSection }),
    );
    cleanups.push(files.cleanup);
    const saved = { ...process.env };
    process.env.AWS_PROFILE = 'envp';
    process.env.AWS_CONFIG_FILE = files.configFilepath;
    process.env.AWS_SHARED_CREDENTIALS_FILE = files.filepath;
    try {
      const p = fromProfile({ clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' } });
      cleanups.push(() => p.close());
      expect(await whoAmI(sts, p)).toMatch(/assumed-role\/demo-role\//);
    } finally {
      process.env = saved;
    }
  });

  it("signs STS calls for the profile's region, unless AWS_REGION or clientConfig says otherwise", async () => {
    const saved = { ...process.env };
    delete process.env.AWS_REGION;
    try {
      const p = profileOf(
        ini({ 'profile r': { role_arn: role('demo-role'), source_profile: 'base', region: 'eu-west-1' } }),
        ini({ base: aliceSection }),
        {
          profile: 'r',
          clientConfig: { endpoint: sts.endpoint },
        },
      );
      await p();
      expect(sts.calls[0]!.region).toBe('eu-west-1');
      sts.clearCalls();
      process.env.AWS_REGION = 'eu-central-1';
      const q = profileOf(
        ini({ 'profile r': { role_arn: role('demo-role'), source_profile: 'base', region: 'eu-west-1' } }),
        ini({ base: aliceSection }),
        {
          profile: 'r',
          clientConfig: { endpoint: sts.endpoint },
        },
      );
      await q();
      expect(sts.calls[0]!.region).toBe('eu-central-1');
    } finally {
      process.env = saved;
    }
  });

  it('sends to the global endpoint with sts_regional_endpoints = legacy, to the Regional one otherwise', async () => {
    const hostFor = async (value: string | undefined): Promise<string> => {
      const hosts: string[] = [];
      const requestHandler = {
        handle: async (request: { hostname: string }) => {
          hosts.push(request.hostname);
          throw new Error('not sent');
        },
      };
      const section: Record<string, string> = {
        role_arn: role('demo-role'),
        source_profile: 'base',
        region: 'us-west-2',
      };
      if (value !== undefined) section.sts_regional_endpoints = value;
      const files = profileDir(ini({ 'profile g': section }), ini({ base: aliceSection }));
      cleanups.push(files.cleanup);
      const p = fromProfile({
        profile: 'g',
        filepath: files.filepath,
        configFilepath: files.configFilepath,
        clientConfig: { requestHandler: requestHandler as never },
        retry: { retries: 0 },
      });
      await p().catch(() => undefined);
      p.close();
      return hosts[0]!;
    };
    expect(await hostFor('legacy')).toBe('sts.amazonaws.com');
    expect(await hostFor('regional')).toBe('sts.us-west-2.amazonaws.com');
    expect(await hostFor(undefined)).toBe('sts.us-west-2.amazonaws.com');
  });
});

describe('web identity and credential_process', () => {
  it('assumes a role with the token in web_identity_token_file, before any static keys', async () => {
    const token = await sts.mintWebIdentityToken({ subject: 'ci-job', roleArn: role('web-identity-role') });
    const files = profileDir('', '');
    cleanups.push(files.cleanup);
    const tokenFile = `${files.dir}/token`;
    writeFileSync(tokenFile, token);
    const p = profileOf(
      ini({
        'profile w': {
          role_arn: role('web-identity-role'),
          web_identity_token_file: tokenFile,
          role_session_name: 'ci',
          ...aliceSection,
        },
      }),
      '',
      { profile: 'w' },
    );
    await p();
    expect(operations(sts)).toEqual([`AssumeRoleWithWebIdentity ${role('web-identity-role')}`]);
    expect(await whoAmI(sts, p)).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/web-identity-role/ci`);
  });

  it('runs credential_process and refreshes output that carries an Expiration', async () => {
    const files = profileDir('', '');
    cleanups.push(files.cleanup);
    const script = `${files.dir}/creds.js`;
    const counter = `${files.dir}/count`;
    const quoted = JSON.stringify(counter);
    writeFileSync(
      script,
      `const fs=require('fs');const n=fs.existsSync(${quoted})?Number(fs.readFileSync(${quoted},'utf8'))+1:1;` +
        `fs.writeFileSync(${quoted},String(n));` +
        `process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'AKIAPROC'+n,SecretAccessKey:'s',` +
        `SessionToken:'t',Expiration:new Date(Date.now()+3600e3).toISOString()}))`,
    );
    const p = profileOf(ini({ 'profile proc': { credential_process: `node "${script}"` } }), '', { profile: 'proc' });
    const first = await p();
    expect(first.accessKeyId).toBe('AKIAPROC1');
    expect(first.expiration).toBeInstanceOf(Date);
    expect((await p()).accessKeyId).toBe('AKIAPROC1');
    expect((await p.refresh()).accessKeyId).toBe('AKIAPROC2');
  });

  it('keeps credential_process output without an Expiration, running the command once', async () => {
    const files = profileDir('', '');
    cleanups.push(files.cleanup);
    const counter = `${files.dir}/count`;
    const script = `${files.dir}/static.js`;
    writeFileSync(
      script,
      `require('fs').appendFileSync(${JSON.stringify(counter)},'x');` +
        `process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'AKIASTATIC',SecretAccessKey:'s'}))`,
    );
    const p = profileOf(ini({ 'profile s': { credential_process: `node '${script}'` } }), '', { profile: 's' });
    const [a, b] = await Promise.all([p(), p()]);
    expect(a.accessKeyId).toBe('AKIASTATIC');
    expect(a.expiration).toBeUndefined();
    expect(b).toBe(a);
    expect(await p.refresh()).toBe(a);
    expect(readFileSync(counter, 'utf8')).toBe('x');
  });

  it('reports a failing credential_process with its stderr, and a wrong Version', async () => {
    const failing = profileOf(
      ini({
        'profile f': {
          credential_process:
            `node -e "process.stdout.write('AKIASECRETOUT');` +
            `console.error('token expired, log in');process.exit(3)"`,
        },
      }),
      '',
      { profile: 'f' },
    );
    const error = (await failing().catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('CredentialProcessError');
    expect(error.message).toContain('token expired, log in');
    expect(error.message).not.toContain('AKIASECRETOUT');
    const v2 = profileOf(
      ini({ 'profile v': { credential_process: `node -e "console.log(JSON.stringify({Version:2}))"` } }),
      '',
      { profile: 'v' },
    );
    await expect(v2()).rejects.toThrow(/Version 2; supported: 1/);
  });
});

describe('secrets', () => {
  it('shows no secret in errors, providers or debug logs', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (...a: unknown[]) => lines.push(a.join(' ')),
      info: () => {},
      warn: () => {},
      error: () => {},
    };
    const ok = profileOf(
      ini({ 'profile d': { role_arn: role('demo-role'), source_profile: 'base' } }),
      ini({ base: aliceSection }),
      { profile: 'd', logger },
    );
    const creds = await ok();
    expectNoSecret(ok, [ALICE.secretAccessKey, creds.secretAccessKey, creds.sessionToken!]);
    expect(lines.join('\n')).toContain('AssumeRole');
    expectNoSecret(lines.join('\n'), [ALICE.secretAccessKey, creds.secretAccessKey, creds.sessionToken!]);
    const denied = profileOf(
      ini({
        'profile x': { role_arn: role('external-id-role'), source_profile: 'base', external_id: 'wrong-external-id' },
      }),
      ini({ base: aliceSection }),
      { profile: 'x' },
    );
    const error = await rejectionOf(denied());
    expect((error as Error).message).toMatch(/AccessDenied/);
    expectNoSecret(error, [ALICE.secretAccessKey]);
    const partial = profileOf(
      '',
      ini({
        p: {
          aws_secret_access_key: ALICE.secretAccessKey,
          aws_session_token: 'session-token-value',
          aws_access_key_id: ALICE.accessKeyId,
          role_arn: role('demo-role'),
          source_profile: 'nope',
        },
      }),
      { profile: 'p' },
    );
    expectNoSecret(await rejectionOf(partial()), [ALICE.secretAccessKey, 'session-token-value']);
  });
});

describe('MFA', () => {
  // TOTP codes are single use: each test starts in a fresh 30-second step.
  beforeEach(() => sts.advanceTime(60_000));

  it('asks for a code for mfa_serial and sends it with the AssumeRole', async () => {
    const totp = aliceTotp(sts);
    const p = profileOf(
      ini({ 'profile m': { role_arn: role('mfa-role'), source_profile: 'base', mfa_serial: ALICE_MFA } }),
      ini({ base: aliceSection }),
      {
        profile: 'm',
        mfaCodeProvider: totp.provider,
      },
    );
    expect(await whoAmI(sts, p)).toMatch(/assumed-role\/mfa-role\//);
    expect(totp.prompts).toEqual([ALICE_MFA]);
    expect(sts.calls[0]!.params).toMatchObject({ SerialNumber: ALICE_MFA, TokenCode: expect.any(String) as unknown });
  });

  it('requires mfaCodeProvider for a profile with mfa_serial, before any STS call', async () => {
    const p = profileOf(
      ini({ 'profile m': { role_arn: role('mfa-role'), source_profile: 'base', mfa_serial: ALICE_MFA } }),
      ini({ base: aliceSection }),
      { profile: 'm' },
    );
    await expect(p()).rejects.toThrow(/mfaCodeProvider is required: profile "m" sets mfa_serial/);
    expect(sts.calls).toHaveLength(0);
  });

  it(
    'with mfaSession, assumes several roles behind one device from one GetSessionToken ' +
      '(one prompt, full durations)',
    async () => {
      const totp = aliceTotp(sts);
      const config = ini({
        'profile one': {
          role_arn: role('mfa-role'),
          source_profile: 'base',
          mfa_serial: ALICE_MFA,
          duration_seconds: 7200,
        },
        'profile two': {
          role_arn: role('demo-role'),
          source_profile: 'base',
          mfa_serial: ALICE_MFA,
          role_session_name: 'two',
        },
        'profile three': { role_arn: role('chained-role'), source_profile: 'two' },
      });
      const credentials = ini({ base: aliceSection });
      const init = { mfaCodeProvider: totp.provider, mfaSession: { durationSeconds: 43200 } };
      const one = profileOf(config, credentials, { ...init, profile: 'one' });
      const two = profileOf(config, credentials, { ...init, profile: 'two' });
      const three = profileOf(config, credentials, { ...init, profile: 'three' });
      const [a, b, c] = await Promise.all([one(), two(), three()]);
      expect(totp.prompts).toEqual([ALICE_MFA]);
      expect(operations(sts).filter((o) => o === 'GetSessionToken')).toHaveLength(1);
      expect(sts.calls.find((x) => x.operation === 'GetSessionToken')!.params).toMatchObject({
        SerialNumber: ALICE_MFA,
        DurationSeconds: '43200',
      });
      // Assumed from a user session, not a role session: 7200 s stand.
      expect(a.expiration!.getTime() - Date.now()).toBeGreaterThan(7000_000);
      const assumed = sts.calls.filter((x) => x.operation === 'AssumeRole');
      expect(assumed.map((x) => x.params.RoleArn).sort()).toEqual(
        [role('chained-role'), role('demo-role'), role('demo-role'), role('mfa-role')].sort(),
      );
      expect(assumed.every((x) => x.params.SerialNumber === undefined)).toBe(true);
      expect(await whoAmI(sts, async () => a)).toMatch(/assumed-role\/mfa-role\//);
      expect(await whoAmI(sts, async () => b)).toMatch(/assumed-role\/demo-role\/two$/);
      expect(await whoAmI(sts, async () => c)).toMatch(/assumed-role\/chained-role\//);
    },
  );
});
