import { Readable } from 'node:stream';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { HttpRequest, HttpResponse } from '@smithy/types';

import {
  InvalidParameterError,
  chain,
  createRefreshingProvider,
  credentialRecoveryPlugin,
  withCredentialRecovery,
} from '../src';
import type { CredentialEvent, CredentialProvider } from '../src';
import { HOUR, T0, makeCreds, slowFetch } from './helpers';

// The recovery plugin against a fake service: a request handler that answers GetCallerIdentity as STS
// does, and rejects the access keys a test names with the code it names. The identity middleware, the
// signer and the error parsing are the SDK's own. sts-local end to end: packages/credchain/test.

beforeEach(() => {
  jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
});
afterEach(() => {
  jest.useRealTimers();
});

/** A service: rejects the keys in `rejected` with their code; every request is recorded by its key. */
function fakeService() {
  const rejected = new Map<string, string>();
  const signedWith: string[] = [];
  const answer = (status: number, xml: string): { response: HttpResponse } => ({
    response: {
      statusCode: status,
      headers: { 'content-type': 'text/xml' },
      body: Readable.from([Buffer.from(xml)]),
    },
  });
  const requestHandler = {
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      const key = /Credential=([A-Z0-9]+)\//.exec(String(request.headers.authorization))?.[1] ?? 'none';
      signedWith.push(key);
      const code = rejected.get(key);
      if (code !== undefined) {
        return answer(
          403,
          `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>rejected</Message></Error>` +
            '<RequestId>r</RequestId></ErrorResponse>',
        );
      }
      return answer(
        200,
        '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/r/s</Arn>' +
          '<UserId>AROA:s</UserId><Account>111122223333</Account></GetCallerIdentityResult>' +
          '<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
      );
    },
  };
  return { rejected, signedWith, requestHandler };
}

type Credentials = ConstructorParameters<typeof STSClient>[0] extends infer C
  ? C extends { credentials?: infer P }
    ? P
    : never
  : never;

function clientOf(service: ReturnType<typeof fakeService>, credentials: Credentials): STSClient {
  return new STSClient({
    region: 'eu-west-1',
    endpoint: 'https://sts.example.test',
    requestHandler: service.requestHandler,
    credentials,
    maxAttempts: 1,
  });
}

const whoAmI = (client: STSClient) => client.send(new GetCallerIdentityCommand({}));

function engine(onEvent?: (e: CredentialEvent) => void): CredentialProvider & { fetches: () => number } {
  const fetch = jest.fn(async () => makeCreds(HOUR));
  const provider = createRefreshingProvider(fetch, { name: 'test', onEvent });
  return Object.assign(provider, { fetches: () => fetch.mock.calls.length });
}

