/**
 * The providers the soak runs: one of every kind, two role chains (role from role; role from an
 * MFA session), a `chain` whose first link is not configured, and a pool of three roles. Each
 * member has its own RoleSessionName (or Name), so sts-local's call log says whose call each was.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { fromAssumeRole } from '@credchain/assume-role';
import { fromAssumeRoot } from '@credchain/assume-root';
import {
  type CredentialEvent,
  type CredentialProvider,
  type TemporaryCredentials,
  chain,
  createProviderPool,
  totpCodeProvider,
} from '@credchain/core';
import { fromFederationToken } from '@credchain/federation-token';
import { fromSamlAssertion } from '@credchain/saml';
import { fromSessionToken } from '@credchain/session-token';
import { DEMO_ACCOUNT, DEMO_MEMBER_ACCOUNT, type StsCall, type StsLocal, demoConfig } from '@credchain/sts-local';
import { fromWebIdentity } from '@credchain/web-identity';
import type { AwsCredentialIdentity } from '@smithy/types';

import type { CountingHandler } from './countingHandler';

export const REGION = 'us-east-1';

/** The STS operations that hand out credentials: the ones faults and outages hit. */
export const CREDENTIAL_OPERATIONS = [
  'AssumeRole',
  'AssumeRoot',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetSessionToken',
  'GetFederationToken',
] as const;

const role = (name: string): string => `arn:aws:iam::${DEMO_ACCOUNT}:role/${name}`;

