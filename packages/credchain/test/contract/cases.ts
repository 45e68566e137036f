import type { STSClientConfig } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, DEMO_MEMBER_ACCOUNT } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { ALICE, ALICE_SERIAL, localConfig, roleArn } from '@credchain/testkit/sts-local';

import {
  fromAssumeRole,
  fromAssumeRoot,
  fromFederationToken,
  fromSamlAssertion,
  fromSessionToken,
  fromWebIdentity,
} from '../../src';
import type {
  CredentialProvider,
  EventListener,
  FromAssumeRoleInit,
  FromAssumeRootInit,
  FromFederationTokenInit,
  FromSamlAssertionInit,
  MfaCodeProvider,
} from '../../src';

// The six provider factories as the contract suite drives them: one row each, holding what differs
// (the operation, a valid init aimed at sts-local, how a caller could change its params afterwards,
// what STS must then still receive, the operation's own bad inputs). The promises are in the
// *.test.ts files beside this one and hold for every row.

/** An init as the suite handles it: untyped, since some tests break it on purpose. */
export type Init = Record<string, unknown> & { params?: Record<string, unknown> };

/** Where a case's provider sends its calls. */
export interface Target {
  readonly sts: StsLocal;
  /** The client's region. @default 'us-east-1' */
  readonly region?: string;
}

export interface ProviderCase {
  readonly factory: string;
  /** The STS operation, as sts-local logs it. */
  readonly operation: string;
  /** True when source credentials sign the call; false for the unsigned SAML and web identity calls. */
  readonly signed: boolean;
  readonly build: (init: Init) => CredentialProvider;
  /** A fresh valid init aimed at `target`, whose params hold nested arrays or objects where the operation has them. */
  readonly validInit: (target: Target) => Promise<Init>;
  /** What sts-local logs as the params of the valid init's call (bearer secrets show as [redacted]). */
  readonly sent: Readonly<Record<string, string>>;
  /** What a caller could change in the valid init's params after creation, nested values included. */
  readonly mutate: (params: Record<string, unknown>) => void;
  /** The operation's own bad inputs: the parameter the error must name, and the broken init. */
  readonly invalid: ReadonlyArray<readonly [string, (init: Init) => Init]>;
  /** The valid init changed so that STS answers AccessDenied; absent where no accepted caller gets that answer. */
  readonly refused?: (init: Init) => Init;
  /** The valid init changed to use an MFA device with `mfaCodeProvider`; absent where the operation takes no MFA. */
  readonly withMfa?: (init: Init, mfaCodeProvider: MfaCodeProvider) => Init;
  /** An unsigned call's bearer secret: the option holding it, and a fresh one from sts-local's identity provider. */
  readonly bearer?: {
    readonly option: 'samlAssertion' | 'webIdentityToken';
    readonly mint: (target: Target) => Promise<string>;
  };
  /** True when the operation takes session policies (Policy, PolicyArns). */
  readonly sessionPolicies: boolean;
  /** True when STS takes the operation from long-term keys only (no session credentials as source). */
  readonly longTermKeysOnly: boolean;
}

/**
 * The case's provider from its valid init aimed at `target`, as a long-lived app holds it: the unsigned
 * calls get a fresh assertion or token per fetch (one lives minutes).
 */
