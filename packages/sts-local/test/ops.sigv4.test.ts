import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, type StsLocalConfig } from '../src';
import { asIdentity, demoUserKeys, expectStsError, stsClient, useStsLocal, withStsLocal } from './helpers/ops';

const server = useStsLocal();
const whoAmI = (client: ReturnType<typeof stsClient>) => client.send(new GetCallerIdentityCommand({}));

const INVALID = 'The security token included in the request is invalid.';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const AMZ_DATE = '\\d{8}T\\d{6}Z';

describe('SigV4: who signed', () => {
  test('a request signed with the right secret is verified and names its signer', async () => {
    const me = await whoAmI(stsClient(server().endpoint, demoUserKeys('alice')));
    expect(me.Arn).toBe(`arn:aws:iam::${DEMO_ACCOUNT}:user/alice`);
  });

  test('a wrong secret for a known key → SignatureDoesNotMatch', async () => {
    const { accessKeyId } = demoUserKeys('alice');
    await expectStsError(
      whoAmI(stsClient(server().endpoint, { accessKeyId, secretAccessKey: 'not-the-secret-of-this-key-000000' })),
      'SignatureDoesNotMatch',
      403,
      MISMATCH,
    );
  });

  test('a key sts-local does not know → InvalidClientTokenId', async () => {
    await expectStsError(
      whoAmI(
        stsClient(server().endpoint, {
          accessKeyId: 'AKIAZZZZZZZZZZZZZZZZ',
          secretAccessKey: 'whatever-secret-000000000000',
        }),
      ),
      'InvalidClientTokenId',
      403,
      INVALID,
    );
  });

  test('a long-term key sent with a session token → InvalidClientTokenId', async () => {
    await expectStsError(
      whoAmI(stsClient(server().endpoint, { ...demoUserKeys('alice'), sessionToken: 'bogus-token' })),
      'InvalidClientTokenId',
      403,
      INVALID,
    );
  });

  test('an inactive key → InvalidClientTokenId', async () => {
    const config: StsLocalConfig = {
      accounts: [{ id: '123456789012' }],
      users: [
        {
          account: '123456789012',
          name: 'old',
          accessKeys: [
            { accessKeyId: 'AKIAOLDKEY0000000001', secretAccessKey: 'old-secret-0000000000000', status: 'Inactive' },
          ],
        },
      ],
    };
    await withStsLocal({ config }, async (s) => {
      await expectStsError(
        whoAmI(
          stsClient(s.endpoint, { accessKeyId: 'AKIAOLDKEY0000000001', secretAccessKey: 'old-secret-0000000000000' }),
        ),
        'InvalidClientTokenId',
        403,
        INVALID,
      );
    });
  });
});

