// An ESM user: `import` loads the ESM build. The same file, bundled by esbuild into one ESM file with
// nothing beside it, is the Lambda-style bundle of one provider.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromAssumeRole } from 'credchain';
import { env, stdout } from 'node:process';

const clientConfig = { region: 'us-east-1', endpoint: env.STS_ENDPOINT };
const provider = fromAssumeRole({
  params: { RoleArn: env.ROLE_ARN, RoleSessionName: env.SESSION_NAME },
  sourceCredentials: { accessKeyId: env.SOURCE_ACCESS_KEY_ID, secretAccessKey: env.SOURCE_SECRET_ACCESS_KEY },
  clientConfig,
});
const sts = new STSClient({ ...clientConfig, credentials: provider });

// In the bundle, `credchain` is no longer a module to resolve.
const where = env.BUNDLED === '1' ? 'bundle' : import.meta.resolve('credchain');
const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
stdout.write(`loaded ${where}\nidentity ${Arn}\n`);
// Built before the provider's first call, the client is handed the provider itself at that call.
stdout.write(`client holds the provider: ${sts.config.credentials === provider}\n`);
provider.close();
sts.destroy();