describe.each([
  [
    'credentialRecoveryPlugin(provider)',
    (client: STSClient, p: CredentialProvider) => client.middlewareStack.use(credentialRecoveryPlugin(p)),
  ],
  ['withCredentialRecovery(client)', (client: STSClient) => void withCredentialRecovery(client)],
] as const)('%s', (_name, install) => {
  test.each([
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'InvalidToken',
  ])('%s: invalidates, refreshes once and retries the request once with the new key', async (code) => {
    const service = fakeService();
    const events: CredentialEvent[] = [];
    const provider = engine((e) => events.push(e));
    const client = clientOf(service, provider);
    install(client, provider);
    const first = (await provider()).accessKeyId;
    service.rejected.set(first, code);

    await expect(whoAmI(client)).resolves.toMatchObject({ Account: '111122223333' });
    const second = (await provider()).accessKeyId;
    expect(second).not.toBe(first);
    expect(service.signedWith).toEqual([first, second]);
    expect(provider.fetches()).toBe(2);
    expect(events.filter((e) => e.type === 'credentials-rejected')).toEqual([
      expect.objectContaining({ provider: 'test', code }),
    ]);
    client.destroy();
    provider.close();
  });

  test('AccessDenied and other errors are neither retried nor reported to the provider', async () => {
    const service = fakeService();
    const provider = engine();
    const client = clientOf(service, provider);
    install(client, provider);
    const key = (await provider()).accessKeyId;
    for (const code of ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'SignatureDoesNotMatch']) {
      service.rejected.set(key, code);
      await expect(whoAmI(client)).rejects.toMatchObject({ name: code });
    }
    expect(service.signedWith).toEqual([key, key, key, key]);
    expect(provider.fetches()).toBe(1);
    client.destroy();
    provider.close();
  });

  test('never more than one retry: new credentials rejected as well end the request with the error', async () => {
    const service = fakeService();
    const provider = engine();
    const client = clientOf(service, provider);
    install(client, provider);
    const first = (await provider()).accessKeyId;
    service.rejected.set(first, 'InvalidClientTokenId');
    // Every key the provider will fetch next is rejected too.
    const reject = service.requestHandler.handle.bind(service.requestHandler);
    service.requestHandler.handle = (request) => {
      const key = /Credential=([A-Z0-9]+)\//.exec(String(request.headers.authorization))?.[1] ?? 'none';
      service.rejected.set(key, 'InvalidClientTokenId');
      return reject(request);
    };
    await expect(whoAmI(client)).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    expect(service.signedWith).toHaveLength(2);
    expect(provider.fetches()).toBe(2);
    client.destroy();
    provider.close();
  });

  test('a key a refresh already replaced is not invalidated: the request is retried with the current one', async () => {
    const service = fakeService();
    const events: CredentialEvent[] = [];
    const provider = engine((e) => events.push(e));
    const client = clientOf(service, provider);
    install(client, provider);
    const old = (await provider()).accessKeyId;
    service.rejected.set(old, 'ExpiredToken');
    // The request is signed with the old key; the refresh lands while it is on the wire.
    const handle = service.requestHandler.handle.bind(service.requestHandler);
    let replacedOnce = false;
    service.requestHandler.handle = async (request) => {
      if (!replacedOnce) {
        replacedOnce = true;
        await provider.refresh();
      }
      return handle(request);
    };
    await expect(whoAmI(client)).resolves.toMatchObject({ Account: '111122223333' });
    const current = (await provider()).accessKeyId;
    expect(service.signedWith).toEqual([old, current]);
    expect(provider.fetches()).toBe(2);
    expect(events.filter((e) => e.type === 'credentials-rejected')).toEqual([]);
    client.destroy();
    provider.close();
  });

  test('1,000 concurrent rejected requests cause one refresh, and each is retried once', async () => {
    const service = fakeService();
    const fetch = slowFetch(50);
    const provider = createRefreshingProvider(fetch);
    const client = clientOf(service, provider);
    install(client, provider);
    const pending = provider();
    await jest.advanceTimersByTimeAsync(50);
    const first = (await pending).accessKeyId;
    service.rejected.set(first, 'ExpiredToken');

    const requests = Array.from({ length: 1_000 }, () => whoAmI(client));
    // Let the rejections arrive (real I/O-free handler: microtasks), then the one refresh's 50 ms.
    for (let i = 0; i < 100 && fetch.mock.calls.length < 2; i++) await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(50);
    const results = await Promise.all(requests);
    expect(results).toHaveLength(1_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(service.signedWith.filter((k) => k === first)).toHaveLength(1_000);
    expect(service.signedWith.filter((k) => k !== first)).toHaveLength(1_000);
    client.destroy();
    provider.close();
  });

  test('a request whose body is a one-shot stream is not sent again', async () => {
    const service = fakeService();
    const provider = engine();
    const client = clientOf(service, provider);
    install(client, provider);
    const key = (await provider()).accessKeyId;
    service.rejected.set(key, 'ExpiredToken');
    // GetCallerIdentity has no body member; the plugin looks at the input's members as S3's PutObject has them.
    const command = new GetCallerIdentityCommand({ Body: Readable.from(['x']) });
    await expect(client.send(command)).rejects.toMatchObject({ name: 'ExpiredToken' });
    expect(service.signedWith).toEqual([key]);
    client.destroy();
    provider.close();
  });

  test('credentials no credchain provider handed out are left alone', async () => {
    const service = fakeService();
    const provider = engine();
    const client = clientOf(service, { accessKeyId: 'AKIASTATIC', secretAccessKey: 'static-secret' });
    install(client, provider);
    service.rejected.set('AKIASTATIC', 'InvalidClientTokenId');
    await expect(whoAmI(client)).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    expect(service.signedWith).toEqual(['AKIASTATIC']);
    expect(provider.fetches()).toBe(0);
    client.destroy();
    provider.close();
  });
});

