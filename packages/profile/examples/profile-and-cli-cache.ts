// Runs offline, from the repository's root, with no build:
//   TS_NODE_COMPILER_OPTIONS='{"target":"es2022","module":"commonjs"}' \
//     node -r ts-node/register/transpile-only -r ./packages/testkit/resolveSources.js \
//     packages/profile/examples/profile-and-cli-cache.ts
// sts-local stands in for AWS STS with its demo identities.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { totpCodeProvider } from '@credchain/core';
import { fromProfile } from '@credchain/profile';
import { startStsLocal } from '@credchain/sts-local';

async function main(): Promise<void> {
  const sts = await startStsLocal();
  const dir = mkdtempSync(join(tmpdir(), 'credchain-example-'));
  try {
    // What a user keeps in ~/.aws/config and ~/.aws/credentials (sts-local's published demo keys).
    writeFileSync(
      join(dir, 'config'),
      [
        '[profile admin]',
        'role_arn = arn:aws:iam::111122223333:role/mfa-role',
        'source_profile = alice',
        'mfa_serial = arn:aws:iam::111122223333:mfa/alice',
        'duration_seconds = 7200',
        '',
        '[profile deploy]',
        'role_arn = arn:aws:iam::111122223333:role/chained-role',
        'source_profile = demo',
        '',
        '[profile demo]',
        'role_arn = arn:aws:iam::111122223333:role/demo-role',
        'source_profile = alice',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'credentials'),
      '[alice]\naws_access_key_id = AKIABTX3GSDSSLUIMDMY\n' +
        'aws_secret_access_key = aliceDemoSecretKey/credchain/EXAMPLEKEY0\n',
    );
    const cacheDir = join(dir, 'cli-cache'); // `cliCache: true` would use ~/.aws/cli/cache, shared with the AWS CLI
    const options = {
      filepath: join(dir, 'credentials'),
      configFilepath: join(dir, 'config'),
      clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
      cliCache: cacheDir,
      // A TOTP generator for the demo device; a person would use promptCodeProvider().
      mfaCodeProvider: totpCodeProvider({ secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }),
      onEvent: (e: { type: string }) => console.log(`event: ${e.type}`),
    };

    for (const profile of ['admin', 'deploy']) {
      const credentials = fromProfile({ ...options, profile });
      const client = new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, credentials });
      const { Arn } = await client.send(new GetCallerIdentityCommand({}));
      console.log(`${profile}: ${Arn}`);
      client.destroy();
      credentials.close();
    }
    // The AWS CLI's entries (SHA-1 names), beside credchain's record of used MFA codes (hashes, no code).
    const names = readdirSync(cacheDir);
    console.log(`cache files: ${names.filter((name) => /^[0-9a-f]{40}\.json$/.test(name)).length}`);
    console.log(`used MFA codes recorded: ${names.includes('credchain-mfa-used-codes.json')}`);

    // A second process (or the AWS CLI) finds the role in the cache: no AssumeRole, no MFA prompt.
    sts.clearCalls();
    const again = fromProfile({ ...options, profile: 'admin' });
    await again();
    again.close();
    console.log(`STS calls for the cached role: ${sts.calls.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sts.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
