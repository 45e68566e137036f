// withCredentialRecovery against sts-local: the session behind a client's credentials is revoked while the
// client runs, and the next request still succeeds. Run from the repository root:
//   npx ts-node --transpile-only packages/credchain/examples/recovery.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromAssumeRole, withCredentialRecovery } from 'credchain';
import { DEMO_ACCOUNT, startStsLocal } from '@credchain/sts-local';

async function main() {
  const sts = await startStsLocal();
  const credentials = fromAssumeRole({
    params: { RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`, RoleSessionName: 'worker' },
    // alice, a user of sts-local's demo config.
    sourceCredentials: {
      accessKeyId: 'AKIABTX3GSDSSLUIMDMY',
      secretAccessKey: 'aliceDemoSecretKey/credchain/EXAMPLEKEY0',
    },
    clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
    onEvent: (event) => {
      if (event.type === 'credentials-rejected') console.log(`${event.provider}: ${event.code}, refreshing`);
    },
  });
  // Any AWS SDK v3 client: S3, DynamoDB, … (here STS's GetCallerIdentity stands for the service).
  const client = withCredentialRecovery(new STSClient({ endpoint: sts.endpoint, region: 'us-east-1', credentials }));
  try {
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // arn:aws:sts::111122223333:assumed-role/demo-role/worker

    // The session is revoked: STS now answers InvalidClientTokenId to anything signed with it.
    sts.revokeSession((await credentials()).accessKeyId);

    // The rejected request is retried once, with credentials from one refresh, and succeeds.
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // assume-role: InvalidClientTokenId, refreshing
    // arn:aws:sts::111122223333:assumed-role/demo-role/worker
  } finally {
    client.destroy();
    credentials.close();
    await sts.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
