// fromWebIdentity against sts-local, whose demo OIDC issuer signs the tokens. Run from the repository root:
//   npx ts-node --transpile-only packages/web-identity/examples/web-identity.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromWebIdentity } from '@credchain/web-identity';
import {
  DEMO_ACCOUNT,
  DEMO_OIDC_ISSUER,
  demoOidcSigningMaterial,
  mintWebIdentityToken,
  startStsLocal,
} from '@credchain/sts-local';

async function main() {
  const sts = await startStsLocal();
  const dir = mkdtempSync(join(tmpdir(), 'credchain-example-'));
  const tokenFile = join(dir, 'token');
  // What the kubelet does, and redoes before the token expires.
  const writeToken = async () =>
    writeFileSync(
      tokenFile,
      await mintWebIdentityToken({
        issuer: DEMO_OIDC_ISSUER,
        subject: 'system:serviceaccount:default:app',
        audience: 'sts.amazonaws.com',
        privateJwk: demoOidcSigningMaterial.privateJwk,
        kid: demoOidcSigningMaterial.kid,
        now: Date.now(),
      }),
    );
  await writeToken();

  // In a pod, these three come from the environment (AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME,
  // AWS_WEB_IDENTITY_TOKEN_FILE), and `fromWebIdentity()` needs no options at all.
  const clientConfig = { endpoint: sts.endpoint, region: 'us-east-1' };
  const credentials = fromWebIdentity({
    params: { RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/web-identity-role`, RoleSessionName: 'app' },
    webIdentityTokenFile: tokenFile, // read again for every refresh
    clientConfig,
  });
  try {
    const client = new STSClient({ ...clientConfig, credentials });
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // arn:aws:sts::111122223333:assumed-role/web-identity-role/app
    await writeToken(); // rotated
    const refreshed = await credentials.refresh();
    console.log(`refreshed with the rotated token, expires ${refreshed.expiration.toISOString()}`);
  } finally {
    credentials.close();
    await sts.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
