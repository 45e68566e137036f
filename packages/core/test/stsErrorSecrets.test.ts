import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { InvalidParameterError, StsError } from '../src';
import { providerKit, sendSts } from '../src/provider-kit';

const SECRET = 'canarySecretKey0123456789abcdefghijklmnop';
const TOKEN = 'canarySessionToken-FwoGZXIvYXdzEJr-canary';
const DENIED = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
<Code>AccessDenied</Code><Message>Cannot call GetSessionToken with session credentials</Message></Error>
<RequestId>req-1</RequestId></ErrorResponse>`;

describe('StsError', () => {
  it('keeps no path to the signed request, even for util.inspect with showHidden', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(403, { 'content-type': 'text/xml' }).end(DENIED));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new STSClient({
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'ASIAEXAMPLEEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN },
        maxAttempts: 1,
      });
      const error = await sendSts('GetSessionToken', () => client.send(new GetSessionTokenCommand({}))).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StsError);
      expect((error as StsError).code).toBe('AccessDenied');
      expect((error as StsError).statusCode).toBe(403);
      const views = [
        inspect(error, { showHidden: true, depth: 12 }),
        inspect((error as StsError).cause, { showHidden: true, depth: 12 }),
        JSON.stringify(error),
        String(error),
        (error as Error).stack ?? '',
      ].join('\n');
      expect(views).toContain('AccessDenied');
      expect(views).not.toContain(SECRET);
      expect(views).not.toContain(TOKEN);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('toStsError', () => {
  it('lets a network failure pass as it is: STS never answered, so it is no StsError', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve)); // nothing listens there now
    const client = new STSClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: SECRET },
      maxAttempts: 1,
    });
    const error = await sendSts('GetSessionToken', () => client.send(new GetSessionTokenCommand({}))).catch(
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(StsError);
    expect(String(error)).toMatch(/ECONNREFUSED/);
  });
});

describe('providerKit', () => {
  it('refuses a DurationSeconds the mandatory window would swallow, naming both', () => {
    expect(() => providerKit('p', { refresh: { mandatoryWindowMs: 20 * 60_000 } }, 900)).toThrow(InvalidParameterError);
    expect(() => providerKit('p', { refresh: { mandatoryWindowMs: 20 * 60_000 } }, 900)).toThrow(
      /DurationSeconds.*mandatoryWindowMs \(1200 s\)/,
    );
    expect(() => providerKit('p', {}, 60)).toThrow(/DurationSeconds/);
  });

  it('accepts a DurationSeconds longer than the window, and no DurationSeconds at all', () => {
    expect(providerKit('p', {}, 61).engine.name).toBe('p');
    expect(providerKit('p', { refresh: { mandatoryWindowMs: 20 * 60_000 } }).engine.name).toBe('p');
  });
});
