/** The `credential_source` values the AWS CLI knows (botocore's canonical provider names, case as written). */
export const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const;
export type CredentialSourceName = (typeof CREDENTIAL_SOURCES)[number];

/** How one profile gets its credentials, with its source resolved all the way down. */
export type Plan =
  | {
      readonly kind: 'static';
      readonly profile: string;
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken?: string;
    }
  /** `credential_source` of a role profile: the environment, instance metadata or a container endpoint. */
  | { readonly kind: 'credential-source'; readonly profile: string; readonly source: CredentialSourceName }
  | { readonly kind: 'process'; readonly profile: string; readonly command: string }
  | {
      readonly kind: 'web-identity';
      readonly profile: string;
      readonly roleArn: string;
      readonly tokenFile: string;
      readonly roleSessionName?: string;
    }
  /**
   * IAM Identity Center: GetRoleCredentials with the token `aws sso login` cached, for the session
   * (`ssoSession`, refreshed) or the legacy start URL (not refreshed).
   */
  | {
      readonly kind: 'sso';
      readonly profile: string;
      readonly accountId: string;
      readonly roleName: string;
      readonly startUrl: string;
      readonly region: string;
      readonly ssoSession?: string;
    }
  | {
      readonly kind: 'assume-role';
      readonly profile: string;
      readonly roleArn: string;
      readonly roleSessionName?: string;
      readonly externalId?: string;
      readonly mfaSerial?: string;
      readonly durationSeconds?: number;
      readonly source: Plan;
    };

export type AssumeRolePlan = Extract<Plan, { kind: 'assume-role' }>;
export type SsoPlan = Extract<Plan, { kind: 'sso' }>;

/**
 * Whether credentials of this plan are a role session, so that STS caps a role assumed with them at
 * one hour: roles, web identity, IAM Identity Center, and instance and task roles.
 */
export function isRoleSession(plan: Plan): boolean {
  if (plan.kind === 'credential-source') return plan.source !== 'Environment';
  return plan.kind === 'assume-role' || plan.kind === 'web-identity' || plan.kind === 'sso';
}

/** One line for the debug log: the chain of a plan, from the profile down to its source. */
export function describePlan(plan: Plan): string {
  switch (plan.kind) {
    case 'assume-role':
      return (
        `AssumeRole ${plan.roleArn}${plan.mfaSerial === undefined ? '' : ' with MFA'}, ` +
        `source: ${plan.source.profile} (${describePlan(plan.source)})`
      );
    case 'web-identity':
      return `AssumeRoleWithWebIdentity ${plan.roleArn}`;
    case 'sso':
      return (
        `IAM Identity Center role ${plan.roleName} in ${plan.accountId} ` +
        (plan.ssoSession === undefined ? `(legacy, ${plan.startUrl})` : `(sso-session ${plan.ssoSession})`)
      );
    case 'process':
      return 'credential_process';
    case 'credential-source':
      return `credential_source ${plan.source}`;
    case 'static':
      return `static keys ${plan.accessKeyId}`;
  }
}