function demoUserKeys(name: string): AwsCredentialIdentity {
  const user = demoConfig.users?.find((u) => u.name === name);
  const key = user?.accessKeys?.[0];
  if (key === undefined) throw new Error(`the demo config has no access key for ${name}`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

function aliceMfaSecret(): { serial: string; secret: string } {
  const device = demoConfig.users?.find((u) => u.name === 'alice')?.mfaDevices?.[0];
  if (device === undefined) throw new Error('the demo config has no MFA device for alice');
  return { serial: device.serialNumber, secret: device.secretBase32 };
}

/** One thing the simulated callers call. */
export interface Member {
  readonly name: string;
  readonly kind: string;
  /** What the callers call. */
  readonly call: () => Promise<AwsCredentialIdentity>;
  /** Whether an STS call in sts-local's log was made for this member. */
  readonly owns: (call: StsCall) => boolean;
  /** What GetCallerIdentity must answer for this member's credentials. */
  readonly arn: RegExp;
  /** A deliberately naive provider: shows what the checks catch; not held to the targets. */
  readonly control?: boolean;
  /** A replica of the fleet with a store (storeFleet.ts): reported with its group, not in the fleet's table. */
  readonly group?: 'store-fleet';
}

export interface Fleet {
  readonly members: readonly Member[];
  close(): void;
}

const byOperation =
  (operation: string, param?: [string, string]) =>
  (c: StsCall): boolean =>
    c.operation === operation && (param === undefined || c.params[param[0]] === param[1]);

/** Builds the fleet; `onEvent(member, event)` receives every engine event. */
export function buildFleet(
  sts: StsLocal,
  handler: CountingHandler,
  onEvent: (member: string, event: CredentialEvent) => void,
  work: <T>(run: () => Promise<T>) => Promise<T>,
): Fleet {
  const alice = demoUserKeys('alice');
  const bob = demoUserKeys('bob');
  const { serial, secret } = aliceMfaSecret();
  const clientConfig = { endpoint: sts.endpoint, region: REGION, requestHandler: handler };
  const common = (name: string) => ({ clientConfig, onEvent: (event: CredentialEvent) => onEvent(name, event) });
  const closers: (() => void)[] = [];
  const track = <P extends { close(): void }>(p: P): P => {
    closers.push(() => p.close());
    return p;
  };

  const assumeRole = track(
    fromAssumeRole({
      params: { RoleArn: role('demo-role'), RoleSessionName: 'soak-assume-role' },
      sourceCredentials: alice,
      ...common('assume-role'),
    }),
  );
  const chainedRole = track(
    fromAssumeRole({
      params: { RoleArn: role('chained-role'), RoleSessionName: 'soak-role-from-role', DurationSeconds: 3600 },
      sourceCredentials: assumeRole,
      ...common('role-from-role'),
    }),
  );
  const mfaSession = track(
    fromSessionToken({
      params: { SerialNumber: serial, DurationSeconds: 3 * 3600 },
      mfaCodeProvider: totpCodeProvider({ secret }),
      sourceCredentials: alice,
      ...common('session-token-mfa'),
    }),
  );
  const mfaRole = track(
    fromAssumeRole({
      params: { RoleArn: role('mfa-role'), RoleSessionName: 'soak-role-from-mfa-session', DurationSeconds: 2 * 3600 },
      sourceCredentials: mfaSession,
      ...common('role-from-mfa-session'),
    }),
  );
  const assumeRoot = track(
    fromAssumeRoot({
      params: {
        TargetPrincipal: DEMO_MEMBER_ACCOUNT,
        TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
      },
      sourceCredentials: alice,
      ...common('assume-root'),
    }),
  );
  const saml = track(
    fromSamlAssertion({
      params: {
        RoleArn: role('saml-role'),
        PrincipalArn: `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`,
        DurationSeconds: 3600,
      },
      samlAssertion: () =>
        work(async () => sts.mintSamlAssertion({ roleArn: role('saml-role'), roleSessionName: 'soak-saml' })),
      ...common('saml'),
    }),
  );
  const webIdentity = track(
    fromWebIdentity({
      params: { RoleArn: role('web-identity-role'), RoleSessionName: 'soak-web-identity' },
      webIdentityToken: () =>
        work(() => sts.mintWebIdentityToken({ subject: 'soak-workload', roleArn: role('web-identity-role') })),
      ...common('web-identity'),
    }),
  );
  const federation = track(
    fromFederationToken({
      params: { Name: 'soak-fed', DurationSeconds: 3600 },
      sourceCredentials: bob,
      ...common('federation-token'),
    }),
  );
  // The first link has no token configured: it passes (tryNextLink) and the chain settles on the second.
  const unconfigured = track(fromWebIdentity({ clientConfig }));
  const chainLink = track(
    fromAssumeRole({
      params: { RoleArn: role('external-id-role'), RoleSessionName: 'soak-chain', ExternalId: 'credchain-external-id' },
      sourceCredentials: alice,
      ...common('chain'),
    }),
  );
  const chained = chain<TemporaryCredentials>(unconfigured, chainLink);

  type PoolParams = { RoleArn: string; RoleSessionName: string; ExternalId?: string; DurationSeconds?: number };
  const pool = createProviderPool<PoolParams, CredentialProvider>({
    max: 3,
    create: (params) =>
      fromAssumeRole({ params, sourceCredentials: alice, ...common(`pool/${params.RoleSessionName}`) }),
  });
  closers.push(() => pool.close());
  const poolParams: PoolParams[] = [
    { RoleArn: role('demo-role'), RoleSessionName: 'soak-pool-a' },
    { RoleArn: role('external-id-role'), RoleSessionName: 'soak-pool-b', ExternalId: 'credchain-external-id' },
    // 15-minute sessions: the pool's busiest member.
    { RoleArn: role('demo-role'), RoleSessionName: 'soak-pool-c', DurationSeconds: 900 },
  ];

  const session = (name: string) => ['RoleSessionName', name] as [string, string];
  const members: Member[] = [
    {
      name: 'assume-role',
      kind: 'fromAssumeRole',
      call: () => assumeRole(),
      owns: byOperation('AssumeRole', session('soak-assume-role')),
      arn: /:assumed-role\/demo-role\/soak-assume-role$/,
    },
    {
      name: 'role-from-role',
      kind: 'fromAssumeRole ← fromAssumeRole',
      call: () => chainedRole(),
      owns: byOperation('AssumeRole', session('soak-role-from-role')),
      arn: /:assumed-role\/chained-role\/soak-role-from-role$/,
    },
    {
      name: 'session-token-mfa',
      kind: 'fromSessionToken (MFA, TOTP)',
      call: () => mfaSession(),
      owns: byOperation('GetSessionToken'),
      arn: /:user\/alice$/,
    },
    {
      name: 'role-from-mfa-session',
      kind: 'fromAssumeRole ← fromSessionToken',
      call: () => mfaRole(),
      owns: byOperation('AssumeRole', session('soak-role-from-mfa-session')),
      arn: /:assumed-role\/mfa-role\/soak-role-from-mfa-session$/,
    },
    {
      name: 'assume-root',
      kind: 'fromAssumeRoot',
      call: () => assumeRoot(),
      owns: byOperation('AssumeRoot'),
      arn: new RegExp(`^arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:root$`),
    },
    {
      name: 'saml',
      kind: 'fromSamlAssertion',
      call: () => saml(),
      owns: byOperation('AssumeRoleWithSAML'),
      arn: /:assumed-role\/saml-role\//,
    },
    {
      name: 'web-identity',
      kind: 'fromWebIdentity',
      call: () => webIdentity(),
      owns: byOperation('AssumeRoleWithWebIdentity'),
      arn: /:assumed-role\/web-identity-role\/soak-web-identity$/,
    },
    {
      name: 'federation-token',
      kind: 'fromFederationToken',
      call: () => federation(),
      owns: byOperation('GetFederationToken', ['Name', 'soak-fed']),
      arn: /:federated-user\/soak-fed$/,
    },
    {
      name: 'chain',
      kind: 'chain(unconfigured, fromAssumeRole)',
      call: () => chained(),
      owns: byOperation('AssumeRole', session('soak-chain')),
      arn: /:assumed-role\/external-id-role\/soak-chain$/,
    },
    ...poolParams.map((params): Member => ({
      name: `pool/${params.RoleSessionName}`,
      kind: 'createProviderPool → fromAssumeRole',
      call: () => pool.get(params)(),
      owns: byOperation('AssumeRole', session(params.RoleSessionName)),
      arn: new RegExp(`:assumed-role/[a-z-]+/${params.RoleSessionName}$`),
    })),
  ];
  return {
    members,
    close: () => {
      for (const close of closers) close();
    },
  };
}

/**
 * Two deliberately naive providers that show the soak's checks can fail: one fetches once and
 * caches forever (it hands out expired credentials), one refreshes in the last five minutes but
 * passes every failure on (callers see errors while its credentials are still valid).
 */
export function buildControls(sts: StsLocal, handler: CountingHandler): Member[] {
  const client = new STSClient({
    endpoint: sts.endpoint,
    region: REGION,
    credentials: demoUserKeys('alice'),
    requestHandler: handler,
  });
  const assume = async (session: string): Promise<AwsCredentialIdentity> => {
    const out = await client.send(
      new AssumeRoleCommand({ RoleArn: role('demo-role'), RoleSessionName: session, DurationSeconds: 900 }),
    );
    const c = out.Credentials!;
    return {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
      expiration: c.Expiration!,
    };
  };
  let forever: Promise<AwsCredentialIdentity> | undefined;
  let naive: AwsCredentialIdentity | undefined;
  const session = (name: string) => ['RoleSessionName', name] as [string, string];
  return [
    {
      name: 'control/never-refreshes',
      kind: 'control: fetch once, cache forever',
      control: true,
      call: () => (forever ??= assume('soak-control-forever')),
      owns: byOperation('AssumeRole', session('soak-control-forever')),
      arn: /:assumed-role\/demo-role\/soak-control-forever$/,
    },
    {
      name: 'control/no-stale',
      kind: 'control: refresh in the last 5 min, errors passed on',
      control: true,
      call: async () => {
        if (naive === undefined || naive.expiration!.getTime() - Date.now() < 5 * 60_000)
          naive = await assume('soak-control-naive');
        return naive;
      },
      owns: byOperation('AssumeRole', session('soak-control-naive')),
      arn: /:assumed-role\/demo-role\/soak-control-naive$/,
    },
  ];
}