describe('behind wrappers', () => {
  test.each([
    ['marked memoized, the client calls it on every request: recovered', true],
    ['unmarked, the client caches in front of it and hands the rejected key back: not recovered', false],
  ])('a wrapper of your own %s', async (_title, marked) => {
    const service = fakeService();
    const provider = engine();
    const wrapper = Object.assign(
      (props?: Record<string, unknown>) => provider(props),
      marked ? { memoized: true } : {},
    );
    const client = withCredentialRecovery(clientOf(service, wrapper));
    await whoAmI(client);
    const first = service.signedWith[0]!;
    service.rejected.set(first, 'InvalidClientTokenId');
    const outcome = whoAmI(client);
    if (marked) await expect(outcome).resolves.toMatchObject({ Account: '111122223333' });
    else await expect(outcome).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    // Either way the provider was told and refreshed once; only the client's own cache differs.
    const second = (await provider()).accessKeyId;
    expect(provider.fetches()).toBe(2);
    expect(service.signedWith.slice(1)).toEqual([first, marked ? second : first]);
    client.destroy();
    provider.close();
  });

  test('a chain of credchain providers is marked memoized; one with an unmarked link is not', () => {
    const ours = engine();
    expect(chain(ours).memoized).toBe(true);
    expect(chain(ours, async () => makeCreds()).memoized).toBe(false);
    ours.close();
  });

  test('through a chain, withCredentialRecovery finds the engine that issued the rejected key', async () => {
    const service = fakeService();
    const provider = engine();
    const client = withCredentialRecovery(clientOf(service, chain(provider)));
    await whoAmI(client);
    const first = service.signedWith[0]!;
    service.rejected.set(first, 'ExpiredToken');
    await whoAmI(client);
    // The client has no cache of its own in front of the chain: later requests use the new key too.
    await whoAmI(client);
    const second = (await provider()).accessKeyId;
    expect(service.signedWith).toEqual([first, first, second, second]);
    client.destroy();
    provider.close();
  });
});

describe('without the plugin', () => {
  test('the client keeps failing with the rejected key', async () => {
    const service = fakeService();
    const provider = engine();
    const client = clientOf(service, provider);
    const key = (await provider()).accessKeyId;
    service.rejected.set(key, 'InvalidClientTokenId');
    await expect(whoAmI(client)).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    await expect(whoAmI(client)).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    expect(provider.fetches()).toBe(1);
    client.destroy();
    provider.close();
  });
});

describe('installing', () => {
  test('withCredentialRecovery returns the client, and installing twice leaves one plugin', () => {
    const client = new STSClient({ region: 'eu-west-1' });
    expect(withCredentialRecovery(withCredentialRecovery(client))).toBe(client);
    const names = client.middlewareStack.identify().filter((line) => line.includes('credchain'));
    expect(names).toEqual([expect.stringContaining('credchainCredentialRecoveryMiddleware')]);
    client.destroy();
  });

  test('refuses what is not a client or a provider, naming it', () => {
    expect(() => withCredentialRecovery({} as never)).toThrow(InvalidParameterError);
    expect(() => withCredentialRecovery({} as never)).toThrow(/client/);
    expect(() => credentialRecoveryPlugin('x' as never)).toThrow(/provider/);
  });
});
