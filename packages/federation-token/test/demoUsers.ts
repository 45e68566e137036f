import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, demoConfig } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

// GetFederationToken's callers, read from sts-local's demo config: an IAM user with long-term keys
// (the identity broker) and the account's root user (whose sessions STS caps at one hour).

const alice = demoConfig.users?.find((u) => u.account === DEMO_ACCOUNT && u.name === 'alice')?.accessKeys?.[0];
const root = demoConfig.accounts.find((a) => a.id === DEMO_ACCOUNT)?.rootAccessKeys?.[0];
if (alice === undefined || root === undefined) throw new Error('demoConfig lacks alice or the root user keys');

export const BROKER: AwsCredentialIdentity = { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey };
export const ROOT_USER: AwsCredentialIdentity = {
  accessKeyId: root.accessKeyId,
  secretAccessKey: root.secretAccessKey,
};
export { DEMO_ACCOUNT };

export const federatedArn = (name: string): string => `arn:aws:sts::${DEMO_ACCOUNT}:federated-user/${name}`;

export const READ_ONLY = [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }];

/** sts-local's Regional endpoint, one attempt per call (SDK retry delays would wait on fake timers). */
export const at = (sts: StsLocal, region = 'us-east-1'): STSClientConfig => ({
  endpoint: sts.endpoint,
  region,
  maxAttempts: 1,
});

/** A real STSClient signing with `credentials`; the caller destroys it. */
export const clientFor = (
  sts: StsLocal,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
): STSClient => new STSClient({ ...at(sts), credentials });

/** The ARN sts-local names for a request it verified, signed with `credentials`. */
export async function callerArnOf(sts: StsLocal, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) {
  const client = clientFor(sts, credentials);
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}
