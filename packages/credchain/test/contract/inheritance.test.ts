import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expectNoSecret, useFakeTimers } from '@credchain/testkit';
import { ALICE, callsOf, useStsLocal } from '@credchain/testkit/sts-local';

import { CASES } from './cases';
import type { Init } from './cases';
import { proxyHandler } from './proxyHandler';
import type { ProxyHandler } from './proxyHandler';

// What every provider takes from the SDK client that calls it (`callerClientConfig`), as the SDK's
// fromTemporaryCredentials does: the region, the request handler (a proxy here), the logger and the
// user-agent app id, for what it was not given itself; the first client to call it wins. The calling
// client is an STSClient standing for any service client (S3 in eu-west-1 behind a proxy); the proxy
// forwards every request to sts-local and records the host the client addressed.

const sts = useStsLocal();
const savedRegion = process.env.AWS_REGION;
beforeEach(() => {
  useFakeTimers();
  // Nothing but the calling client may bring the region.
  delete process.env.AWS_REGION;
});
afterEach(() => {
  jest.useRealTimers();
  if (savedRegion === undefined) delete process.env.AWS_REGION;
  else process.env.AWS_REGION = savedRegion;
});

/**
 * The case's valid init with no region, endpoint or request handler of its own (one attempt per call,
 * so that a call that goes astray fails at once).
 */
async function bare(c: (typeof CASES)[number]): Promise<Init> {
  const { clientConfig: _own, ...init } = await c.validInit({ sts: sts() });
  return { ...init, clientConfig: { maxAttempts: 1 } };
}

interface Caller {
  readonly client: STSClient;
  readonly proxy: ProxyHandler;
  readonly lines: string[];
}

/** A service client in `region` behind a proxy of its own, with a logger and an app id, using `credentials`. */
function callerIn(region: string, credentials: STSClient['config']['credentials'], appId = 'caller-app'): Caller {
  const proxy = proxyHandler(sts().endpoint);
  const lines: string[] = [];
  const log = (...content: unknown[]) => lines.push(content.map(String).join(' '));
  const client = new STSClient({
    region,
    endpoint: sts().endpoint,
    credentials,
    requestHandler: proxy,
    logger: { debug: log, info: log, warn: log, error: log },
    userAgentAppId: appId,
    maxAttempts: 1,
  });
  return { client, proxy, lines };
}

const whoAmI = (caller: Caller) => caller.client.send(new GetCallerIdentityCommand({}));

describe.each(CASES)('$factory', (c) => {
  const ownCalls = (proxy: ProxyHandler) => proxy.seen.filter((r) => r.action === c.operation);

  test('without a region or request handler of its own, calls STS the way the calling client goes', async () => {
    const provider = c.build(await bare(c));
    const caller = callerIn('eu-west-1', provider);
    try {
      await whoAmI(caller);
      // The provider's call went through the caller's proxy to the caller's region's endpoint,
      // carrying the caller's app id, and its debug lines reached the caller's logger.
      expect(ownCalls(caller.proxy).map((r) => r.hostname)).toEqual(['sts.eu-west-1.amazonaws.com']);
      expect(ownCalls(caller.proxy)[0]!.userAgent).toContain('app/caller-app');
      expect(callsOf(sts(), c.operation)).toHaveLength(1);
      expect(caller.lines.join('\n')).toContain(`region eu-west-1 of the calling client`);
      expectNoSecret(caller.lines, [ALICE.secretAccessKey]);
    } finally {
      provider.close();
      caller.client.destroy();
    }
  });

  test('the first calling client wins: a second one elsewhere changes nothing', async () => {
    const provider = c.build(await bare(c));
    const first = callerIn('eu-west-1', provider);
    const second = callerIn('ap-southeast-2', provider, 'second-app');
    try {
      await whoAmI(first);
      await whoAmI(second);
      await provider.refresh();
      expect(ownCalls(first.proxy).map((r) => r.hostname)).toEqual([
        'sts.eu-west-1.amazonaws.com',
        'sts.eu-west-1.amazonaws.com',
      ]);
      expect(ownCalls(second.proxy)).toEqual([]);
    } finally {
      provider.close();
      first.client.destroy();
      second.client.destroy();
    }
  });

  test('its own clientConfig wins over the calling client', async () => {
    const own = proxyHandler(sts().endpoint);
    const provider = c.build({
      ...(await bare(c)),
      clientConfig: { region: 'us-west-2', requestHandler: own, maxAttempts: 1 },
    });
    const caller = callerIn('eu-west-1', provider);
    try {
      await whoAmI(caller);
      expect(ownCalls(own).map((r) => r.hostname)).toEqual(['sts.us-west-2.amazonaws.com']);
      expect(ownCalls(caller.proxy)).toEqual([]);
    } finally {
      provider.close();
      caller.client.destroy();
      own.destroy();
    }
  });

  test("a calling client's HTTP/2 handler is not taken: STS speaks HTTP/1.1", async () => {
    const provider = c.build({ ...(await bare(c)), clientConfig: { endpoint: sts().endpoint, maxAttempts: 1 } });
    const h2 = proxyHandler(sts().endpoint, { handlerProtocol: 'h2' });
    const client = new STSClient({
      region: 'eu-west-1',
      endpoint: sts().endpoint,
      credentials: provider,
      requestHandler: h2,
    });
    try {
      // The stand-in cannot speak HTTP/2, so the caller's own request fails (an HTTP/2 client signs
      // `:authority`); the provider was asked for credentials before it, and called STS its own way.
      await client.send(new GetCallerIdentityCommand({})).catch(() => undefined);
      expect(h2.actions()).toEqual(['GetCallerIdentity']);
      expect(callsOf(sts(), c.operation)).toHaveLength(1);
    } finally {
      provider.close();
      client.destroy();
    }
  });
});
