// fromInstanceMetadata against sts-local's IMDS, and a role assumed from the instance role.
// Run from the repository root:
//   npx ts-node --transpile-only packages/sources/examples/instance-metadata.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromAssumeRole } from '@credchain/assume-role';
import { fromInstanceMetadata } from '@credchain/sources';
import { DEMO_ACCOUNT, startStsLocal } from '@credchain/sts-local';

async function main() {
  const sts = await startStsLocal({ imds: true });
  // On EC2, `fromInstanceMetadata()` needs no options: IMDS is at 169.254.169.254.
  const instance = fromInstanceMetadata({ endpoint: sts.imds!.endpoint });
  const clientConfig = { endpoint: sts.endpoint, region: 'us-east-1' };
  const admin = fromAssumeRole({
    params: { RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`, RoleSessionName: 'ops', DurationSeconds: 7200 },
    sourceCredentials: instance, // role chaining: capped at 1 hour, with a duration-capped event
    clientConfig,
  });
  try {
    for (const credentials of [instance, admin]) {
      const client = new STSClient({ ...clientConfig, credentials });
      console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    }
    // arn:aws:sts::111122223333:assumed-role/instance-role/i-0123456789abcdef0
    // arn:aws:sts::111122223333:assumed-role/demo-role/ops
  } finally {
    admin.close();
    instance.close();
    await sts.stop();
  }
}

void main();