describe('SigV4: temporary credentials', () => {
  const session = async () =>
    asIdentity(
      (
        await stsClient(server().endpoint, demoUserKeys('alice')).send(
          new GetSessionTokenCommand({ DurationSeconds: 900 }),
        )
      ).Credentials,
    );

  test('a temporary key without its session token → InvalidClientTokenId', async () => {
    const { accessKeyId, secretAccessKey } = await session();
    await expectStsError(
      whoAmI(stsClient(server().endpoint, { accessKeyId, secretAccessKey })),
      'InvalidClientTokenId',
      403,
      INVALID,
    );
  });

  test("a temporary key with another session's token → InvalidClientTokenId", async () => {
    const [a, b] = await Promise.all([session(), session()]);
    await expectStsError(
      whoAmI(stsClient(server().endpoint, { ...a, sessionToken: b.sessionToken })),
      'InvalidClientTokenId',
      403,
      INVALID,
    );
  });

  test('with its token it works until its expiration; after it → ExpiredToken (403)', async () => {
    await withStsLocal({}, async (s) => {
      const issued = await stsClient(s.endpoint, demoUserKeys('alice')).send(
        new GetSessionTokenCommand({ DurationSeconds: 900 }),
      );
      const creds = asIdentity(issued.Credentials);
      const left = (issued.Credentials?.Expiration?.getTime() ?? 0) - s.now();
      // Move server and client clocks together, as real time would.
      s.advanceTime(left - 1000);
      await expect(whoAmI(stsClient(s.endpoint, creds, { systemClockOffset: left - 1000 }))).resolves.toHaveProperty(
        'Arn',
      );
      s.advanceTime(1000);
      await expectStsError(
        whoAmI(stsClient(s.endpoint, creds, { systemClockOffset: left })),
        'ExpiredToken',
        403,
        'The security token included in the request is expired',
      );
    });
  });

  test('expiry follows jest fake time as well (a server started under fake Date reads it)', async () => {
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    try {
      await withStsLocal({}, async (s) => {
        const issued = await stsClient(s.endpoint, demoUserKeys('alice')).send(
          new GetSessionTokenCommand({ DurationSeconds: 900 }),
        );
        jest.setSystemTime(Date.now() + 901_000);
        await expectStsError(
          whoAmI(stsClient(s.endpoint, asIdentity(issued.Credentials))),
          'ExpiredToken',
          403,
          'The security token included in the request is expired',
        );
      });
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('SigV4: X-Amz-Date must be within 15 minutes of the server clock', () => {
  const skewed = (ms: number) => whoAmI(stsClient(server().endpoint, demoUserKeys('alice'), { systemClockOffset: ms }));

  test('14 minutes either way is accepted', async () => {
    await expect(skewed(14 * 60_000)).resolves.toHaveProperty('Arn');
    await expect(skewed(-14 * 60_000)).resolves.toHaveProperty('Arn');
  });

  test('16 minutes behind → SignatureDoesNotMatch "Signature expired"', async () => {
    await expectStsError(
      skewed(-16 * 60_000),
      'SignatureDoesNotMatch',
      403,
      new RegExp(`^Signature expired: ${AMZ_DATE} is now earlier than ${AMZ_DATE} \\(${AMZ_DATE} - 15 min\\.\\)$`),
    );
  });

  test('16 minutes ahead → SignatureDoesNotMatch "Signature not yet current"', async () => {
    await expectStsError(
      skewed(16 * 60_000),
      'SignatureDoesNotMatch',
      403,
      new RegExp(
        `^Signature not yet current: ${AMZ_DATE} is still later than ${AMZ_DATE} \\(${AMZ_DATE} \\+ 15 min\\.\\)$`,
      ),
    );
  });

  test('the skew is judged against the server clock, so advanceTime alone makes a fresh signature stale', async () => {
    await withStsLocal({}, async (s) => {
      s.advanceTime(16 * 60_000);
      await expectStsError(
        whoAmI(stsClient(s.endpoint, demoUserKeys('alice'))),
        'SignatureDoesNotMatch',
        403,
        /^Signature expired: /,
      );
    });
  });
});

describe('SigV4: credential scope region', () => {
  test('the Regional endpoint takes the region from the credential scope', async () => {
    await expect(
      whoAmI(stsClient(server().endpoint, demoUserKeys('alice'), { region: 'eu-west-1' })),
    ).resolves.toHaveProperty('Arn');
    const call = server().calls.at(-1);
    expect(call).toMatchObject({ operation: 'GetCallerIdentity', region: 'eu-west-1', outcome: 'success' });
  });

  test('the global endpoint accepts only us-east-1 scopes', async () => {
    await expect(whoAmI(stsClient(server().globalEndpoint, demoUserKeys('alice')))).resolves.toHaveProperty('Arn');
    await expectStsError(
      whoAmI(stsClient(server().globalEndpoint, demoUserKeys('alice'), { region: 'eu-west-1' })),
      'SignatureDoesNotMatch',
      403,
      /^Credential should be scoped to a valid region/,
    );
  });

  test("a region where STS is deactivated for the caller's account → RegionDisabledException", async () => {
    await expectStsError(
      whoAmI(stsClient(server().endpoint, demoUserKeys('alice'), { region: 'ap-east-1' })),
      'RegionDisabledException',
      403,
      `STS is not activated in this region for account:${DEMO_ACCOUNT}. ` +
        'Your account administrator can activate STS in this region using the IAM Console.',
    );
  });
});
