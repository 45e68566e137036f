import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromSessionToken } from '@credchain/session-token';
import { reportPeerMissing, useMoto } from '@credchain/testkit';
import type { Moto } from '@credchain/testkit';

import { fromAssumeRole } from '../src';

// Interop with moto, the peer STS emulator: our AssumeRole request must be what another
// implementation of the STS Query protocol understands, and what moto hands back must sign
// requests moto attributes to the assumed role. moto accepts any long-term key.
const ROLE_ARN = 'arn:aws:iam::123456789012:role/moto-deploy';
const KEYS = { accessKeyId: 'AKIAMOTOEXAMPLE00002', secretAccessKey: 'moto-accepts-any-secret-key' };
const motoPeer = useMoto();

async function callerOf(moto: Moto, provider: ReturnType<typeof fromAssumeRole>): Promise<string | undefined> {
  const client = new STSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: provider });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

test('fromAssumeRole gets credentials from moto, and moto recognises them as the assumed role', async () => {
  const moto = motoPeer();
  if (moto === undefined) return reportPeerMissing('moto'); // loud; fatal where CI makes peers mandatory
  using provider = fromAssumeRole({
    params: {
      RoleArn: ROLE_ARN,
      RoleSessionName: 'moto-session',
      DurationSeconds: 1800,
      ExternalId: 'moto-external-id',
    },
    sourceCredentials: KEYS,
    clientConfig: { endpoint: moto.endpoint, region: 'us-east-1' },
  });
  const credentials = await provider();
  expect(credentials.accessKeyId).not.toBe(KEYS.accessKeyId);
  expect(credentials.sessionToken).not.toBe('');
  expect(credentials.origin).toBe('role-session');
  expect(credentials.accountId).toBe('123456789012');
  expect(credentials.expiration.getTime() - Date.now()).toBeGreaterThan(1_700_000);
  expect(await callerOf(moto, provider)).toBe('arn:aws:sts::123456789012:assumed-role/moto-deploy/moto-session');
}, 30_000);

test('fromAssumeRole on fromSessionToken against moto: the role session signs what moto accepts', async () => {
  const moto = motoPeer();
  if (moto === undefined) return reportPeerMissing('moto');
  const clientConfig = { endpoint: moto.endpoint, region: 'us-east-1' };
  using session = fromSessionToken({ params: { DurationSeconds: 3600 }, sourceCredentials: KEYS, clientConfig });
  using role = fromAssumeRole({
    params: { RoleArn: ROLE_ARN, RoleSessionName: 'moto-daemon' },
    sourceCredentials: session,
    clientConfig,
  });
  expect(await callerOf(moto, role)).toBe('arn:aws:sts::123456789012:assumed-role/moto-deploy/moto-daemon');
  expect((await session()).origin).toBe('user-session');
}, 30_000);