export async function buildLive(c: ProviderCase, target: Target, onEvent?: EventListener): Promise<CredentialProvider> {
  const bearer = c.bearer;
  return c.build({
    ...(await c.validInit(target)),
    ...(bearer === undefined ? {} : { [bearer.option]: () => bearer.mint(target) }),
    ...(onEvent === undefined ? {} : { onEvent }),
  });
}

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const AUDIT_TASK = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';
const SAML_ROLE = roleArn('saml-role');
const SAML_PROVIDER = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`;
const WEB_IDENTITY_ROLE = roleArn('web-identity-role');

const mintSaml = async ({ sts }: Target): Promise<string> =>
  sts.mintSamlAssertion({ roleArn: SAML_ROLE, subject: 'contract' });
const mintToken = ({ sts }: Target): Promise<string> =>
  sts.mintWebIdentityToken({ subject: 'contract', roleArn: WEB_IDENTITY_ROLE });

/** sts-local in `region`, one attempt per call: the SDK's retry delays would only slow the suite down. */
export const clientConfig = ({ sts, region }: Target): STSClientConfig => ({
  ...localConfig(sts, region),
  maxAttempts: 1,
});

/** `init` with its params changed by `change`, the rest as it was. */
const withParams = (init: Init, change: Record<string, unknown>): Init => ({
  ...init,
  params: { ...init.params, ...change },
});

/** The params of the suite's own valid inits, typed for the changes `mutate` makes. */
interface Nested {
  PolicyArns: Array<{ arn: string }>;
  Tags: Array<{ Key: string; Value: string }>;
  TransitiveTagKeys: string[];
  TaskPolicyArn: { arn: string };
}
const nested = (params: Record<string, unknown>) => params as unknown as Nested;

/** The same changes to PolicyArns for every operation that takes them: one made invalid, one added. */
function mutatePolicyArns(params: Record<string, unknown>): void {
  nested(params).PolicyArns[0]!.arn = 'not-an-arn';
  nested(params).PolicyArns.push({ arn: ADMIN });
  params.DurationSeconds = 1;
}

export const CASES: readonly ProviderCase[] = [
  {
    factory: 'fromAssumeRole',
    sessionPolicies: true,
    longTermKeysOnly: false,
    operation: 'AssumeRole',
    signed: true,
    build: (init) => fromAssumeRole(init as unknown as FromAssumeRoleInit),
    validInit: async (target) => ({
      params: {
        RoleArn: roleArn('demo-role'),
        RoleSessionName: 'contract',
        DurationSeconds: 900,
        PolicyArns: [{ arn: READ_ONLY }],
        Tags: [{ Key: 'Team', Value: 'platform' }],
        TransitiveTagKeys: ['Team'],
      },
      sourceCredentials: { ...ALICE },
      clientConfig: clientConfig(target),
    }),
    sent: {
      RoleArn: roleArn('demo-role'),
      RoleSessionName: 'contract',
      DurationSeconds: '900',
      'PolicyArns.member.1.arn': READ_ONLY,
      'Tags.member.1.Key': 'Team',
      'Tags.member.1.Value': 'platform',
      'TransitiveTagKeys.member.1': 'Team',
    },
    mutate: (params) => {
      mutatePolicyArns(params);
      nested(params).Tags[0]!.Value = 'changed';
      nested(params).TransitiveTagKeys[0] = 'Other';
      params.RoleArn = roleArn('chained-role');
    },
    invalid: [
      ['RoleArn', (init) => withParams(init, { RoleArn: 'not-an-arn-but-long-enough' })],
      ['PolicyArns[0].arn', (init) => withParams(init, { PolicyArns: [{ arn: 'ReadOnlyAccess' }] })],
      ['Tags[0].Key', (init) => withParams(init, { Tags: [{ Key: 'bad#key', Value: 'v' }] })],
    ],
    refused: (init) => withParams(init, { RoleArn: roleArn('chained-role') }),
    withMfa: (init, mfaCodeProvider) => ({
      ...withParams(init, { RoleArn: roleArn('mfa-role'), SerialNumber: ALICE_SERIAL }),
      mfaCodeProvider,
    }),
  },
  {
    factory: 'fromAssumeRoot',
    sessionPolicies: false,
    longTermKeysOnly: false,
    operation: 'AssumeRoot',
    signed: true,
    build: (init) => fromAssumeRoot(init as unknown as FromAssumeRootInit),
    validInit: async (target) => ({
      params: { TargetPrincipal: DEMO_MEMBER_ACCOUNT, TaskPolicyArn: { arn: AUDIT_TASK }, DurationSeconds: 900 },
      sourceCredentials: { ...ALICE },
      clientConfig: clientConfig(target),
    }),
    sent: { TargetPrincipal: DEMO_MEMBER_ACCOUNT, 'TaskPolicyArn.arn': AUDIT_TASK, DurationSeconds: '900' },
    mutate: (params) => {
      nested(params).TaskPolicyArn.arn = 'not-an-arn';
      params.TargetPrincipal = DEMO_ACCOUNT;
      params.DurationSeconds = 901;
    },
    invalid: [
      ['TargetPrincipal', (init) => withParams(init, { TargetPrincipal: 'x' })],
      ['TaskPolicyArn.arn', (init) => withParams(init, { TaskPolicyArn: { arn: ADMIN } })],
    ],
    // The organization's management account may not be the target.
    refused: (init) => withParams(init, { TargetPrincipal: DEMO_ACCOUNT }),
  },
  {
    factory: 'fromSamlAssertion',
    sessionPolicies: true,
    longTermKeysOnly: false,
    operation: 'AssumeRoleWithSAML',
    signed: false,
    build: (init) => fromSamlAssertion(init as unknown as FromSamlAssertionInit),
    validInit: async (target) => ({
      params: {
        RoleArn: SAML_ROLE,
        PrincipalArn: SAML_PROVIDER,
        DurationSeconds: 900,
        PolicyArns: [{ arn: READ_ONLY }],
      },
      samlAssertion: await mintSaml(target),
      clientConfig: clientConfig(target),
    }),
    sent: {
      RoleArn: SAML_ROLE,
      PrincipalArn: SAML_PROVIDER,
      DurationSeconds: '900',
      'PolicyArns.member.1.arn': READ_ONLY,
      SAMLAssertion: '[redacted]',
    },
    mutate: (params) => {
      mutatePolicyArns(params);
      params.RoleArn = roleArn('demo-role');
    },
    invalid: [
      ['PrincipalArn', (init) => withParams(init, { PrincipalArn: undefined })],
      ['PolicyArns[0].arn', (init) => withParams(init, { PolicyArns: [{ arn: 'ReadOnlyAccess' }] })],
      ['samlAssertion', (init) => ({ ...init, samlAssertion: 42 })],
    ],
    // The assertion names saml-role only.
    refused: (init) => withParams(init, { RoleArn: roleArn('demo-role') }),
    bearer: { option: 'samlAssertion', mint: mintSaml },
  },
  {
    factory: 'fromWebIdentity',
    sessionPolicies: true,
    longTermKeysOnly: false,
    operation: 'AssumeRoleWithWebIdentity',
    signed: false,
    build: (init) => fromWebIdentity(init),
    validInit: async (target) => ({
      params: {
        RoleArn: WEB_IDENTITY_ROLE,
        RoleSessionName: 'contract',
        DurationSeconds: 900,
        PolicyArns: [{ arn: READ_ONLY }],
      },
      webIdentityToken: await mintToken(target),
      clientConfig: clientConfig(target),
    }),
    sent: {
      RoleArn: WEB_IDENTITY_ROLE,
      RoleSessionName: 'contract',
      DurationSeconds: '900',
      'PolicyArns.member.1.arn': READ_ONLY,
      WebIdentityToken: '[redacted]',
    },
    mutate: (params) => {
      mutatePolicyArns(params);
      params.RoleSessionName = 'has space';
    },
    invalid: [
      ['ProviderId', (init) => withParams(init, { ProviderId: 'ab' })],
      ['PolicyArns[0].arn', (init) => withParams(init, { PolicyArns: [{ arn: 'ReadOnlyAccess' }] })],
      ['webIdentityToken', (init) => ({ ...init, webIdentityToken: 7 })],
    ],
    // demo-role trusts no OIDC provider.
    refused: (init) => withParams(init, { RoleArn: roleArn('demo-role') }),
    bearer: { option: 'webIdentityToken', mint: mintToken },
  },
  {
    factory: 'fromSessionToken',
    sessionPolicies: false,
    longTermKeysOnly: true,
    operation: 'GetSessionToken',
    signed: true,
    build: (init) => fromSessionToken(init),
    validInit: async (target) => ({
      params: { DurationSeconds: 900 },
      sourceCredentials: { ...ALICE },
      clientConfig: clientConfig(target),
    }),
    sent: { DurationSeconds: '900' },
    // GetSessionToken has no nested parameters: a key the caller adds afterwards is the test.
    mutate: (params) => {
      params.DurationSeconds = 129_601;
      params.SerialNumber = ALICE_SERIAL;
      params.TokenCode = '123456';
    },
    invalid: [
      ['SerialNumber', (init) => withParams(init, { SerialNumber: 'short' })],
      ['TokenCode', (init) => withParams(init, { TokenCode: '123456' })],
    ],
    withMfa: (init, mfaCodeProvider) => ({ ...withParams(init, { SerialNumber: ALICE_SERIAL }), mfaCodeProvider }),
  },
  {
    factory: 'fromFederationToken',
    sessionPolicies: true,
    longTermKeysOnly: true,
    operation: 'GetFederationToken',
    signed: true,
    build: (init) => fromFederationToken(init as unknown as FromFederationTokenInit),
    validInit: async (target) => ({
      params: {
        Name: 'contract',
        DurationSeconds: 900,
        PolicyArns: [{ arn: READ_ONLY }],
        Tags: [{ Key: 'Team', Value: 'platform' }],
      },
      sourceCredentials: { ...ALICE },
      clientConfig: clientConfig(target),
    }),
    sent: {
      Name: 'contract',
      DurationSeconds: '900',
      'PolicyArns.member.1.arn': READ_ONLY,
      'Tags.member.1.Key': 'Team',
      'Tags.member.1.Value': 'platform',
    },
    mutate: (params) => {
      mutatePolicyArns(params);
      nested(params).Tags[0]!.Value = 'changed';
      params.Name = 'has space';
    },
    invalid: [
      ['Name', (init) => withParams(init, { Name: 'b' })],
      ['PolicyArns[0].arn', (init) => withParams(init, { PolicyArns: [{ arn: 'ReadOnlyAccess' }] })],
      ['Tags[0].Key', (init) => withParams(init, { Tags: [{ Key: 'bad#key', Value: 'v' }] })],
    ],
  },
];
