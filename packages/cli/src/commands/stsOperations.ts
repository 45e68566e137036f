import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  AssumeRootCommand,
  DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import {
  defaultRoleSessionName,
  stsClientGetter,
  unsignedStsClientGetter,
  validateAssumeRoleParams,
  validateAssumeRoleWithSamlParams,
  validateAssumeRoleWithWebIdentityParams,
  validateAssumeRootParams,
  validateGetFederationTokenParams,
  validateGetSessionTokenParams,
} from '@credchain/core/provider-kit';

import type { Context } from '../context';
import { UsageError } from '../exitCodes';
import { common, int, secretInput, send, str, tags, tokenCode } from './stsInput';
import type { OperationOptions } from './stsInput';

/** One STS operation as a subcommand: its options, and how it turns them into a call. */
export interface StsOperation {
  readonly command: string;
  readonly alias?: string;
  readonly summary: string;
  /** commander option specs: [flags, description, required?]. */
  readonly options: ReadonlyArray<readonly [string, string, boolean?]>;
  /** Options holding secrets: scrubbed from anything printed on stderr. */
  readonly secretOptions?: readonly string[];
  /** Unsigned operations (SAML, web identity) need no source credentials. */
  readonly unsigned?: boolean;
  run(options: OperationOptions, context: Context, client: STSClient): Promise<object>;
}

const DURATION = ['--duration-seconds <seconds>', 'session lifetime in seconds'] as const;
const POLICY = ['--policy <json>', 'an inline session policy (JSON)'] as const;
const POLICY_ARNS = ['--policy-arns <arns>', 'managed session policies, comma-separated ARNs'] as const;
const SERIAL = [
  '--serial-number <arn>',
  'MFA device; the code comes from --token-code, --totp-secret-env or a prompt',
] as const;

