// The engine on STS's time line: this host's clock runs 10 minutes behind sts-local's, as a VM's may after a
// resume or a container's without NTP. Run from the repository root:
//   npx ts-node --transpile-only packages/credchain/examples/server-time.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromAssumeRole } from 'credchain';
import { DEMO_ACCOUNT, startStsLocal } from '@credchain/sts-local';

const MINUTE = 60_000;

async function main() {
  // sts-local's clock: 10 minutes ahead of this host's.
  const sts = await startStsLocal({ clock: { now: () => Date.now() + 10 * MINUTE } });
  let offsetMs = 0;
  const credentials = fromAssumeRole({
    params: {
      RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`,
      RoleSessionName: 'worker',
      DurationSeconds: 900,
    },
    // alice, a user of sts-local's demo config.
    sourceCredentials: {
      accessKeyId: 'AKIABTX3GSDSSLUIMDMY',
      secretAccessKey: 'aliceDemoSecretKey/credchain/EXAMPLEKEY0',
    },
    clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
    onEvent: (event) => {
      if (event.type !== 'clock-skew') return;
      offsetMs = event.offsetMs;
      console.log(`${event.provider}: this host's clock is ${Math.round(offsetMs / MINUTE)} min behind STS's`);
    },
  });
  // Any AWS SDK v3 client: S3, DynamoDB, … (here STS's GetCallerIdentity stands for the service).
  const client = new STSClient({ endpoint: sts.endpoint, region: 'us-east-1', credentials });
  try {
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // assume-role: this host's clock is 10 min behind STS's
    // arn:aws:sts::111122223333:assumed-role/demo-role/worker

    // The SDK corrects the clock it signs with from the same Date header: the two agree.
    console.log(`the SDK signs ${Math.round(client.config.systemClockOffset / MINUTE)} min ahead of this host`);
    // the SDK signs 10 min ahead of this host

    // The 15-minute session ends 10 minutes sooner by STS's clock than by this host's; the provider
    // refreshes it by STS's (in its last 5 minutes there), before STS answers ExpiredToken.
    const { expiration } = await credentials();
    const left = (now: number) => Math.round((expiration.getTime() - now) / MINUTE);
    console.log(`session left: ${left(Date.now() + offsetMs)} min by STS's clock, ${left(Date.now())} by this host's`);
    // session left: 15 min by STS's clock, 25 by this host's
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
