import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromFederationToken } from '@credchain/federation-token';
import { reportPeerMissing, useMoto } from '@credchain/testkit';

// Interop with moto, the peer STS emulator: our GetFederationToken request must be what another
// implementation of the STS Query protocol understands. moto accepts any access key.
const motoPeer = useMoto();

test('fromFederationToken gets federated-user credentials from moto', async () => {
  // Loud when moto is missing (a SKIPPED: marker), and a failure where CI makes peers mandatory.
  const moto = motoPeer();
  if (moto === undefined) return reportPeerMissing('moto');
  const clientConfig = { endpoint: moto.endpoint, region: 'us-east-1' };
  const credentials = fromFederationToken({
    params: {
      Name: 'moto-bob',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      }),
      DurationSeconds: 3600,
    },
    sourceCredentials: { accessKeyId: 'AKIAMOTOEXAMPLE00001', secretAccessKey: 'moto-accepts-any-secret' },
    clientConfig,
  });
  const first = await credentials();
  expect(first.accessKeyId).not.toBe('AKIAMOTOEXAMPLE00001');
  expect(first.sessionToken).not.toBe('');
  expect(first.origin).toBe('federated');
  // accountId comes from FederatedUser.Arn in moto's answer (its default account).
  expect(first.accountId).toBe('123456789012');
  expect(first.expiration.getTime() - Date.now()).toBeGreaterThan(3_500_000);

  // The federated credentials sign a request moto answers (moto does not track federated users,
  // so it names its default identity; the sts-local suite checks the federated-user ARN).
  const client = new STSClient({ ...clientConfig, credentials });
  const identity = await client.send(new GetCallerIdentityCommand({}));
  client.destroy();
  expect(identity.Account).toBe('123456789012');

  // A forced refresh is a second request moto answers (it hands out one fixed example key, so
  // the new credentials are told apart by their expiration only).
  const second = await credentials.refresh();
  expect(second).toMatchObject({ origin: 'federated', accountId: '123456789012' });
  expect(second.expiration.getTime()).toBeGreaterThanOrEqual(first.expiration.getTime());
  credentials.close();
}, 30_000);