export const STS_OPERATIONS: readonly StsOperation[] = [
  {
    command: 'assume-role',
    summary: 'AssumeRole: temporary credentials of a role',
    options: [
      ['--role-arn <arn>', 'the role to assume', true],
      ['--role-session-name <name>', 'session name (default credchain-<ms since epoch>)'],
      DURATION,
      ['--external-id <id>', 'the ExternalId the role trust asks for'],
      SERIAL,
      POLICY,
      POLICY_ARNS,
      ['--source-identity <id>', 'SourceIdentity of the session'],
      ['--tag <Key=Value...>', 'session tags (repeatable)'],
    ],
    async run(options, context, client) {
      const roleArn = str(options, 'roleArn') as string;
      const serial = str(options, 'serialNumber');
      const externalId = str(options, 'externalId');
      const sourceIdentity = str(options, 'sourceIdentity');
      const sessionTags = tags(options);
      const params = {
        RoleArn: roleArn,
        RoleSessionName: str(options, 'roleSessionName') ?? defaultRoleSessionName(context.clock.now()),
        ...common(options),
        ...(externalId === undefined ? {} : { ExternalId: externalId }),
        ...(serial === undefined ? {} : { SerialNumber: serial }),
        ...(sourceIdentity === undefined ? {} : { SourceIdentity: sourceIdentity }),
        ...(sessionTags === undefined ? {} : { Tags: sessionTags }),
      };
      validateAssumeRoleParams(params);
      const mfa = await tokenCode(context, serial, 'assume-role', roleArn);
      return send('AssumeRole', serial, () => client.send(new AssumeRoleCommand({ ...params, ...mfa })));
    },
  },
  {
    command: 'assume-root',
    summary: 'AssumeRoot: a privileged task session in a member account',
    options: [
      ['--target-principal <account>', 'the member account ID', true],
      [
        '--task-policy-arn <arn>',
        'the task policy, e.g. arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials',
        true,
      ],
      DURATION,
    ],
    async run(options, _context, client) {
      const duration = int(options, 'durationSeconds', '--duration-seconds');
      const params = {
        TargetPrincipal: str(options, 'targetPrincipal') as string,
        TaskPolicyArn: { arn: str(options, 'taskPolicyArn') as string },
        ...(duration === undefined ? {} : { DurationSeconds: duration }),
      };
      validateAssumeRootParams(params);
      return send('AssumeRoot', undefined, () => client.send(new AssumeRootCommand(params)));
    },
  },
  {
    command: 'assume-role-with-saml',
    summary: 'AssumeRoleWithSAML: a role from a SAML assertion (unsigned call)',
    unsigned: true,
    options: [
      ['--role-arn <arn>', 'the role to assume', true],
      ['--principal-arn <arn>', 'the SAML provider in IAM', true],
      ['--saml-assertion <base64>', 'the base64 SAML Response (prefer --saml-assertion-file)'],
      ['--saml-assertion-file <path>', 'a file holding the base64 SAML Response'],
      DURATION,
      POLICY,
      POLICY_ARNS,
    ],
    async run(options, context, client) {
      const params = {
        RoleArn: str(options, 'roleArn') as string,
        PrincipalArn: str(options, 'principalArn') as string,
        ...common(options),
      };
      validateAssumeRoleWithSamlParams(params);
      const assertion = await secretInput(context, options, 'samlAssertion', '--saml-assertion');
      validateAssumeRoleWithSamlParams({ ...params, SAMLAssertion: assertion });
      return send('AssumeRoleWithSAML', undefined, () =>
        client.send(new AssumeRoleWithSAMLCommand({ ...params, SAMLAssertion: assertion })),
      );
    },
  },
  {
    command: 'assume-role-with-web-identity',
    summary: 'AssumeRoleWithWebIdentity: a role from an OIDC token (unsigned call)',
    unsigned: true,
    options: [
      ['--role-arn <arn>', 'the role to assume', true],
      ['--role-session-name <name>', 'session name (default credchain-<ms since epoch>)'],
      ['--web-identity-token <jwt>', 'the OIDC token (prefer --web-identity-token-file)'],
      ['--web-identity-token-file <path>', 'a file holding the OIDC token'],
      ['--provider-id <domain>', 'OAuth 2.0 provider (www.amazon.com, graph.facebook.com)'],
      DURATION,
      POLICY,
      POLICY_ARNS,
    ],
    async run(options, context, client) {
      const providerId = str(options, 'providerId');
      const params = {
        RoleArn: str(options, 'roleArn') as string,
        RoleSessionName: str(options, 'roleSessionName') ?? defaultRoleSessionName(context.clock.now()),
        ...common(options),
        ...(providerId === undefined ? {} : { ProviderId: providerId }),
      };
      validateAssumeRoleWithWebIdentityParams(params);
      const token = await secretInput(context, options, 'webIdentityToken', '--web-identity-token');
      validateAssumeRoleWithWebIdentityParams({ ...params, WebIdentityToken: token });
      return send('AssumeRoleWithWebIdentity', undefined, () =>
        client.send(new AssumeRoleWithWebIdentityCommand({ ...params, WebIdentityToken: token })),
      );
    },
  },
  {
    command: 'get-session-token',
    summary: 'GetSessionToken: a session of an IAM user (with MFA, a session that can assume MFA roles)',
    options: [DURATION, SERIAL],
    async run(options, context, client) {
      const serial = str(options, 'serialNumber');
      const duration = int(options, 'durationSeconds', '--duration-seconds');
      const params = {
        ...(duration === undefined ? {} : { DurationSeconds: duration }),
        ...(serial === undefined ? {} : { SerialNumber: serial }),
      };
      validateGetSessionTokenParams(params);
      const mfa = await tokenCode(context, serial, 'get-session-token');
      return send('GetSessionToken', serial, () => client.send(new GetSessionTokenCommand({ ...params, ...mfa })));
    },
  },
  {
    command: 'get-federation-token',
    summary: 'GetFederationToken: a federated user session of an IAM user',
    options: [
      ['--name <name>', 'the federated user name', true],
      DURATION,
      POLICY,
      POLICY_ARNS,
      ['--tag <Key=Value...>', 'session tags (repeatable)'],
    ],
    async run(options, _context, client) {
      const sessionTags = tags(options);
      const params = {
        Name: str(options, 'name') as string,
        ...common(options),
        ...(sessionTags === undefined ? {} : { Tags: sessionTags }),
      };
      validateGetFederationTokenParams(params);
      return send('GetFederationToken', undefined, () => client.send(new GetFederationTokenCommand(params)));
    },
  },
  {
    command: 'get-caller-identity',
    alias: 'whoami',
    summary: 'GetCallerIdentity: who the credentials belong to',
    options: [],
    run: (_options, _context, client) =>
      send('GetCallerIdentity', undefined, () => client.send(new GetCallerIdentityCommand({}))),
  },
  {
    command: 'get-access-key-info',
    summary: 'GetAccessKeyInfo: the account an access key ID belongs to',
    options: [['--access-key-id <id>', 'the access key ID (AKIA…/ASIA…)', true]],
    async run(options, _context, client) {
      const id = str(options, 'accessKeyId') as string;
      if (!/^\w{16,128}$/.test(id)) throw new UsageError('--access-key-id must be 16–128 word characters');
      return send('GetAccessKeyInfo', undefined, () => client.send(new GetAccessKeyInfoCommand({ AccessKeyId: id })));
    },
  },
  {
    command: 'decode-authorization-message',
    summary: 'DecodeAuthorizationMessage: the details of an encoded authorization failure',
    options: [['--encoded-message <text>', 'the encoded message of the failure', true]],
    async run(options, _context, client) {
      const message = str(options, 'encodedMessage') as string;
      if (message.length < 1 || message.length > 10240)
        throw new UsageError('--encoded-message must be 1–10240 characters');
      return send('DecodeAuthorizationMessage', undefined, () =>
        client.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: message })),
      );
    },
  },
];

/** The STSClient of an operation: signed by the context's credentials, or unsigned (core's getters). */
export function clientFor(operation: StsOperation, context: Context): STSClient {
  const { clientConfig } = context;
  if (operation.unsigned === true) return unsignedStsClientGetter({ clientConfig })();
  return stsClientGetter({ clientConfig, sourceCredentials: context.credentials() })();
}
