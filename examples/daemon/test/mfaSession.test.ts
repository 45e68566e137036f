import { DEMO_ACCOUNT, demoConfig, startStsLocal } from '@credchain/sts-local';
import { StsError, fromAssumeRole, fromSessionToken, totpCodeProvider } from 'credchain';

// The demo's premise, shown on its own: mfa-role trusts alice only with MFA, and a session created
// with an MFA code carries MFA presence to the AssumeRole calls it signs (no code on those).
const alice = demoConfig.users?.find((u) => u.name === 'alice');
const keys = alice?.accessKeys?.[0];
const device = alice?.mfaDevices?.[0];
const MFA_ROLE = `arn:aws:iam::${DEMO_ACCOUNT}:role/mfa-role`;

test.each([
  ['with an MFA code, assumes mfa-role', true],
  ['without one, is refused mfa-role', false],
])('a session created %s', async (_title, withMfa) => {
  if (keys === undefined || device === undefined)
    throw new Error('demoConfig has no alice with keys and an MFA device');
  const sts = await startStsLocal();
  const clientConfig = { endpoint: sts.endpoint, region: 'us-east-1' };
  const session = fromSessionToken({
    ...(withMfa
      ? {
          params: { SerialNumber: device.serialNumber },
          mfaCodeProvider: totpCodeProvider({ secret: device.secretBase32 }),
        }
      : {}),
    sourceCredentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
    clientConfig,
  });
  const role = fromAssumeRole({
    params: { RoleArn: MFA_ROLE, RoleSessionName: 'premise' },
    sourceCredentials: session,
    clientConfig,
  });
  try {
    const outcome = await role().then(
      (credentials) => credentials.accessKeyId,
      (error: unknown) => error,
    );
    const assumeRole = sts.calls.filter((c) => c.operation === 'AssumeRole');
    expect(assumeRole).toHaveLength(1);
    expect(assumeRole[0]?.params.TokenCode).toBeUndefined();
    if (withMfa) {
      expect(outcome).toMatch(/^ASIA/);
      expect(assumeRole[0]?.outcome).toBe('success');
    } else {
      expect(outcome).toBeInstanceOf(StsError);
      expect((outcome as StsError).code).toBe('AccessDenied');
    }
  } finally {
    role.close();
    session.close();
    await sts.stop();
  }
});
