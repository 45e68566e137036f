import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  AssumeRootCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  type Credentials,
} from '@aws-sdk/client-sts';
import {
  DEMO_ACCOUNT,
  DEMO_MEMBER_ACCOUNT,
  DEMO_OIDC_ISSUER,
  demoOidcSigningMaterial,
  demoSamlSigningMaterial,
  mintSamlResponse,
  mintWebIdentityToken,
} from '../src';
import {
  constraintMessage,
  demoUserKeys,
  expectStsError,
  roleArn,
  stsClient,
  timeRequest,
  useStsLocal,
} from './helpers/ops';

const server = useStsLocal();
const alice = () => stsClient(server().endpoint, demoUserKeys('alice'));
const PROVIDER = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`;

interface Extra {
  DurationSeconds?: number;
  Policy?: string;
  PolicyArns?: Array<{ arn: string }>;
}
type Send = (extra: Extra) => Promise<{ Credentials?: Credentials }>;

const samlAssertion = () =>
  mintSamlResponse({
    issuer: 'https://idp.credchain.example/saml',
    ...demoSamlSigningMaterial,
    subject: 'limits@idp.example',
    roles: [{ roleArn: roleArn('saml-role'), principalArn: PROVIDER }],
    roleSessionName: 'limits',
    now: server().now(),
  });
const webToken = () =>
  mintWebIdentityToken({
    issuer: DEMO_OIDC_ISSUER,
    subject: 'limits',
    audience: 'sts.amazonaws.com',
    privateJwk: demoOidcSigningMaterial.privateJwk,
    kid: demoOidcSigningMaterial.kid,
    now: server().now(),
  });

/** Every operation that issues credentials: its DurationSeconds range and default, as the STS API reference states. */
const OPERATIONS: Array<{
  name: string;
  min: number;
  max: number;
  fallback: number;
  sessionPolicies: boolean;
  send: Send;
}> = [
  {
    name: 'AssumeRole',
    min: 900,
    max: 43200,
    fallback: 3600,
    sessionPolicies: true,
    send: (extra) =>
      alice().send(new AssumeRoleCommand({ RoleArn: roleArn('demo-role'), RoleSessionName: 'limits', ...extra })),
  },
  {
    name: 'AssumeRoleWithSAML',
    min: 900,
    max: 43200,
    fallback: 3600,
    sessionPolicies: true,
    send: (extra) =>
      stsClient(server().endpoint).send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: roleArn('saml-role'),
          PrincipalArn: PROVIDER,
          SAMLAssertion: samlAssertion(),
          ...extra,
        }),
      ),
  },
  {
    name: 'AssumeRoleWithWebIdentity',
    // web-identity-role keeps the default MaxSessionDuration of one hour.
    min: 900,
    max: 43200,
    fallback: 3600,
    sessionPolicies: true,
    send: async (extra) =>
      stsClient(server().endpoint).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArn('web-identity-role'),
          RoleSessionName: 'limits',
          WebIdentityToken: await webToken(),
          ...extra,
        }),
      ),
  },
  {
    name: 'GetSessionToken',
    min: 900,
    max: 129600,
    fallback: 43200,
    sessionPolicies: false,
    send: (extra) => alice().send(new GetSessionTokenCommand(extra)),
  },
  {
    name: 'GetFederationToken',
    min: 900,
    max: 129600,
    fallback: 43200,
    sessionPolicies: true,
    send: (extra) => alice().send(new GetFederationTokenCommand({ Name: 'limits', ...extra })),
  },
  {
    name: 'AssumeRoot',
    min: 0,
    max: 900,
    fallback: 900,
    sessionPolicies: false,
    send: (extra) =>
      alice().send(
        new AssumeRootCommand({
          TargetPrincipal: DEMO_MEMBER_ACCOUNT,
          TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
          ...extra,
        }),
      ),
  },
];

describe.each(OPERATIONS)('$name limits', ({ min, max, fallback, sessionPolicies, send }) => {
  test(`DurationSeconds defaults to ${fallback}`, async () => {
    const expectLifetime = timeRequest(server());
    expectLifetime((await send({})).Credentials, fallback);
  });

  test(`DurationSeconds below ${min} or above ${max} → ValidationError`, async () => {
    const low = String(min - 1);
    const high = String(max + 1);
    await expectStsError(
      send({ DurationSeconds: min - 1 }),
      'ValidationError',
      400,
      constraintMessage(low, 'durationSeconds', `Member must have value greater than or equal to ${min}`),
    );
    await expectStsError(
      send({ DurationSeconds: max + 1 }),
      'ValidationError',
      400,
      constraintMessage(high, 'durationSeconds', `Member must have value less than or equal to ${max}`),
    );
  });

  if (sessionPolicies) {
    test('Policy ≤ 2048 characters and ≤ 10 PolicyArns', async () => {
      const long = JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        Id: 'x'.repeat(2048),
      });
      await expectStsError(
        send({ Policy: long }),
        'ValidationError',
        400,
        constraintMessage(`${long.slice(0, 128)}…`, 'policy', 'Member must have length less than or equal to 2048'),
      );
      const arns = Array.from({ length: 11 }, (_, i) => ({ arn: `arn:aws:iam::aws:policy/Limits${i}` }));
      await expectStsError(
        send({ PolicyArns: arns }),
        'ValidationError',
        400,
        constraintMessage('[11 items]', 'policyArns', 'Member must have length less than or equal to 10'),
      );
    });
  }
});

describe('GetFederationToken session tags', () => {
  test('at most 50, keys unique ignoring case', async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expectStsError(
      alice().send(new GetFederationTokenCommand({ Name: 'limits', Tags: tags(51) })),
      'ValidationError',
      400,
      constraintMessage('[51 items]', 'tags', 'Member must have length less than or equal to 50'),
    );
    await expect(
      alice().send(new GetFederationTokenCommand({ Name: 'limits', Tags: tags(50) })),
    ).resolves.toHaveProperty('PackedPolicySize');
  });
});
