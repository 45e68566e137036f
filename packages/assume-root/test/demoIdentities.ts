import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, DEMO_DELEGATED_ADMIN_ACCOUNT, DEMO_MEMBER_ACCOUNT, demoConfig } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

// The callers AssumeRoot distinguishes, read from sts-local's demo config (not copied): the
// management account, a delegated administrator for IAM, a member account that is neither, and a
// root user (which AssumeRoot refuses).

function userKeys(account: string, name: string): AwsCredentialIdentity {
  const key = demoConfig.users?.find((u) => u.account === account && u.name === name)?.accessKeys?.[0];
  if (key === undefined) throw new Error(`demoConfig has no user ${name} with keys in ${account}`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

const rootKey = demoConfig.accounts.find((a) => a.id === DEMO_ACCOUNT)?.rootAccessKeys?.[0];
if (rootKey === undefined) throw new Error('demoConfig has no root access key for the management account');

/** alice, an IAM user of the organization's management account. */
export const MANAGEMENT_USER = userKeys(DEMO_ACCOUNT, 'alice');
/** security-admin, an IAM user of the delegated administrator account. */
export const DELEGATED_ADMIN_USER = userKeys(DEMO_DELEGATED_ADMIN_ACCOUNT, 'security-admin');
/** member-dev, an IAM user of a member account that is not a delegated administrator. */
export const MEMBER_USER = userKeys(DEMO_MEMBER_ACCOUNT, 'member-dev');
/** The management account's root user. */
export const MANAGEMENT_ROOT: AwsCredentialIdentity = {
  accessKeyId: rootKey.accessKeyId,
  secretAccessKey: rootKey.secretAccessKey,
};

export const AUDIT_TASK = { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' };
export { DEMO_ACCOUNT, DEMO_DELEGATED_ADMIN_ACCOUNT, DEMO_MEMBER_ACCOUNT };

/** Aims a client at sts-local's Regional endpoint (where AssumeRoot is served). */
export const regional = (sts: StsLocal, region = 'us-east-1') => ({ endpoint: sts.endpoint, region });

/**
 * GetCallerIdentity through a client of its own, signed with `credentials`: sts-local verifies the
 * signature (and the session's expiry) and names the caller.
 */
export async function whoAmI(
  sts: StsLocal,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
): Promise<GetCallerIdentityCommandOutput> {
  const client = new STSClient({ ...regional(sts), credentials, maxAttempts: 1 });
  try {
    return await client.send(new GetCallerIdentityCommand({}));
  } finally {
    client.destroy();
  }
}

/** What `run` threw (fails the test when it did not). */
export async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
