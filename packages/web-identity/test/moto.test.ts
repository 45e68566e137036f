import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { fromWebIdentity } from '../src';
import { reportPeerMissing, useMoto } from '@credchain/testkit';

// Interop with moto, the peer STS emulator: our requests must be what another implementation of
// the STS Query protocol understands. moto does not verify tokens; any well-formed one works.
const ROLE_ARN = 'arn:aws:iam::123456789012:role/moto-web-role';
const motoPeer = useMoto();

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'credchain-web-identity-moto-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const fakeJwt = (sub: string): string =>
  [{ alg: 'RS256', typ: 'JWT' }, { iss: 'https://oidc.example.com', sub, aud: 'sts.amazonaws.com' }, 'sig']
    .map((part) => Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url'))
    .join('.');

test('fromWebIdentity gets credentials from moto with a token file, and moto recognises the assumed role', async () => {
  const moto = motoPeer();
  if (moto === undefined) return reportPeerMissing('moto'); // loud; fatal where CI makes peers mandatory
  const clientConfig = { endpoint: moto.endpoint, region: 'us-east-1' };
  const file = join(dir, 'token');
  writeFileSync(file, fakeJwt('system:serviceaccount:default:app'));
  const credentials = fromWebIdentity({
    params: { RoleArn: ROLE_ARN, RoleSessionName: 'moto-pod', DurationSeconds: 3600 },
    webIdentityTokenFile: file,
    clientConfig,
  });
  const first = await credentials();
  expect(first.accessKeyId).toMatch(/^ASIA/);
  expect(first.origin).toBe('role-session');
  expect(first.expiration.getTime()).toBeGreaterThan(Date.now());

  const sts = new STSClient({ ...clientConfig, credentials });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/moto-web-role/moto-pod');

  writeFileSync(file, fakeJwt('rotated'));
  const second = await credentials.refresh();
  expect(second.accessKeyId).not.toBe(first.accessKeyId);
  credentials.close();
}, 30_000);

test('fromWebIdentity with a token callback works against moto', async () => {
  const moto = motoPeer();
  if (moto === undefined) return reportPeerMissing('moto'); // loud; fatal where CI makes peers mandatory
  const credentials = fromWebIdentity({
    params: { RoleArn: ROLE_ARN, RoleSessionName: 'moto-callback' },
    webIdentityToken: async () => fakeJwt('callback'),
    clientConfig: { endpoint: moto.endpoint, region: 'us-east-1' },
  });
  const creds = await credentials();
  expect(creds.sessionToken.length).toBeGreaterThan(0);
  const identity = await new STSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials }).send(
    new GetCallerIdentityCommand({}),
  );
  expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/moto-web-role/moto-callback');
  credentials.close();
}, 30_000);
