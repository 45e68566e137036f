import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { stsClientGetter, unsignedStsClientGetter } from '../src/provider-kit';

// One canned AssumeRoleWithWebIdentity answer; the point is what the request carried, not the answer.
const ANSWER = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>
<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>
<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>
<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`;

async function withServer(run: (endpoint: string, seen: IncomingHttpHeaders[]) => Promise<void>): Promise<void> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(ANSWER));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const command = () =>
  new AssumeRoleWithWebIdentityCommand({
    RoleArn: 'arn:aws:iam::111122223333:role/r',
    RoleSessionName: 'web',
    WebIdentityToken: 'token',
  });

describe('unsignedStsClientGetter', () => {
  // The endpoint rule set of region `aws-global` names SigV4 even for this operation; the request
  // never leaves the process here (a capturing request handler answers), so the real endpoint is safe.
  async function headersSentBy(
    getter: typeof stsClientGetter,
  ): Promise<{ asked: number; headers: Record<string, string> }> {
    let asked = 0;
    let headers: Record<string, string> = {};
    const credentials = async () => {
      asked++;
      return { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'never-used' };
    };
    const requestHandler = {
      handle: async (request: { headers: Record<string, string> }) => {
        headers = request.headers;
        const { Readable } = await import('node:stream');
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'text/xml' },
            body: Readable.from([Buffer.from(ANSWER)]),
          },
        };
      },
    };
    const client = getter({ clientConfig: { region: 'aws-global', credentials, requestHandler } })();
    const out = await client.send(command());
    expect(out.Credentials?.AccessKeyId).toBe('ASIAEXAMPLE');
    return { asked, headers };
  }

  it('sends unsigned, without looking for credentials, where the endpoint rules demand SigV4', async () => {
    const unsigned = await headersSentBy(unsignedStsClientGetter);
    expect(unsigned.asked).toBe(0);
    expect(unsigned.headers.authorization).toBeUndefined();
    // The control: the plain getter does sign there, which is why the unsigned one exists.
    const signed = await headersSentBy(stsClientGetter);
    expect(signed.asked).toBeGreaterThan(0);
    expect(signed.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it('sends unsigned to a custom endpoint over HTTP', async () => {
    await withServer(async (endpoint, seen) => {
      const client = unsignedStsClientGetter({ clientConfig: { endpoint, region: 'us-east-1' } })();
      await client.send(command());
      expect(seen).toHaveLength(1);
      expect(seen[0]?.authorization).toBeUndefined();
    });
  });

  it('leaves a caller-supplied client alone', () => {
    const client = stsClientGetter({ clientConfig: { region: 'eu-west-1' } })();
    expect(unsignedStsClientGetter({ client })()).toBe(client);
  });
});
