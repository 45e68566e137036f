// fromSso against sts-local's IAM Identity Center, with the cache file `aws sso login` would leave.
// Run from the repository root:
//   npx ts-node --transpile-only packages/sources/examples/sso.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromSso } from '@credchain/sources';
import { DEMO_ACCOUNT, startStsLocal } from '@credchain/sts-local';

async function main() {
  const sts = await startStsLocal({ sso: true });
  const sso = sts.sso!;
  const home = mkdtempSync(join(tmpdir(), 'credchain-sso-example-'));
  process.env.HOME = home; // where ~/.aws/sso/cache is looked for
  sso.writeTokenCache({ home, sessionName: 'demo' }); // what `aws sso login --sso-session demo` leaves
  const configFilepath = join(home, 'config');
  writeFileSync(
    configFilepath,
    ['[profile dev]', 'sso_session = demo', `sso_account_id = ${DEMO_ACCOUNT}`, 'sso_role_name = AdministratorAccess']
      .concat(['[sso-session demo]', `sso_start_url = ${sso.startUrl}`, `sso_region = ${sso.region}`, ''])
      .join('\n'),
  );
  // With ~/.aws/config and the real IAM Identity Center: `fromSso({ profile: 'dev' })`.
  const credentials = fromSso({ profile: 'dev', configFilepath, clientConfig: { endpoint: sso.endpoint } });
  try {
    const client = new STSClient({ endpoint: sts.endpoint, region: 'us-east-1', credentials });
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_a1b2c3d4e5f60718/alice
  } finally {
    credentials.close();
    await sts.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

void main();
