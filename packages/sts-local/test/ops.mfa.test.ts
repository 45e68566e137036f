import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, REDACTED, type StsLocal, type StsLocalConfig } from '../src';
import { ALICE_MFA, asIdentity, demoUserKeys, expectStsError, roleArn, stsClient, withStsLocal } from './helpers/ops';

const INVALID_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code.';
const UNKNOWN_DEVICE =
  'MultiFactorAuthentication failed, unable to validate MFA code.  ' +
  'Please verify your MFA serial number is valid and associated with this user.';
const STEP = 30_000;

/** A server frozen in the middle of a TOTP step, so a code cannot roll over mid-test. */
const frozen = <T>(body: (s: StsLocal) => Promise<T>, config?: StsLocalConfig): Promise<T> => {
  const mid = Math.floor(Date.now() / STEP) * STEP + STEP / 2;
  return withStsLocal({ clock: { now: () => mid }, ...(config === undefined ? {} : { config }) }, body);
};
const sessionWithMfa = (s: StsLocal, code: string, serial = ALICE_MFA, keys = demoUserKeys('alice')) =>
  stsClient(s.endpoint, keys).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code }));
const assumeMfaRole = (
  s: StsLocal,
  input: { SerialNumber?: string; TokenCode?: string },
  keys = demoUserKeys('alice'),
) =>
  stsClient(s.endpoint, keys).send(
    new AssumeRoleCommand({ RoleArn: roleArn('mfa-role'), RoleSessionName: 'mfa-session', ...input }),
  );
/** A six-digit code that is none of the accepted window's codes. */
const wrongCode = (s: StsLocal): string => {
  const window = new Set([-STEP, 0, STEP].map((d) => s.totp(ALICE_MFA, s.now() + d)));
  let n = 123456;
  while (window.has(String(n))) n++;
  return String(n);
};

