// A CommonJS user: `require('credchain')` loads the CommonJS build. It prints where credchain was
// loaded from, the identity the assumed role's credentials sign as, and whether the client (built before
// the provider's first call) was handed the provider itself by then.
const { GetCallerIdentityCommand, STSClient } = require('@aws-sdk/client-sts');
const { fromAssumeRole } = require('credchain');

const env = process.env;
const clientConfig = { region: 'us-east-1', endpoint: env.STS_ENDPOINT };
const provider = fromAssumeRole({
  params: { RoleArn: env.ROLE_ARN, RoleSessionName: env.SESSION_NAME },
  sourceCredentials: { accessKeyId: env.SOURCE_ACCESS_KEY_ID, secretAccessKey: env.SOURCE_SECRET_ACCESS_KEY },
  clientConfig,
});
const sts = new STSClient({ ...clientConfig, credentials: provider });

console.log(`loaded ${require.resolve('credchain')}`);
void sts.send(new GetCallerIdentityCommand({})).then(({ Arn }) => {
  console.log(`identity ${Arn}`);
  console.log(`client holds the provider: ${sts.config.credentials === provider}`);
  provider.close();
  sts.destroy();
});
