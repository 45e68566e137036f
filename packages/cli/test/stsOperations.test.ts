import { PassThrough } from 'node:stream';

import { DEMO_ACCOUNT, DEMO_MEMBER_ACCOUNT } from '@credchain/sts-local';

import { EXIT } from '../src';
import { ALICE_KEY, ALICE_MFA, ALICE_SECRET, MFA_SEED, role, startHarness } from './support/harness';
import type { Harness } from './support/harness';
import { anyString, stringMatching } from './support/matchers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const alice = ['--profile', 'alice'];
const callsOf = (operation: string) => h.server.calls.filter((c) => c.operation === operation);

describe('STS subcommands against sts-local', () => {
  test('get-caller-identity (and its alias whoami) print the verified caller as JSON', async () => {
    for (const command of ['get-caller-identity', 'whoami']) {
      const out = await h.run([command, ...alice]);
      expect(out.code).toBe(EXIT.OK);
      expect(out.json()).toEqual({
        UserId: anyString(),
        Account: DEMO_ACCOUNT,
        Arn: `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`,
      });
    }
    expect(callsOf('GetCallerIdentity').at(-1)).toMatchObject({ accessKeyId: ALICE_KEY, outcome: 'success' });
  });

  test('--output table prints aligned key/value lines', async () => {
    const out = await h.run(['whoami', ...alice, '--output', 'table']);
    expect(out.code).toBe(EXIT.OK);
    expect(out.stdout).toMatch(new RegExp(`^Account\\s+${DEMO_ACCOUNT}$`, 'm'));
    expect(out.stdout).toMatch(/^Arn\s+arn:aws:iam::\d+:user\/alice$/m);
  });

  test('environment keys sign when no profile is named', async () => {
    const out = await h.run(['whoami'], { env: { AWS_ACCESS_KEY_ID: ALICE_KEY, AWS_SECRET_ACCESS_KEY: ALICE_SECRET } });
    expect(out.json()).toMatchObject({ Arn: stringMatching(/user\/alice$/) });
  });

  test('a role profile signs with the role session (role_arn + source_profile)', async () => {
    const out = await h.run(['whoami', '--profile', 'chained']);
    expect(out.code).toBe(EXIT.OK);
    expect(out.json()).toMatchObject({ Arn: stringMatching(/assumed-role\/chained-role\//) });
  });

  test('assume-role prints the whole AssumeRole response', async () => {
    const out = await h.run([
      'assume-role',
      ...alice,
      '--role-arn',
      role('demo-role'),
      '--role-session-name',
      'cli-test',
      '--duration-seconds',
      '900',
    ]);
    expect(out.code).toBe(EXIT.OK);
    const body = out.json<{
      Credentials: { AccessKeyId: string; Expiration: string };
      AssumedRoleUser: { Arn: string };
    }>();
    expect(body.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/cli-test`);
    expect(body.Credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(Date.parse(body.Credentials.Expiration) - h.now()).toBeGreaterThan(800_000);
    expect(Date.parse(body.Credentials.Expiration) - h.now()).toBeLessThanOrEqual(900_000);
    expect(callsOf('AssumeRole').at(-1)?.params).toMatchObject({ DurationSeconds: '900', RoleSessionName: 'cli-test' });
  });

  test('assume-role with --external-id, and without the one the role requires (STS error, exit 3)', async () => {
    const ok = await h.run([
      'assume-role',
      ...alice,
      '--role-arn',
      role('external-id-role'),
      '--external-id',
      'credchain-external-id',
    ]);
    expect(ok.code).toBe(EXIT.OK);
    const denied = await h.run(['assume-role', ...alice, '--role-arn', role('external-id-role')]);
    expect(denied.code).toBe(EXIT.STS);
    expect(denied.stderr).toMatch(/AssumeRole failed: AccessDenied/);
    expect(denied.stdout).toBe('');
  });

  test('assume-role with MFA by --token-code and by --totp-secret-env', async () => {
    h.advance(30_000);
    const code = h.server.totp(ALICE_MFA);
    const byCode = await h.run(
      ['assume-role', ...alice, '--role-arn', role('mfa-role'), '--serial-number', ALICE_MFA, '--token-code', code],
      { secrets: [code] },
    );
    expect(byCode.code).toBe(EXIT.OK);
    h.advance(30_000);
    const byTotp = await h.run(
      [
        'assume-role',
        ...alice,
        '--role-arn',
        role('mfa-role'),
        '--serial-number',
        ALICE_MFA,
        '--totp-secret-env',
        'ALICE_TOTP',
      ],
      {
        env: { ALICE_TOTP: MFA_SEED },
      },
    );
    expect(byTotp.code).toBe(EXIT.OK);
    expect(
      callsOf('AssumeRole')
        .slice(-2)
        .map((c) => c.outcome),
    ).toEqual(['success', 'success']);
  });

  test('MFA failures exit 5: no terminal to prompt, a malformed code, a code STS rejects', async () => {
    const calls = h.server.calls.length;
    const noTty = await h.run(['assume-role', ...alice, '--role-arn', role('mfa-role'), '--serial-number', ALICE_MFA]);
    expect(noTty.code).toBe(EXIT.MFA);
    expect(noTty.stderr).toMatch(/no terminal to ask for an MFA code/);
    const malformed = await h.run([
      'get-session-token',
      ...alice,
      '--serial-number',
      ALICE_MFA,
      '--token-code',
      '12ab56',
    ]);
    expect(malformed.code).toBe(EXIT.MFA);
    expect(malformed.stderr).toMatch(/TokenCode must be 6 digits/);
    expect(h.server.calls.length).toBe(calls); // nothing sent
    h.advance(30_000);
    const wrong = String((Number(h.server.totp(ALICE_MFA)) + 1) % 1_000_000).padStart(6, '0');
    const rejected = await h.run(['get-session-token', ...alice, '--serial-number', ALICE_MFA, '--token-code', wrong], {
      secrets: [wrong],
    });
    expect(rejected.code).toBe(EXIT.MFA);
    expect(rejected.stderr).toMatch(/STS rejected the MFA code/);
  });

  test('on a terminal, the code is asked for on stderr and read from stdin', async () => {
    h.advance(30_000);
    const code = h.server.totp(ALICE_MFA);
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const running = h.run(['whoami', '--profile', 'mfa'], { stdin: tty, secrets: [code] });
    setImmediate(() => tty.write(`${code}\n`));
    const out = await running;
    expect(out.code).toBe(EXIT.OK);
    expect(out.stderr).toBe(`MFA code for ${ALICE_MFA}: `);
    expect(out.json()).toMatchObject({ Arn: stringMatching(/assumed-role\/mfa-role\//) });
  });

  test('--region scopes the signed call', async () => {
    const out = await h.run(['whoami', ...alice, '--region', 'eu-west-1']);
    expect(out.code).toBe(EXIT.OK);
    expect(callsOf('GetCallerIdentity').at(-1)).toMatchObject({ region: 'eu-west-1' });
  });

  test('a profile with mfa_serial prompts; without a terminal it fails clearly (exit 5)', async () => {
    const out = await h.run(['whoami', '--profile', 'mfa']);
    expect(out.code).toBe(EXIT.MFA);
    expect(out.stderr).toMatch(new RegExp(`no terminal to ask for an MFA code for ${ALICE_MFA}`));
  });

  test('get-session-token, plain and with MFA', async () => {
    const plain = await h.run(['get-session-token', ...alice, '--duration-seconds', '900']);
    expect(plain.code).toBe(EXIT.OK);
    expect(plain.json()).toMatchObject({ Credentials: { AccessKeyId: stringMatching(/^ASIA/) } });
    h.advance(30_000);
    const code = h.server.totp(ALICE_MFA);
    const mfa = await h.run(['get-session-token', ...alice, '--serial-number', ALICE_MFA, '--token-code', code], {
      secrets: [code],
    });
    expect(mfa.code).toBe(EXIT.OK);
    expect(callsOf('GetSessionToken').at(-1)?.params).toMatchObject({ SerialNumber: ALICE_MFA });
  });

  test('get-session-token from session credentials is an STS error (exit 3)', async () => {
    const out = await h.run(['get-session-token', '--profile', 'demo']);
    expect(out.code).toBe(EXIT.STS);
    expect(out.stderr).toMatch(/GetSessionToken failed/);
  });

  test('get-federation-token', async () => {
    const out = await h.run([
      'get-federation-token',
      ...alice,
      '--name',
      'carol',
      '--policy-arns',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
    expect(out.code).toBe(EXIT.OK);
    expect(out.json()).toMatchObject({ FederatedUser: { Arn: `arn:aws:sts::${DEMO_ACCOUNT}:federated-user/carol` } });
  });

  test('assume-root from the management account', async () => {
    const out = await h.run([
      'assume-root',
      ...alice,
      '--target-principal',
      DEMO_MEMBER_ACCOUNT,
      '--task-policy-arn',
      'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials',
    ]);
    expect(out.code).toBe(EXIT.OK);
    expect(out.json()).toMatchObject({ Credentials: { AccessKeyId: stringMatching(/^ASIA/) } });
    expect(callsOf('AssumeRoot').at(-1)).toMatchObject({
      outcome: 'success',
      params: { TargetPrincipal: DEMO_MEMBER_ACCOUNT },
    });
  });

  test('assume-role-with-saml, the assertion from a file, unsigned', async () => {
    const { writeFileSync } = await import('node:fs');
    const assertion = h.server.mintSamlAssertion({ roleArn: role('saml-role') });
    const file = `${h.dir}/assertion.b64`;
    writeFileSync(file, assertion);
    const out = await h.run(
      [
        'assume-role-with-saml',
        '--role-arn',
        role('saml-role'),
        '--principal-arn',
        `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`,
        '--saml-assertion-file',
        file,
      ],
      { secrets: [assertion] },
    );
    expect(out.code).toBe(EXIT.OK);
    expect(out.json()).toMatchObject({ AssumedRoleUser: { Arn: stringMatching(/assumed-role\/saml-role\//) } });
    expect(callsOf('AssumeRoleWithSAML').at(-1)).toMatchObject({ accessKeyId: undefined, outcome: 'success' });
  });

  test('assume-role-with-web-identity, the token inline; a forged token is an STS error', async () => {
    const token = await h.server.mintWebIdentityToken({ subject: 'ci-job' });
    const args = [
      'assume-role-with-web-identity',
      '--role-arn',
      role('web-identity-role'),
      '--role-session-name',
      'ci',
    ];
    const out = await h.run([...args, '--web-identity-token', token], { secrets: [token] });
    expect(out.code).toBe(EXIT.OK);
    expect(out.json()).toMatchObject({ SubjectFromWebIdentityToken: 'ci-job' });
    const forged = `${token.slice(0, -4)}AAAA`;
    const bad = await h.run([...args, '--web-identity-token', forged], { secrets: [forged] });
    expect(bad.code).toBe(EXIT.STS);
    expect(bad.stderr).toMatch(/AssumeRoleWithWebIdentity failed: InvalidIdentityToken/);
  });

  test('get-access-key-info and decode-authorization-message', async () => {
    const info = await h.run(['get-access-key-info', ...alice, '--access-key-id', 'AKIABTX3GSDSVLZMXAGT']);
    expect(info.code).toBe(EXIT.OK);
    expect(info.json()).toEqual({ Account: DEMO_ACCOUNT });
    const encoded = h.server.encodeAuthorizationMessage({ allowed: false, context: { action: 's3:GetObject' } });
    const decoded = await h.run(['decode-authorization-message', ...alice, '--encoded-message', encoded]);
    expect(decoded.code).toBe(EXIT.OK);
    expect(JSON.parse(decoded.json<{ DecodedMessage: string }>().DecodedMessage)).toEqual({
      allowed: false,
      context: { action: 's3:GetObject' },
    });
  });
});

describe('bad input: exit 2 before any STS call', () => {
  test.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['whoami', '--frobnicate']],
    ['a missing required option', ['assume-role', '--profile', 'alice']],
    ['an invalid RoleArn', ['assume-role', '--profile', 'alice', '--role-arn', 'not-an-arn']],
    [
      'a DurationSeconds out of range',
      ['assume-role', '--profile', 'alice', '--role-arn', role('demo-role'), '--duration-seconds', '60'],
    ],
    [
      'a DurationSeconds that is not a number',
      ['get-session-token', '--profile', 'alice', '--duration-seconds', 'soon'],
    ],
    ['an invalid --output', ['whoami', '--profile', 'alice', '--output', 'yaml']],
    [
      'both SAML assertion sources missing',
      ['assume-role-with-saml', '--role-arn', role('saml-role'), '--principal-arn', role('saml-role')],
    ],
    [
      'a TOTP variable that is not set',
      ['get-session-token', '--profile', 'alice', '--serial-number', ALICE_MFA, '--totp-secret-env', 'NOPE'],
    ],
    ['a bad --endpoint-url', ['whoami', '--profile', 'alice', '--endpoint-url', 'localhost:1']],
    ['no command at all', []],
  ])('%s', async (_what, argv) => {
    const before = h.server.calls.length;
    const out = await h.run(argv);
    expect(out.code).toBe(EXIT.USAGE);
    expect(out.stderr).not.toBe('');
    expect(out.stdout).toBe('');
    expect(h.server.calls.length).toBe(before);
  });

  test('the InvalidParameterError names the parameter and the rule', async () => {
    const out = await h.run([
      'assume-role',
      '--profile',
      'alice',
      '--role-arn',
      role('demo-role'),
      '--role-session-name',
      'a b',
    ]);
    expect(out.code).toBe(EXIT.USAGE);
    expect(out.stderr).toMatch(/InvalidParameterError: RoleSessionName must match/);
  });
});

describe('credential problems: exit 4', () => {
  test('a profile that does not exist', async () => {
    const out = await h.run(['whoami', '--profile', 'ghost']);
    expect(out.code).toBe(EXIT.CREDENTIALS);
    expect(out.stderr).toMatch(/ghost/);
  });

  test('a source_profile that does not exist', async () => {
    const out = await h.run(['whoami', '--profile', 'dangling']);
    expect(out.code).toBe(EXIT.CREDENTIALS);
    expect(out.stderr).toMatch(/nowhere/);
  });
});

describe('no STS to talk to: exit 1', () => {
  test('a refused connection is a failure, not an STS answer', async () => {
    const out = await h.run(['whoami', '--profile', 'alice', '--endpoint-url', 'http://127.0.0.1:1']);
    expect(out.code).toBe(EXIT.FAILURE);
    expect(out.stderr).toMatch(/ECONNREFUSED/);
  });
});

describe('--help for every command', () => {
  test.each([
    'assume-role',
    'assume-root',
    'assume-role-with-saml',
    'assume-role-with-web-identity',
    'get-session-token',
    'get-federation-token',
    'get-caller-identity',
    'whoami',
    'get-access-key-info',
    'decode-authorization-message',
    'credential-process',
    'export',
    'exec',
  ])('%s --help', async (command) => {
    const out = await h.run([command, '--help']);
    expect(out.code).toBe(EXIT.OK);
    expect(out.stdout).toMatch(/^Usage: credchain /);
    expect(out.stdout).toMatch(/--profile <name>/);
  });

  test('credchain --help lists the commands and the exit codes', async () => {
    const out = await h.run(['--help']);
    expect(out.code).toBe(EXIT.OK);
    expect(out.stdout).toMatch(/get-caller-identity\|whoami/);
    expect(out.stdout).toMatch(/Exit codes:[\s\S]*3 {2}STS answered with an error/);
  });

  test("sts-local --help is sts-local's own usage", async () => {
    const out = await h.run(['sts-local', '--help']);
    expect(out.code).toBe(EXIT.OK);
    expect(out.stdout).toMatch(/Usage: sts-local/);
  });
});
