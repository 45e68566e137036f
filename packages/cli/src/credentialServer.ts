import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** A running loopback credentials endpoint (the ECS container credentials protocol). */
export interface CredentialServer {
  /** For AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:PORT/<random path>`. */
  readonly url: string;
  /** For AWS_CONTAINER_AUTHORIZATION_TOKEN: sent back by SDKs as the Authorization header. */
  readonly token: string;
  stop(): Promise<void>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Serves `provider`'s credentials to whoever presents the token, on 127.0.0.1 only. Each request asks
 * the provider, whose refresh engine keeps them fresh, so a long-running child always gets live ones.
 * Requests for another Host (DNS rebinding from a browser) or without the token get 403; the token
 * is compared in constant time (as digests, so its length does not leak either).
 */
export async function startCredentialServer(
  provider: AwsCredentialIdentityProvider,
  report: (message: string) => void,
): Promise<CredentialServer> {
  const token = randomBytes(32).toString('base64url');
  const path = `/credchain/${randomBytes(8).toString('hex')}`;
  const expected = digest(token);
  let host = '';

  const server = createServer((req, res) => {
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.host !== host) return answer(403, { code: 'Forbidden', message: 'wrong Host' });
    if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      return answer(403, { code: 'Forbidden', message: 'missing or wrong authorization token' });
    }
    if (req.method !== 'GET' || req.url !== path) return answer(404, { code: 'NotFound', message: 'no such resource' });
    provider().then(
      (c) =>
        answer(200, {
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          ...(c.sessionToken === undefined ? {} : { Token: c.sessionToken }),
          ...(c.expiration === undefined ? {} : { Expiration: c.expiration.toISOString() }),
        }),
      (error: unknown) => {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : 'credentials unavailable';
        report(message);
        answer(500, { code: 'CredentialsUnavailable', message });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  return {
    url: `http://${host}${path}`,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
