// Every profile kind the AWS CLI v2 resolves, offline, from the repository's root, with no build:
//   TS_NODE_COMPILER_OPTIONS='{"target":"es2022","module":"commonjs"}' \
//     node -r ts-node/register/transpile-only -r ./packages/testkit/resolveSources.js \
//     packages/profile/examples/every-kind.ts
// sts-local stands in for STS, IAM Identity Center, EC2 instance metadata and an ECS container endpoint.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromProfile } from '@credchain/profile';
import { startStsLocal } from '@credchain/sts-local';

async function main(): Promise<void> {
  const sts = await startStsLocal({ sso: true, imds: true, container: true });
  const home = mkdtempSync(join(tmpdir(), 'credchain-example-'));
  const saved = { ...process.env };
  try {
    // What `aws sso login` leaves in ~/.aws/sso/cache, and what EC2 and ECS put in the environment.
    process.env.HOME = home;
    sts.sso!.writeTokenCache({ home, sessionName: 'corp' });
    Object.assign(process.env, sts.imds!.env, sts.container!.env);
    const tokenFile = join(home, 'web-identity-token');
    const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
    writeFileSync(tokenFile, await sts.mintWebIdentityToken({ subject: 'ci-job', roleArn: role('web-identity-role') }));

    // Each profile sends its STS calls where its [services] section says (or its endpoint_url would).
    const profile = (name: string, ...lines: string[]) => [`[profile ${name}]`, 'services = local', ...lines];
    mkdirSync(join(home, '.aws'), { recursive: true }); // sso/cache is already there
    writeFileSync(
      join(home, '.aws', 'config'),
      [
        '[services local]',
        'sts =',
        `  endpoint_url = ${sts.endpoint}`,
        // IAM Identity Center: the permission set's role, with the token of the sso-session
        ...profile('sso', 'sso_session = corp', 'sso_account_id = 111122223333', 'sso_role_name = AdministratorAccess'),
        '[sso-session corp]',
        `sso_start_url = ${sts.sso!.startUrl}`,
        `sso_region = ${sts.sso!.region}`,
        // A role assumed with the SSO role's credentials
        ...profile('admin-from-sso', `role_arn = ${role('demo-role')}`, 'source_profile = sso'),
        // The instance role (IMDSv2), then the task role (container endpoint), sign the AssumeRole
        ...profile('on-ec2', `role_arn = ${role('demo-role')}`, 'credential_source = Ec2InstanceMetadata'),
        ...profile('on-ecs', `role_arn = ${role('demo-role')}`, 'credential_source = EcsContainer'),
        // AssumeRoleWithWebIdentity with the token in the file
        ...profile('ci', `role_arn = ${role('web-identity-role')}`, `web_identity_token_file = ${tokenFile}`),
        // Key names in capitals, as the AWS CLI accepts them
        ...profile(
          'keys',
          'AWS_ACCESS_KEY_ID = AKIABTX3GSDSSLUIMDMY',
          'AWS_SECRET_ACCESS_KEY = aliceDemoSecretKey/credchain/EXAMPLEKEY0',
        ),
      ].join('\n'),
    );

    for (const name of ['sso', 'admin-from-sso', 'on-ec2', 'on-ecs', 'ci', 'keys']) {
      const credentials = fromProfile({ profile: name, ssoClientConfig: { endpoint: sts.sso!.endpoint } });
      const client = new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, credentials });
      const { Arn } = await client.send(new GetCallerIdentityCommand({}));
      console.log(`${name}: ${Arn}`);
      client.destroy();
      credentials.close();
    }
  } finally {
    process.env = saved;
    rmSync(home, { recursive: true, force: true });
    await sts.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
