import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { reportPeerMissing, useMoto } from '@credchain/testkit';

import { fromSessionToken } from '../src';

// Interop with moto, the peer STS emulator: our GetSessionToken request must be what another
// implementation of the STS Query protocol understands. moto accepts any long-term key.
const KEYS = { accessKeyId: 'AKIAMOTOEXAMPLE00003', secretAccessKey: 'moto-accepts-any-secret-key' };
const motoPeer = useMoto();

test('fromSessionToken gets a session from moto whose credentials sign requests moto answers', async () => {
  const moto = motoPeer();
  if (moto === undefined) return reportPeerMissing('moto'); // loud; fatal where CI makes peers mandatory
  const clientConfig = { endpoint: moto.endpoint, region: 'us-east-1' };
  using provider = fromSessionToken({
    params: { DurationSeconds: 900, SerialNumber: 'arn:aws:iam::123456789012:mfa/moto-user', TokenCode: '123456' },
    sourceCredentials: KEYS,
    clientConfig,
  });
  const credentials = await provider();
  expect(credentials.accessKeyId).not.toBe(KEYS.accessKeyId);
  expect(credentials.sessionToken).not.toBe('');
  expect(credentials.origin).toBe('user-session');
  expect(credentials.expiration.getTime() - Date.now()).toBeGreaterThan(800_000);
  const client = new STSClient({ ...clientConfig, credentials: provider });
  try {
    // moto does not track whose session a token is: it names its default user, as for any key it
    // has not issued to a role (sts-local's tests check that the caller is the user who asked).
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:sts::123456789012:user/moto' });
  } finally {
    client.destroy();
  }
}, 30_000);
