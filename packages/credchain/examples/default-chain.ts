// fromDefaultChain against sts-local's container and instance metadata endpoints: the environment an ECS task
// or an EC2 instance gives a process, offline. Run from the repository root:
//   npx ts-node --transpile-only packages/credchain/examples/default-chain.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromDefaultChain } from 'credchain';
import { startStsLocal } from '@credchain/sts-local';

async function whoAmI(endpoint: string): Promise<string | undefined> {
  // In a task or on an instance this is all it takes: new STSClient({ credentials: fromDefaultChain() }).
  const credentials = fromDefaultChain();
  const client = new STSClient({ endpoint, region: 'us-east-1', credentials });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
    credentials.close();
  }
}

async function main() {
  const sts = await startStsLocal({ imds: true, container: true });
  try {
    // An ECS task (or an EKS pod with Pod Identity): the container credentials variables are set.
    Object.assign(process.env, sts.container!.env);
    console.log(await whoAmI(sts.endpoint));
    // arn:aws:sts::111122223333:assumed-role/task-role/8f1d2c3b4a5e4f6a9b0c1d2e3f4a5b6c

    // An EC2 instance: no container variables, so the chain asks the instance metadata service (IMDSv2).
    delete process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    delete process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = sts.imds!.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    console.log(await whoAmI(sts.endpoint));
    // arn:aws:sts::111122223333:assumed-role/instance-role/i-0123456789abcdef0
  } finally {
    await sts.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
