import { STSClient } from '@aws-sdk/client-sts';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { useFakeTimers } from '@credchain/testkit';
import { callsOf, localConfig, useStsLocal, userKeys } from '@credchain/testkit/sts-local';

import { CASES } from './cases';
import type { Init } from './cases';

// Providers of the same effective client configuration and source share one STSClient without being
// asked (a pool of 10,000 roles over one source holds one client, not 10,000); the last of them to
// close destroys it; a client the user passes is used as it is and never destroyed. Which client sent
// each call is read from STSClient.prototype.send's `this`.

const sts = useStsLocal();
let send: jest.SpyInstance<unknown, unknown[]>;
let destroy: jest.SpyInstance<unknown, unknown[]>;
beforeEach(() => {
  useFakeTimers();
  send = jest.spyOn(STSClient.prototype, 'send') as unknown as jest.SpyInstance<unknown, unknown[]>;
  destroy = jest.spyOn(STSClient.prototype, 'destroy');
});
afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

describe.each(CASES)('$factory', (c) => {
  /** The clients that sent the case's operation, in order. */
  const senders = (): unknown[] =>
    send.mock.calls.flatMap((args, i): unknown[] =>
      (args[0] as object).constructor.name === `${c.operation}Command` ? [send.mock.contexts[i]] : [],
    );
  const destroyed = (): unknown[] => destroy.mock.contexts as unknown[];
  const init = (change: Partial<Init> = {}): Promise<Init> =>
    c.validInit({ sts: sts() }).then((valid) => ({ ...valid, ...change }));

  test('two providers of one configuration share one client; the last to close destroys it', async () => {
    // Two inits built apart: equal by value, not the same objects (static keys compare by a keyed hash).
    const a = c.build(await init());
    const b = c.build(await init());
    await a();
    await b();
    expect(callsOf(sts(), c.operation)).toHaveLength(2);
    const [first, second] = senders();
    expect(first).toBeInstanceOf(STSClient);
    expect(second).toBe(first);
    a.close();
    expect(destroyed()).toEqual([]);
    b.close();
    expect(destroyed()).toEqual([first]);
  });

  test('another region gets a client of its own', async () => {
    const a = c.build(await init());
    const b = c.build(await init({ clientConfig: { ...localConfig(sts(), 'eu-west-1'), maxAttempts: 1 } }));
    try {
      await a();
      await b();
      const [first, second] = senders();
      expect(second).not.toBe(first);
    } finally {
      a.close();
      b.close();
    }
    expect(destroyed()).toHaveLength(2);
  });

  if (c.signed) {
    test('another source gets a client of its own', async () => {
      const a = c.build(await init());
      const b = c.build(await init({ sourceCredentials: userKeys('bob') }));
      try {
        await a();
        await b().catch(() => undefined); // bob may not be allowed the operation: the client is what counts
        const [first, second] = senders();
        expect(second).toBeInstanceOf(STSClient);
        expect(second).not.toBe(first);
      } finally {
        a.close();
        b.close();
      }
    });
  }

  test('a client the user passes is used as it is, and closing never destroys it', async () => {
    const { clientConfig, sourceCredentials, ...rest } = await init();
    const client = new STSClient({
      ...(clientConfig as STSClientConfig),
      ...(sourceCredentials === undefined ? {} : { credentials: sourceCredentials as AwsCredentialIdentity }),
    });
    const provider = c.build({ ...rest, client });
    try {
      await provider();
      expect(senders()).toEqual([client]);
      provider.close();
      expect(destroyed()).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});
