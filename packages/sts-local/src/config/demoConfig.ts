import { demoOidcSigningMaterial } from '../oidc';
import { demoSamlSigningMaterial } from '../saml';
import type { StsLocalConfig } from './types';

/** The demo organization's management account (alice's account). */
export const DEMO_ACCOUNT = '111122223333';
/** A member account of the demo organization (AssumeRoot targets it). */
export const DEMO_MEMBER_ACCOUNT = '444455556666';
/** A delegated administrator account for IAM in the demo organization. */
export const DEMO_DELEGATED_ADMIN_ACCOUNT = '777788889999';
/** The demo OIDC issuer. */
export const DEMO_OIDC_ISSUER = 'https://oidc.credchain.example';
/** The demo EC2 instance behind the IMDS endpoint (the session name of its role credentials). */
export const DEMO_INSTANCE_ID = 'i-0123456789abcdef0';
/** The demo ECS task behind the container endpoint (the session name of its task role credentials). */
export const DEMO_TASK_ID = '8f1d2c3b4a5e4f6a9b0c1d2e3f4a5b6c';
/** The demo IAM Identity Center instance's AWS access portal URL (`sso_start_url`); its region is us-east-1. */
export const DEMO_SSO_START_URL = 'https://credchain-demo.awsapps.com/start';
/** Where Identity Center provisions permission set roles (for an instance in us-east-1). */
const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

/**
 * The identity model sts-local loads when given none; every operation has a caller here.
 * The keys and MFA seed are published demo values: they protect nothing.
 */
export const demoConfig: StsLocalConfig = {
  accounts: [
    {
      id: DEMO_ACCOUNT,
      alias: 'credchain-demo',
      rootAccessKeys: [
        { accessKeyId: 'AKIABTX3GSDSZ7W7HAOM', secretAccessKey: 'demoRootSecretKey/credchain/EXAMPLEKEY00' },
      ],
      disabledRegions: ['ap-east-1'],
    },
    { id: DEMO_MEMBER_ACCOUNT, alias: 'credchain-member' },
    { id: DEMO_DELEGATED_ADMIN_ACCOUNT, alias: 'credchain-security' },
  ],
  users: [
    {
      account: DEMO_ACCOUNT,
      name: 'alice',
      accessKeys: [
        { accessKeyId: 'AKIABTX3GSDSSLUIMDMY', secretAccessKey: 'aliceDemoSecretKey/credchain/EXAMPLEKEY0' },
      ],
      mfaDevices: [
        { serialNumber: `arn:aws:iam::${DEMO_ACCOUNT}:mfa/alice`, secretBase32: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
      ],
    },
    {
      account: DEMO_ACCOUNT,
      name: 'bob',
      accessKeys: [
        { accessKeyId: 'AKIABTX3GSDSVLZMXAGT', secretAccessKey: 'bobDemoSecretKey/credchain/EXAMPLEKEY000' },
      ],
    },
    {
      account: DEMO_DELEGATED_ADMIN_ACCOUNT,
      name: 'security-admin',
      accessKeys: [
        { accessKeyId: 'AKIAGO645SY5OYY65GR3', secretAccessKey: 'secAdminDemoSecretKey/credchain/EXAMPLE0' },
      ],
    },
    {
      account: DEMO_MEMBER_ACCOUNT,
      name: 'member-dev',
      accessKeys: [{ accessKeyId: 'AKIAGO645SY5LLG3O4O4', secretAccessKey: 'memberDemoSecretKey/credchain/EXAMPLEKE' }],
    },
  ],
  roles: [
    {
      account: DEMO_ACCOUNT,
      name: 'demo-role',
      maxSessionDuration: 43200,
      tags: [{ Key: 'Project', Value: 'credchain' }],
      trust: { principals: [`arn:aws:iam::${DEMO_ACCOUNT}:root`] },
    },
    {
      account: DEMO_ACCOUNT,
      name: 'mfa-role',
      maxSessionDuration: 43200,
      trust: { principals: [`arn:aws:iam::${DEMO_ACCOUNT}:user/alice`], requireMfa: true },
    },
    {
      account: DEMO_ACCOUNT,
      name: 'chained-role',
      maxSessionDuration: 43200,
      trust: { principals: [`arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`] },
    },
    {
      account: DEMO_ACCOUNT,
      name: 'external-id-role',
      trust: { principals: [`arn:aws:iam::${DEMO_ACCOUNT}:root`], externalId: 'credchain-external-id' },
    },
    {
      account: DEMO_ACCOUNT,
      name: 'saml-role',
      maxSessionDuration: 43200,
      trust: { samlProviders: [`arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`] },
    },
    {
      account: DEMO_ACCOUNT,
      name: 'web-identity-role',
      trust: { oidcProviders: [`arn:aws:iam::${DEMO_ACCOUNT}:oidc-provider/oidc.credchain.example`] },
    },
    {
      account: DEMO_ACCOUNT,
      name: 'instance-role',
      trust: { services: ['ec2.amazonaws.com'] },
    },
    {
      account: DEMO_ACCOUNT,
      name: 'task-role',
      trust: { services: ['ecs-tasks.amazonaws.com', 'pods.eks.amazonaws.com'] },
    },
    // Provisioned by IAM Identity Center for the demo permission sets; only its portal hands them out.
    {
      account: DEMO_ACCOUNT,
      name: 'AWSReservedSSO_AdministratorAccess_a1b2c3d4e5f60718',
      path: SSO_ROLE_PATH,
      maxSessionDuration: 43200,
      trust: {},
    },
    {
      account: DEMO_MEMBER_ACCOUNT,
      name: 'AWSReservedSSO_ReadOnlyAccess_1f2e3d4c5b6a7980',
      path: SSO_ROLE_PATH,
      maxSessionDuration: 43200,
      trust: {},
    },
  ],
  identityCenter: {
    startUrl: DEMO_SSO_START_URL,
    region: 'us-east-1',
    users: [{ userName: 'alice' }, { userName: 'bob' }],
    permissionSets: [{ name: 'AdministratorAccess' }, { name: 'ReadOnlyAccess', sessionDurationSeconds: 28800 }],
    assignments: [
      { userName: 'alice', account: DEMO_ACCOUNT, permissionSet: 'AdministratorAccess' },
      { userName: 'alice', account: DEMO_MEMBER_ACCOUNT, permissionSet: 'ReadOnlyAccess' },
      { userName: 'bob', account: DEMO_MEMBER_ACCOUNT, permissionSet: 'ReadOnlyAccess' },
    ],
  },
  instance: {
    roleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/instance-role`,
    instanceId: DEMO_INSTANCE_ID,
    availabilityZone: 'us-east-1a',
  },
  container: { roleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/task-role`, sessionName: DEMO_TASK_ID },
  samlProviders: [
    {
      arn: `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`,
      certificatePem: demoSamlSigningMaterial.certificatePem,
    },
  ],
  oidcProviders: [
    {
      account: DEMO_ACCOUNT,
      url: DEMO_OIDC_ISSUER,
      clientIds: ['sts.amazonaws.com', 'credchain-demo'],
      jwks: demoOidcSigningMaterial.publicJwks,
    },
  ],
  organization: {
    managementAccount: DEMO_ACCOUNT,
    delegatedAdministrators: [DEMO_DELEGATED_ADMIN_ACCOUNT],
    memberAccounts: [DEMO_MEMBER_ACCOUNT, DEMO_DELEGATED_ADMIN_ACCOUNT],
  },
};
