// fromContainerMetadata against sts-local's container credentials endpoint. Run from the repository root:
//   npx ts-node --transpile-only packages/sources/examples/container.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromContainerMetadata } from '@credchain/sources';
import { startStsLocal } from '@credchain/sts-local';

async function main() {
  const sts = await startStsLocal({ container: true });
  // In an ECS task or an EKS pod the environment holds these (AWS_CONTAINER_CREDENTIALS_FULL_URI or
  // _RELATIVE_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN or _TOKEN_FILE): `fromContainerMetadata()` then
  // needs no options. Here `env` stands in for process.env.
  const credentials = fromContainerMetadata({ env: { ...sts.container!.env } });
  try {
    const client = new STSClient({ endpoint: sts.endpoint, region: 'us-east-1', credentials });
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // arn:aws:sts::111122223333:assumed-role/task-role/8f1d2c3b4a5e4f6a9b0c1d2e3f4a5b6c
  } finally {
    credentials.close();
    await sts.stop();
  }
}

void main();
