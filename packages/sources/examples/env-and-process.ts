// fromEnv and fromProcess in a chain: environment keys when set, else a credential_process command.
// Run from the repository root:
//   npx ts-node --transpile-only packages/sources/examples/env-and-process.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { chain } from '@credchain/core';
import { fromEnv, fromProcess } from '@credchain/sources';
import { demoConfig, startStsLocal } from '@credchain/sts-local';

async function main() {
  const sts = await startStsLocal();
  const dir = mkdtempSync(join(tmpdir(), 'credchain-process-example-'));
  // A stand-in for a credential_process tool: it prints the Version 1 JSON the AWS CLI reads.
  const bob = demoConfig.users!.find((u) => u.name === 'bob')!.accessKeys![0]!;
  const tool = join(dir, 'tool.js');
  const output = { Version: 1, AccessKeyId: bob.accessKeyId, SecretAccessKey: bob.secretAccessKey };
  writeFileSync(tool, `console.log(${JSON.stringify(JSON.stringify(output))})`);
  // `env: {}` stands in for a process.env without AWS_ACCESS_KEY_ID: the chain goes on to the command.
  const credentials = chain(fromEnv({ env: {} }), fromProcess({ command: `"${process.execPath}" "${tool}"` }));
  try {
    const client = new STSClient({ endpoint: sts.endpoint, region: 'us-east-1', credentials });
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // arn:aws:iam::111122223333:user/bob
  } finally {
    credentials.close();
    await sts.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
