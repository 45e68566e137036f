// Credentials shared between processes through a store: two workers (here two providers that share
// nothing but the store, as two processes would) make one AssumeRole call between them. The store is the
// AWS CLI's cache format in a folder of its own; `@credchain/redis` shares across hosts the same way.
// Run from the repository root:
//   npx ts-node --transpile-only packages/credchain/examples/store.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { awsCliCacheStore, fromAssumeRole } from 'credchain';
import { DEMO_ACCOUNT, startStsLocal } from '@credchain/sts-local';

async function main() {
  const sts = await startStsLocal();
  const dir = mkdtempSync(join(tmpdir(), 'credchain-store-example-'));
  const store = awsCliCacheStore({ dir });
  const worker = (name: string) =>
    fromAssumeRole({
      params: { RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`, RoleSessionName: 'fleet' },
      // alice, a user of sts-local's demo config.
      sourceCredentials: {
        accessKeyId: 'AKIABTX3GSDSSLUIMDMY',
        secretAccessKey: 'aliceDemoSecretKey/credchain/EXAMPLEKEY0',
      },
      clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
      store,
      onEvent: (event) => {
        if (event.type === 'store-hit') console.log(`${name}: took the session from the store`);
        if (event.type === 'store-error') console.log(`${name}: store ${event.kind}: ${event.message}`);
      },
    });
  const first = worker('worker-1');
  const second = worker('worker-2');
  try {
    const a = await first();
    // worker-1 found nothing in the store: it called STS and wrote the session for the others.
    const b = await second();
    // worker-2: took the session from the store
    console.log(`same session: ${a.accessKeyId === b.accessKeyId}`);
    // same session: true
    console.log(`AssumeRole calls: ${sts.calls.filter((c) => c.operation === 'AssumeRole').length}`);
    // AssumeRole calls: 1
  } finally {
    first.close();
    second.close();
    await sts.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
