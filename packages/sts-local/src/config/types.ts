/** A long-term access key pair (IAM user or account root). */
export interface AccessKeyConfig {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** An inactive key answers InvalidClientTokenId. @default 'Active' */
  readonly status?: 'Active' | 'Inactive';
}

/** A virtual MFA device: its serial (ARN) and base32 TOTP seed. */
export interface MfaDeviceConfig {
  /** `arn:aws:iam::ACCOUNT:mfa/NAME` (or a hardware serial). */
  readonly serialNumber: string;
  /** The base32 seed, as an MFA app scans it. */
  readonly secretBase32: string;
}

/** An AWS account. */
export interface AccountConfig {
  /** 12 digits. */
  readonly id: string;
  readonly alias?: string;
  /** Root user access keys (AWS discourages them; the emulator accepts them to test root rules). */
  readonly rootAccessKeys?: readonly AccessKeyConfig[];
  /** MFA devices of the root user. */
  readonly rootMfaDevices?: readonly MfaDeviceConfig[];
  /** Regions where STS is deactivated for this account: requests scoped there answer RegionDisabled. */
  readonly disabledRegions?: readonly string[];
}

/** An IAM user. */
export interface UserConfig {
  readonly account: string;
  readonly name: string;
  /** @default '/' */
  readonly path?: string;
  /** The unique ID (`AIDA…`). @default derived from account and name */
  readonly userId?: string;
  readonly accessKeys?: readonly AccessKeyConfig[];
  readonly mfaDevices?: readonly MfaDeviceConfig[];
}

/**
 * Who may assume a role: the trust policy reduced to the decisions STS makes with it.
 * A principal is an account ID, `arn:aws:iam::ACCT:root` (anyone in that account, incl. its role
 * sessions), a user ARN, a role ARN (sessions of that role), or `*`.
 */
export interface RoleTrustConfig {
  readonly principals?: readonly string[];
  /** `aws:MultiFactorAuthPresent` must be true. @default false */
  readonly requireMfa?: boolean;
  /** `sts:ExternalId` must equal this. */
  readonly externalId?: string;
  /** SAML provider ARNs allowed to AssumeRoleWithSAML. */
  readonly samlProviders?: readonly string[];
  /** OIDC provider ARNs allowed to AssumeRoleWithWebIdentity. */
  readonly oidcProviders?: readonly string[];
  /** `sts:SourceIdentity` must be set. @default false */
  readonly requireSourceIdentity?: boolean;
  /**
   * AWS services that may assume the role: `ec2.amazonaws.com` lets the IMDS endpoint serve it as an instance
   * role, `ecs-tasks.amazonaws.com` or `pods.eks.amazonaws.com` lets the container endpoint serve it as a task role.
   */
  readonly services?: readonly string[];
}

/** An IAM role. */
export interface RoleConfig {
  readonly account: string;
  readonly name: string;
  /** @default '/' */
  readonly path?: string;
  /** The unique ID (`AROA…`). @default derived from account and name */
  readonly roleId?: string;
  /** 3600–43200. @default 3600 */
  readonly maxSessionDuration?: number;
  readonly tags?: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
  readonly trust: RoleTrustConfig;
}

/** An IAM SAML provider. */
export interface SamlProviderConfig {
  /** `arn:aws:iam::ACCT:saml-provider/NAME` */
  readonly arn: string;
  /** The IdP's signing certificate (PEM). */
  readonly certificatePem: string;
}

/** An IAM OIDC provider (or an OAuth 2.0 provider addressed by ProviderId). */
export interface OidcProviderConfig {
  /** `arn:aws:iam::ACCT:oidc-provider/HOST/PATH` @default derived from `url` and `account` */
  readonly arn?: string;
  readonly account: string;
  /** The issuer URL (`https://…`); the token's `iss` must equal it. */
  readonly url: string;
  /** Audiences (client IDs) accepted in `aud`. */
  readonly clientIds: readonly string[];
  readonly jwks: { readonly keys: readonly object[] };
  /** For OAuth 2.0 providers called with `ProviderId` (e.g. `www.amazon.com`). */
  readonly providerId?: string;
}

