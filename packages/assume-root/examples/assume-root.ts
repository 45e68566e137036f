// fromAssumeRoot against sts-local, whose demo organization has a management account
// (111122223333, user alice) and a member account (444455556666). Run from the repository root:
//   npx ts-node --transpile-only packages/assume-root/examples/assume-root.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromAssumeRoot } from '@credchain/assume-root';
import { DEMO_MEMBER_ACCOUNT, demoConfig, startStsLocal } from '@credchain/sts-local';

async function main() {
  const sts = await startStsLocal();
  const alice = demoConfig.users!.find((u) => u.name === 'alice')!.accessKeys![0]!;
  // sts-local's `endpoint` is a Regional endpoint; AssumeRoot is not served by sts.amazonaws.com.
  const clientConfig = { endpoint: sts.endpoint, region: 'us-east-1' };
  const credentials = fromAssumeRoot({
    params: {
      TargetPrincipal: DEMO_MEMBER_ACCOUNT,
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
      // DurationSeconds: 900 is the default and the maximum
    },
    sourceCredentials: alice, // the management account's (or a delegated IAM admin's) credentials
    clientConfig,
  });
  try {
    const client = new STSClient({ ...clientConfig, credentials });
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // arn:aws:iam::444455556666:root
    const { expiration, origin } = await credentials();
    console.log(`${origin} session, expires ${expiration.toISOString()}`);
    client.destroy();
  } finally {
    credentials.close();
    await sts.stop();
  }
}

void main();
