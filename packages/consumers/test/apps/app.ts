// A TypeScript user, copied into the scratch app twice and compiled by tsc under `module: nodenext`,
// strict: as ESM (app.mts, which reads credchain's `import` declarations) and as CommonJS (app.cts, its
// `require` declarations). Then both run.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type CredentialProvider, type FromAssumeRoleInit, fromAssumeRole } from 'credchain';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

export async function assumedIdentity(): Promise<string> {
  const clientConfig = { region: 'us-east-1', endpoint: required('STS_ENDPOINT') };
  const init: FromAssumeRoleInit = {
    params: { RoleArn: required('ROLE_ARN'), RoleSessionName: required('SESSION_NAME') },
    sourceCredentials: {
      accessKeyId: required('SOURCE_ACCESS_KEY_ID'),
      secretAccessKey: required('SOURCE_SECRET_ACCESS_KEY'),
    },
    clientConfig,
  };
  const provider: CredentialProvider = fromAssumeRole(init);
  const sts = new STSClient({ ...clientConfig, credentials: provider });
  try {
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    return Arn ?? 'no ARN';
  } finally {
    provider.close();
    sts.destroy();
  }
}

/** Never called: it fails to compile unless credchain's declarations reach the compiler as real types. */
export function typesAreReal(): void {
  // @ts-expect-error RoleArn is a string in AssumeRoleCommandInput; any-typed declarations would accept it.
  fromAssumeRole({ params: { RoleArn: 42 } });
}

void assumedIdentity().then((arn) => console.log(`identity ${arn}`));
