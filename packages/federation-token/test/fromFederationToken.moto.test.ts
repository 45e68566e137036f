import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromFederationToken } from '@credchain/federation-token';

import { motoInstalled, reportMotoMissing, startMoto } from './moto';
import type { Moto } from './moto';

// Interop with moto, the peer STS emulator: our GetFederationToken request must be what another
// implementation of the STS Query protocol understands. moto accepts any access key.
const installed = motoInstalled();
let moto: Moto | undefined;

beforeAll(async () => {
  if (installed) moto = await startMoto();
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

test('fromFederationToken gets federated-user credentials from moto', async () => {
  if (moto === undefined) return reportMotoMissing();
  const clientConfig = { endpoint: moto.endpoint, region: 'us-east-1' };
  const credentials = fromFederationToken({
    params: {
      Name: 'moto-bob',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
      DurationSeconds: 3600,
    },
    sourceCredentials: { accessKeyId: 'AKIAMOTOEXAMPLE00001', secretAccessKey: 'moto-accepts-any-secret' },
    clientConfig,
  });
  const first = await credentials();
  expect(first.accessKeyId).not.toBe('AKIAMOTOEXAMPLE00001');
  expect(first.sessionToken).not.toBe('');
  expect(first.origin).toBe('federated');
  expect(first.accountId).toMatch(/^\d{12}$/);
  expect(first.expiration.getTime()).toBeGreaterThan(Date.now());

  // accountId comes from FederatedUser.Arn in moto's answer (its default account).
  expect(first.accountId).toBe('123456789012');

  // The federated credentials sign a request moto answers (moto does not track federated users,
  // so it names its default identity; sts-local's tests check the federated-user ARN).
  const identity = await new STSClient({ ...clientConfig, credentials }).send(new GetCallerIdentityCommand({}));
  expect(identity.Account).toBe('123456789012');
  credentials.close();
}, 30_000);
