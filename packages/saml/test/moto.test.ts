import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { demoSamlSigningMaterial, mintSamlResponse } from '@credchain/sts-local';

import { fromSamlAssertion } from '../src';
import { reportPeerMissing, useMoto } from '@credchain/testkit';

// Interop with moto, the peer STS emulator: our requests must be what another implementation of
// the STS Query protocol understands. moto does not verify signatures, but it parses the SAML
// response for its Role and RoleSessionName attributes, so the assertion is a real one.
const ROLE_ARN = 'arn:aws:iam::123456789012:role/moto-saml-role';
const PRINCIPAL_ARN = 'arn:aws:iam::123456789012:saml-provider/moto-idp';
const motoPeer = useMoto();

function assertion(sessionName: string): string {
  return mintSamlResponse({
    issuer: 'https://idp.example.com/saml',
    ...demoSamlSigningMaterial,
    subject: 'alice',
    roles: [{ roleArn: ROLE_ARN, principalArn: PRINCIPAL_ARN }],
    roleSessionName: sessionName,
    now: Date.now(),
  });
}

test('fromSamlAssertion gets credentials from moto that moto then recognises as the assumed role', async () => {
  const moto = motoPeer();
  if (moto === undefined) return reportPeerMissing('moto'); // loud; fatal where CI makes peers mandatory
  const clientConfig = { endpoint: moto.endpoint, region: 'us-east-1' };
  let calls = 0;
  const credentials = fromSamlAssertion({
    params: { RoleArn: ROLE_ARN, PrincipalArn: PRINCIPAL_ARN, DurationSeconds: 3600 },
    samlAssertion: async () => assertion(`moto-alice-${++calls}`),
    clientConfig,
  });
  const first = await credentials();
  expect(first.accessKeyId).toMatch(/^ASIA/);
  expect(first.sessionToken).not.toBe('');
  expect(first.origin).toBe('role-session');
  expect(first.expiration.getTime()).toBeGreaterThan(Date.now());

  const sts = new STSClient({ ...clientConfig, credentials });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/moto-saml-role/moto-alice-1');

  // A forced refresh asks the callback again and moto sees the new assertion's session name.
  const second = await credentials.refresh();
  expect(calls).toBe(2);
  expect(second.accessKeyId).not.toBe(first.accessKeyId);
  const after = await new STSClient({ ...clientConfig, credentials: async () => second }).send(
    new GetCallerIdentityCommand({}),
  );
  expect(after.Arn).toBe('arn:aws:sts::123456789012:assumed-role/moto-saml-role/moto-alice-2');
  credentials.close();
}, 30_000);
