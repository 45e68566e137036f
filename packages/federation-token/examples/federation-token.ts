// fromFederationToken against sts-local, with the demo IAM user alice as the identity broker.
// Run from the repository root:
//   npx ts-node --transpile-only packages/federation-token/examples/federation-token.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromFederationToken } from '@credchain/federation-token';
import { demoConfig, startStsLocal } from '@credchain/sts-local';

async function main() {
  const sts = await startStsLocal();
  const alice = demoConfig.users!.find((u) => u.name === 'alice')!.accessKeys![0]!;
  const clientConfig = { endpoint: sts.endpoint, region: 'us-east-1' };
  const credentials = fromFederationToken({
    params: {
      Name: 'carol', // the user your broker authenticated
      // The session gets what this policy and alice's policies both allow; with no session
      // policy it could do nothing, and the provider warns.
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/carol/*' }],
      }),
      DurationSeconds: 3600,
    },
    sourceCredentials: alice, // long-term keys: STS refuses temporary ones here
    clientConfig,
  });
  try {
    const client = new STSClient({ ...clientConfig, credentials });
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // arn:aws:sts::111122223333:federated-user/carol
    const { expiration, origin } = await credentials();
    console.log(`${origin} session, expires ${expiration.toISOString()}`);
    client.destroy();
  } finally {
    credentials.close();
    await sts.stop();
  }
}

void main();
