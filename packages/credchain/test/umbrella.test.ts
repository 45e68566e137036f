import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as assumeRole from '@credchain/assume-role';
import * as assumeRoot from '@credchain/assume-root';
import * as core from '@credchain/core';
import * as federationToken from '@credchain/federation-token';
import * as profile from '@credchain/profile';
import * as saml from '@credchain/saml';
import * as sessionToken from '@credchain/session-token';
import { DEMO_ACCOUNT, DEMO_MEMBER_ACCOUNT, demoConfig, startStsLocal } from '@credchain/sts-local';
import * as webIdentity from '@credchain/web-identity';
import * as credchain from '../src';

const ROLE = `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`;

// One valid, minimal init per factory: construction does no I/O, so no server is needed.
const factories = {
  fromAssumeRole: () => credchain.fromAssumeRole({ params: { RoleArn: ROLE } }),
  fromAssumeRoot: () =>
    credchain.fromAssumeRoot({
      params: {
        TargetPrincipal: DEMO_MEMBER_ACCOUNT,
        TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
      },
      clientConfig: { region: 'eu-west-1' },
    }),
  fromSamlAssertion: () =>
    credchain.fromSamlAssertion({
      params: { RoleArn: ROLE, PrincipalArn: `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp` },
      samlAssertion: async () => 'never-called',
    }),
  fromWebIdentity: () =>
    credchain.fromWebIdentity({ params: { RoleArn: ROLE }, webIdentityToken: async () => 'never-called' }),
  fromSessionToken: () => credchain.fromSessionToken({ params: { DurationSeconds: 3600 } }),
  fromProfile: () => credchain.fromProfile({ profile: 'never-read' }),
  fromFederationToken: () =>
    credchain.fromFederationToken({
      params: { Name: 'umbrella', PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] },
    }),
} as const;

describe('the credchain umbrella', () => {
  test('exports each provider factory of its own package, not a copy', () => {
    expect(credchain.fromAssumeRole).toBe(assumeRole.fromAssumeRole);
    expect(credchain.fromAssumeRoot).toBe(assumeRoot.fromAssumeRoot);
    expect(credchain.fromSamlAssertion).toBe(saml.fromSamlAssertion);
    expect(credchain.fromWebIdentity).toBe(webIdentity.fromWebIdentity);
    expect(credchain.fromSessionToken).toBe(sessionToken.fromSessionToken);
    expect(credchain.fromFederationToken).toBe(federationToken.fromFederationToken);
    expect(credchain.fromProfile).toBe(profile.fromProfile);
    expect(credchain.ProfileNotFoundError).toBe(profile.ProfileNotFoundError);
  });

  test('exports every run-time export of every library package', () => {
    const libraries = { core, assumeRole, assumeRoot, saml, webIdentity, sessionToken, federationToken };
    const missing = Object.entries(libraries).flatMap(([pkg, exports]) =>
      Object.keys(exports)
        .filter(
          (name) =>
            name !== 'default' &&
            (credchain as Record<string, unknown>)[name] !== (exports as Record<string, unknown>)[name],
        )
        .map((name) => `${pkg}.${name}`),
    );
    expect(missing).toEqual([]);
  });

  test.each(Object.keys(factories) as (keyof typeof factories)[])(
    '%s builds a credential provider without any I/O',
    (name) => {
      const provider = factories[name]();
      try {
        expect(typeof provider).toBe('function');
        expect(typeof provider.refresh).toBe('function');
        expect(typeof provider.close).toBe('function');
        expect(typeof provider[Symbol.dispose]).toBe('function');
      } finally {
        provider.close();
      }
    },
  );

  test('bad input fails with the typed error users catch through the umbrella', () => {
    expect(() => credchain.fromAssumeRole({ params: { RoleArn: 'not-an-arn' } })).toThrow(
      credchain.InvalidParameterError,
    );
    expect(() => credchain.fromSessionToken({ params: { DurationSeconds: 60 } })).toThrow(/DurationSeconds/);
  });

  test('a role from a session, built through the umbrella, signs a request sts-local verifies', async () => {
    const sts = await startStsLocal();
    const alice = demoConfig.users?.find((u) => u.name === 'alice')?.accessKeys?.[0];
    if (alice === undefined) throw new Error('demoConfig has no alice with keys');
    const clientConfig = { endpoint: sts.endpoint, region: 'us-east-1' };
    const credentials = credchain.fromAssumeRole({
      params: { RoleArn: ROLE, RoleSessionName: 'umbrella' },
      sourceCredentials: credchain.fromSessionToken({ sourceCredentials: alice, clientConfig }),
      clientConfig,
    });
    const client = new STSClient({ ...clientConfig, credentials });
    try {
      const identity = await client.send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/umbrella`);
      expect(sts.calls.map((c) => [c.operation, c.outcome])).toEqual([
        ['GetSessionToken', 'success'],
        ['AssumeRole', 'success'],
        ['GetCallerIdentity', 'success'],
      ]);
    } finally {
      client.destroy();
      credentials.close();
      await sts.stop();
    }
  });
});
