// fromSamlAssertion against sts-local, whose demo IdP signs the assertions. Run from the repository root:
//   npx ts-node --transpile-only packages/saml/examples/saml.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromSamlAssertion } from '@credchain/saml';
import { DEMO_ACCOUNT, demoSamlSigningMaterial, mintSamlResponse, startStsLocal } from '@credchain/sts-local';

const RoleArn = `arn:aws:iam::${DEMO_ACCOUNT}:role/saml-role`;
const PrincipalArn = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`;

async function main() {
  const sts = await startStsLocal();
  const clientConfig = { endpoint: sts.endpoint, region: 'us-east-1' };
  // With a real IdP, this fetches a fresh SAML response from it.
  const fetchSamlResponse = async () =>
    mintSamlResponse({
      issuer: 'https://idp.credchain.example/saml',
      ...demoSamlSigningMaterial,
      subject: 'alice',
      roles: [{ roleArn: RoleArn, principalArn: PrincipalArn }],
      roleSessionName: 'alice',
      now: Date.now(),
    });

  const credentials = fromSamlAssertion({
    params: { RoleArn, PrincipalArn, DurationSeconds: 3600 },
    samlAssertion: fetchSamlResponse, // called for the first fetch and again for every refresh
    clientConfig,
  });
  try {
    const client = new STSClient({ ...clientConfig, credentials });
    console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);
    // arn:aws:sts::111122223333:assumed-role/saml-role/alice
    const refreshed = await credentials.refresh(); // a new assertion, new credentials
    console.log(`refreshed, expires ${refreshed.expiration.toISOString()}`);
  } finally {
    credentials.close();
    await sts.stop();
  }
}

void main();
