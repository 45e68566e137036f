import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { useFakeTimers } from '@credchain/testkit';
import { callsOf, localConfig, useStsLocal } from '@credchain/testkit/sts-local';

import { withCredentialRecovery } from '../../src';
import { CASES } from './cases';
import type { Init, ProviderCase } from './cases';
import { proxyHandler } from './proxyHandler';

// The SDK's `configBound` and `attributed` markers (issue 12, "one cache, ours"): an SDK client reads them
// when it is built, and wraps a provider not `configBound` in a function that passes the client's
// configuration (`callerClientConfig`), and a bound one not `attributed` in a pass-through. A provider
// claims them once nothing can come from a caller: after its first caller (later ones are ignored), or from
// the start when it has its own `client` or a clientConfig that sets everything a caller could give. A
// client then holds the provider itself (`client.config.credentials === provider`): no wrapper. A client
// built before is handed the provider itself at its first request (unwrapClient, in the engine).

const sts = useStsLocal();
// Nothing but the calling client may bring the region: the environment without AWS_REGION.
const { AWS_REGION: _region, ...withoutRegion } = process.env;
beforeEach(() => {
  useFakeTimers();
  jest.replaceProperty(process, 'env', withoutRegion);
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

type Marked = { configBound?: unknown; attributed?: unknown };
const marks = (provider: object) => [(provider as Marked).configBound, (provider as Marked).attributed];

/** The case's valid init without a clientConfig of its own (one attempt per call), fresh bearer secrets per fetch. */
async function bare(c: ProviderCase): Promise<Init> {
  const { clientConfig: _own, ...init } = await c.validInit({ sts: sts() });
  const bearer = c.bearer;
  return {
    ...init,
    ...(bearer === undefined ? {} : { [bearer.option]: () => bearer.mint({ sts: sts() }) }),
    clientConfig: { maxAttempts: 1 },
  };
}

/** A service client in `region` behind a proxy of its own. */
function callerIn(region: string, credentials: STSClient['config']['credentials']) {
  const proxy = proxyHandler(sts().endpoint);
  const endpoint = sts().endpoint;
  const client = new STSClient({ region, endpoint, credentials, requestHandler: proxy, maxAttempts: 1 });
  return { client, proxy };
}

describe.each(CASES)('$factory', (c) => {
  const ownCalls = (proxy: ReturnType<typeof proxyHandler>) => proxy.seen.filter((r) => r.action === c.operation);

  test('unmarked until its first caller, which wraps it and passes its configuration, then holds it', async () => {
    using provider = c.build(await bare(c));
    expect(marks(provider)).toEqual([false, false]);
    const first = callerIn('eu-west-1', provider);
    try {
      // Built before any call: wrapped, and the provider inherits through the wrapper.
      expect(first.client.config.credentials).not.toBe(provider);
      await first.client.send(new GetCallerIdentityCommand({}));
      expect(ownCalls(first.proxy).map((r) => r.hostname)).toEqual(['sts.eu-west-1.amazonaws.com']);
      expect(marks(provider)).toEqual([true, true]);
      // Then handed the provider itself, which it signs its next request with.
      expect(first.client.config.credentials).toBe(provider);
      await first.client.send(new GetCallerIdentityCommand({}));
      const cached = (await provider()).accessKeyId;
      expect(callsOf(sts(), 'GetCallerIdentity').map((call) => call.accessKeyId)).toEqual([cached, cached]);
    } finally {
      first.client.destroy();
    }
  });

  test('a client built after the first caller holds the provider itself, signing with its credentials', async () => {
    using provider = c.build(await bare(c));
    const first = callerIn('eu-west-1', provider);
    const later = callerIn('ap-southeast-2', provider);
    try {
      await first.client.send(new GetCallerIdentityCommand({}));
      const after = callerIn('ap-southeast-2', provider);
      try {
        // No wrapper: the SDK's lookup is the provider.
        expect(after.client.config.credentials).toBe(provider);
        // A client built before the first call is wrapped until its own first request, then holds it.
        expect(later.client.config.credentials).not.toBe(provider);
        const cached = (await provider()).accessKeyId;
        expect((await after.client.config.credentials()).accessKeyId).toBe(cached);
        await after.client.send(new GetCallerIdentityCommand({}));
        await later.client.send(new GetCallerIdentityCommand({}));
        expect(later.client.config.credentials).toBe(provider);
        await provider.refresh();
        // The first caller still decides how the provider reaches STS: the later client's region is not taken.
        expect(ownCalls(first.proxy).map((r) => r.hostname)).toEqual([
          'sts.eu-west-1.amazonaws.com',
          'sts.eu-west-1.amazonaws.com',
        ]);
        expect(ownCalls(after.proxy)).toEqual([]);
        expect(ownCalls(later.proxy)).toEqual([]);
        const signers = callsOf(sts(), 'GetCallerIdentity').map((call) => call.accessKeyId);
        expect(signers).toEqual([cached, cached, cached]);
      } finally {
        after.client.destroy();
      }
    } finally {
      first.client.destroy();
      later.client.destroy();
    }
  });

  test('an unwrapped client still recovers with withCredentialRecovery when its session is revoked', async () => {
    using provider = c.build(await bare(c));
    const first = callerIn('eu-west-1', provider);
    try {
      await first.client.send(new GetCallerIdentityCommand({}));
      const client = withCredentialRecovery(
        new STSClient({ ...localConfig(sts()), credentials: provider, maxAttempts: 1 }),
      );
      try {
        expect(client.config.credentials).toBe(provider);
        const revoked = (await provider()).accessKeyId;
        expect(sts().revokeSession(revoked)).toBe(true);
        await client.send(new GetCallerIdentityCommand({}));
        const renewed = (await provider()).accessKeyId;
        expect(renewed).not.toBe(revoked);
        expect(callsOf(sts(), 'GetCallerIdentity').map((call) => [call.accessKeyId, call.outcome])).toEqual([
          [revoked, 'success'],
          [revoked, 'error'],
          [renewed, 'success'],
        ]);
      } finally {
        client.destroy();
      }
    } finally {
      first.client.destroy();
    }
  });

  test('with its own client, or a clientConfig that sets all a caller could give: marked from the start', async () => {
    const init = await c.validInit({ sts: sts() });
    const stsClient = new STSClient({
      ...(init.clientConfig as object),
      ...(c.signed ? { credentials: init.sourceCredentials as never } : {}),
    });
    const { sourceCredentials: _source, clientConfig: _config, ...rest } = init;
    const handler = proxyHandler(sts().endpoint);
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const full = { region: 'us-west-2', requestHandler: handler, logger, userAgentAppId: 'own-app', maxAttempts: 1 };
    using withClient = c.build({ ...rest, client: stsClient });
    using withConfig = c.build({ ...init, clientConfig: full });
    // Missing one of them (the user-agent app id), the caller may still bring it.
    using missingOne = c.build({ ...init, clientConfig: { ...full, userAgentAppId: undefined } });
    const caller = callerIn('eu-west-1', withConfig);
    try {
      expect(marks(withClient)).toEqual([true, true]);
      expect(marks(withConfig)).toEqual([true, true]);
      expect(marks(missingOne)).toEqual([false, false]);
      expect(caller.client.config.credentials).toBe(withConfig);
      await caller.client.send(new GetCallerIdentityCommand({}));
      expect(ownCalls(handler).map((r) => r.hostname)).toEqual(['sts.us-west-2.amazonaws.com']);
      expect(ownCalls(caller.proxy)).toEqual([]);
    } finally {
      caller.client.destroy();
      stsClient.destroy();
      handler.destroy();
    }
  });
});