/** AWS Organizations, as AssumeRoot sees it. */
export interface OrganizationConfig {
  readonly managementAccount: string;
  /** Accounts registered as delegated administrators for IAM. */
  readonly delegatedAdministrators?: readonly string[];
  readonly memberAccounts: readonly string[];
}

/** The EC2 instance behind the IMDS endpoint (`startStsLocal({ imds: true })`). */
export interface InstanceConfig {
  /** The instance profile's role; it must trust `ec2.amazonaws.com` (`trust.services`). */
  readonly roleArn: string;
  /** The instance ID, also the role session name of its credentials (as on EC2). @default 'i-0123456789abcdef0' */
  readonly instanceId?: string;
  /** The instance profile's name (`iam/info`). @default the role's name */
  readonly instanceProfileName?: string;
  /** The Availability Zone; the region (`placement/region`) is it without the last letter. @default 'us-east-1a' */
  readonly availabilityZone?: string;
}

/** The ECS task (or EKS pod) behind the container credentials endpoint (`startStsLocal({ container: true })`). */
export interface ContainerConfig {
  /** The task role; it must trust `ecs-tasks.amazonaws.com` or `pods.eks.amazonaws.com` (`trust.services`). */
  readonly roleArn: string;
  /**
   * The role session name: ECS names task role sessions after the task ID (EKS Pod Identity uses
   * `eks-CLUSTER-POD-UUID`). @default '8f1d2c3b4a5e4f6a9b0c1d2e3f4a5b6c'
   */
  readonly sessionName?: string;
}

/** Everything sts-local knows about: the identity model it judges requests by. */
export interface StsLocalConfig {
  readonly accounts: readonly AccountConfig[];
  readonly users?: readonly UserConfig[];
  readonly roles?: readonly RoleConfig[];
  readonly samlProviders?: readonly SamlProviderConfig[];
  readonly oidcProviders?: readonly OidcProviderConfig[];
  readonly organization?: OrganizationConfig;
  /** The instance whose role the IMDS endpoint serves. */
  readonly instance?: InstanceConfig;
  /** The task whose role the container credentials endpoint serves. */
  readonly container?: ContainerConfig;
  /** The IAM Identity Center (SSO) instance the SSO endpoint serves (`startStsLocal({ sso: true })`). */
  readonly identityCenter?: IdentityCenterConfig;
}

/** A user of an IAM Identity Center instance. */
export interface IdentityCenterUserConfig {
  /** The user name, also the role session name of the user's credentials (as in AWS): `[\w+=,.@-]{2,64}`. */
  readonly userName: string;
}

/**
 * A permission set. In each account it is assigned in, Identity Center provisions it as the IAM role
 * `AWSReservedSSO_<name>_<16 hex digits>`, which must be in `config.roles`.
 */
export interface PermissionSetConfig {
  /** 1–32 characters of `[\w+=,.@-]`; GetRoleCredentials' `role_name` (`sso_role_name`). */
  readonly name: string;
  /** Lifetime of the role credentials GetRoleCredentials issues, 3600–43200 s. @default 3600 */
  readonly sessionDurationSeconds?: number;
}

/** A user's access to a permission set in an account. */
export interface AccountAssignmentConfig {
  readonly userName: string;
  readonly account: string;
  readonly permissionSet: string;
}

/** An IAM Identity Center instance: its AWS access portal, users, permission sets and account assignments. */
export interface IdentityCenterConfig {
  /** The AWS access portal URL (`sso_start_url`), e.g. `https://d-1234567890.awsapps.com/start`. */
  readonly startUrl: string;
  /** The instance's region (`sso_region`). */
  readonly region: string;
  /**
   * How long a sign-in lasts (the access portal's session duration): refresh tokens end then, and
   * legacy (non-refreshable) access tokens too. 900–7776000 s (15 min–90 days). @default 28800 (8 h, as in AWS)
   */
  readonly sessionDurationSeconds?: number;
  readonly users: readonly IdentityCenterUserConfig[];
  readonly permissionSets: readonly PermissionSetConfig[];
  readonly assignments: readonly AccountAssignmentConfig[];
}