describe('MFA codes (RFC 6238, 30 s steps, ±1 step)', () => {
  test('GetSessionToken with the current code gives an MFA session that satisfies an MFA-required role', () =>
    frozen(async (s) => {
      const out = await sessionWithMfa(s, s.totp(ALICE_MFA));
      const session = stsClient(s.endpoint, asIdentity(out.Credentials));
      expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe(
        `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`,
      );
      const role = await session.send(
        new AssumeRoleCommand({ RoleArn: roleArn('mfa-role'), RoleSessionName: 'via-session' }),
      );
      expect(role.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/mfa-role/via-session`);
    }));

  test('a GetSessionToken session without MFA does not satisfy it', () =>
    frozen(async (s) => {
      const out = await stsClient(s.endpoint, demoUserKeys('alice')).send(new GetSessionTokenCommand({}));
      await expectStsError(
        stsClient(s.endpoint, asIdentity(out.Credentials)).send(
          new AssumeRoleCommand({ RoleArn: roleArn('mfa-role'), RoleSessionName: 'no-mfa' }),
        ),
        'AccessDenied',
        403,
        `User: arn:aws:iam::${DEMO_ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole ` +
          `on resource: ${roleArn('mfa-role')}`,
      );
    }));

  test('AssumeRole with SerialNumber and the current TokenCode assumes the MFA-required role', () =>
    frozen(async (s) => {
      const out = await assumeMfaRole(s, { SerialNumber: ALICE_MFA, TokenCode: s.totp(ALICE_MFA) });
      expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/mfa-role/mfa-session`);
    }));

  test('the previous and the next step are accepted', () =>
    frozen(async (s) => {
      await expect(sessionWithMfa(s, s.totp(ALICE_MFA, s.now() - STEP))).resolves.toHaveProperty('Credentials');
      await expect(sessionWithMfa(s, s.totp(ALICE_MFA, s.now() + STEP))).resolves.toHaveProperty('Credentials');
    }));

  test('two steps away is refused with STS message', () =>
    frozen(async (s) => {
      await expectStsError(sessionWithMfa(s, s.totp(ALICE_MFA, s.now() - 2 * STEP)), 'AccessDenied', 403, INVALID_CODE);
      await expectStsError(sessionWithMfa(s, s.totp(ALICE_MFA, s.now() + 2 * STEP)), 'AccessDenied', 403, INVALID_CODE);
    }));

  test('a wrong code → AccessDenied, and the code appears neither in the answer nor in the call log', () =>
    frozen(async (s) => {
      const code = wrongCode(s);
      await expectStsError(
        assumeMfaRole(s, { SerialNumber: ALICE_MFA, TokenCode: code }),
        'AccessDenied',
        403,
        INVALID_CODE,
      );
      const call = s.calls.at(-1);
      expect(call?.params['TokenCode']).toBe(REDACTED);
      expect(JSON.stringify(call)).not.toContain(code);
    }));

  test('a code already accepted for the device is refused, also by another operation', () =>
    frozen(async (s) => {
      const code = s.totp(ALICE_MFA);
      await expect(sessionWithMfa(s, code)).resolves.toHaveProperty('Credentials');
      await expectStsError(sessionWithMfa(s, code), 'AccessDenied', 403, INVALID_CODE);
      await expectStsError(
        assumeMfaRole(s, { SerialNumber: ALICE_MFA, TokenCode: code }),
        'AccessDenied',
        403,
        INVALID_CODE,
      );
      // The next step's code is a different code and still good.
      await expect(sessionWithMfa(s, s.totp(ALICE_MFA, s.now() + STEP))).resolves.toHaveProperty('Credentials');
    }));

  test('after 30 s of server time the next code is accepted, the used one still refused', () =>
    withStsLocal({}, async (s) => {
      const code = s.totp(ALICE_MFA);
      await sessionWithMfa(s, code);
      // Move the client's clock with the server's so SigV4 skew stays small.
      const later = (ms: number) => stsClient(s.endpoint, demoUserKeys('alice'), { systemClockOffset: ms });
      s.advanceTime(STEP);
      await expectStsError(
        later(STEP).send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: code })),
        'AccessDenied',
        403,
        INVALID_CODE,
      );
      const next = s.totp(ALICE_MFA);
      if (next !== code) {
        await expect(
          later(STEP).send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: next })),
        ).resolves.toHaveProperty('Credentials');
      }
      s.advanceTime(3 * STEP);
      await expectStsError(
        later(4 * STEP).send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: code })),
        'AccessDenied',
        403,
        INVALID_CODE,
      );
    }));

  test("a device that does not exist or is not the caller's → AccessDenied", () =>
    frozen(async (s) => {
      await expectStsError(
        sessionWithMfa(s, '123456', `arn:aws:iam::${DEMO_ACCOUNT}:mfa/nobody`),
        'AccessDenied',
        403,
        UNKNOWN_DEVICE,
      );
      await expectStsError(
        sessionWithMfa(s, s.totp(ALICE_MFA), ALICE_MFA, demoUserKeys('bob')),
        'AccessDenied',
        403,
        UNKNOWN_DEVICE,
      );
    }));

  test('SerialNumber without TokenCode → AccessDenied', () =>
    frozen(async (s) => {
      await expectStsError(
        assumeMfaRole(s, { SerialNumber: ALICE_MFA }),
        'AccessDenied',
        403,
        /^MultiFactorAuthentication failed/,
      );
    }));

  test('used codes are remembered per device', () => {
    const secretBase32 = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const config: StsLocalConfig = {
      accounts: [{ id: '123456789012' }],
      users: ['u1', 'u2'].map((name, i) => ({
        account: '123456789012',
        name,
        accessKeys: [{ accessKeyId: `AKIAMFAUSER0000000${i}1`, secretAccessKey: `mfa-user-secret-${name}-0000000` }],
        mfaDevices: [{ serialNumber: `arn:aws:iam::123456789012:mfa/${name}`, secretBase32 }],
      })),
    };
    return frozen(async (s) => {
      const keys = (i: number) => ({
        accessKeyId: `AKIAMFAUSER0000000${i}1`,
        secretAccessKey: `mfa-user-secret-u${i + 1}-0000000`,
      });
      // Both devices share a seed, so they show the same code: each may use it once.
      const code = s.totp('arn:aws:iam::123456789012:mfa/u1');
      expect(s.totp('arn:aws:iam::123456789012:mfa/u2')).toBe(code);
      await expect(sessionWithMfa(s, code, 'arn:aws:iam::123456789012:mfa/u1', keys(0))).resolves.toHaveProperty(
        'Credentials',
      );
      await expect(sessionWithMfa(s, code, 'arn:aws:iam::123456789012:mfa/u2', keys(1))).resolves.toHaveProperty(
        'Credentials',
      );
    }, config);
  });
});
