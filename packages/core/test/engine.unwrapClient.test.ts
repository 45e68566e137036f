import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

import { createRefreshingProvider } from '../src';
import type { CredentialEvent, CredentialProvider, FetchContext, TemporaryCredentials } from '../src';
import { HOUR, makeCreds } from './helpers';

// A client built before the provider's first call holds it behind the SDK's two wrappers (it read the
// `configBound` marker unset). At that first call the provider records the client's configuration, marks
// itself, and hands itself back as the client's `credentials` when nothing but the SDK's wrappers stands
// between them (docs/ARCHITECTURE.md, "Inherited from the calling client"). Real SDK clients: what is
// tested is how the SDK's own setter and wrappers treat the provider.

type Options = { callerClientConfig?: object; forceRefresh?: boolean } | undefined;
type Lookup = (options?: Options) => Promise<AwsCredentialIdentity>;

function clientOf(credentials: AwsCredentialIdentityProvider): STSClient {
  return new STSClient({ region: 'eu-west-1', credentials });
}

/** What the client's requests use: its configuration's `credentials`, read at each lookup as the SDK does. */
const lookUp = (client: STSClient) => (client.config.credentials as Lookup)();

interface Refreshing {
  readonly provider: CredentialProvider;
  readonly fetch: jest.Mock<Promise<TemporaryCredentials>, [FetchContext]>;
  readonly events: CredentialEvent[];
}

function refreshingProvider(): Refreshing {
  const events: CredentialEvent[] = [];
  const fetch = jest.fn(async (_context: FetchContext) => makeCreds(HOUR));
  const provider = createRefreshingProvider(fetch, { name: 'unwrap', onEvent: (event) => events.push(event) });
  return { provider, fetch, events };
}

describe('a client built before the first call', () => {
  test('is handed the provider itself at its first lookup, after the provider took its configuration', async () => {
    const { provider, fetch, events } = refreshingProvider();
    const client = clientOf(provider);
    try {
      expect(client.config.credentials).not.toBe(provider);
      const first = await lookUp(client);
      expect(client.config.credentials).toBe(provider);
      // The configuration came through the wrappers before they went: first caller recorded.
      expect(fetch.mock.calls.map(([context]) => context.callerClientConfig)).toEqual([client.config]);
      // The probe fetched nothing and reported nothing.
      expect(events.filter((event) => event.type === 'refresh-start')).toHaveLength(1);
      expect((await lookUp(client)).accessKeyId).toBe(first.accessKeyId);
      expect(fetch).toHaveBeenCalledTimes(1);
    } finally {
      provider.close();
      client.destroy();
    }
  });

  test('every client built before it is handed the provider at its own first lookup, cached or not', async () => {
    const { provider, fetch } = refreshingProvider();
    const a = clientOf(provider);
    const b = clientOf(provider);
    try {
      await lookUp(a);
      expect([a.config.credentials === provider, b.config.credentials === provider]).toEqual([true, false]);
      // b's first lookup finds the credentials cached: it is handed the provider all the same.
      await lookUp(b);
      expect(b.config.credentials).toBe(provider);
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(fetch.mock.calls[0]![0].callerClientConfig).toBe(a.config);
    } finally {
      provider.close();
      a.destroy();
      b.destroy();
    }
  });

  test('keeps a wrapper of the user’s, marked memoized, passing the options on: called at every lookup', async () => {
    const { provider, fetch } = refreshingProvider();
    const seen: Options[] = [];
    const answers: Array<Promise<AwsCredentialIdentity>> = [];
    const wrapper = Object.assign(
      (options?: Options) => {
        seen.push(options);
        const answer = provider(options).then((credentials) => credentials);
        answers.push(answer);
        return answer;
      },
      { memoized: true },
    );
    const client = clientOf(wrapper);
    try {
      const key = (await lookUp(client)).accessKeyId;
      for (let i = 0; i < 2; i++) await lookUp(client);
      expect(client.config.credentials).not.toBe(provider);
      // It saw the probe too, answered as a lookup: what it got back was always credentials.
      const keys = (await Promise.all(answers)).map((credentials) => credentials.accessKeyId);
      expect(keys).toEqual(answers.map(() => key));
      const before = seen.length;
      await lookUp(client);
      await lookUp(client);
      expect(seen.length).toBe(before + 2);
      // The wrapper passed the client's configuration on: the provider inherited through it all the same.
      expect(fetch.mock.calls[0]![0].callerClientConfig).toBe(client.config);
    } finally {
      provider.close();
      client.destroy();
    }
  });

  test('keeps a wrapper of the user’s that the client caches (not marked memoized)', async () => {
    const { provider } = refreshingProvider();
    let calls = 0;
    const wrapper = async (options?: Options) => {
      calls += 1;
      return provider(options);
    };
    const client = clientOf(wrapper);
    try {
      await lookUp(client);
      await lookUp(client);
      expect(client.config.credentials).not.toBe(provider);
      // The client's own cache answers after the first: the wrapper is still what it would call.
      expect(calls).toBe(1);
    } finally {
      provider.close();
      client.destroy();
    }
  });

  test('a configuration without the SDK’s credentials setter is left alone', async () => {
    const { provider, fetch } = refreshingProvider();
    const config = { region: 'eu-west-1', credentials: 'not a provider' };
    try {
      await provider({ callerClientConfig: config });
      expect(config.credentials).toBe('not a provider');
      expect(fetch.mock.calls[0]![0].callerClientConfig).toBe(config);
    } finally {
      provider.close();
    }
  });

  test('puts back the stack settings it borrows to read the probe', async () => {
    const { provider } = refreshingProvider();
    const client = clientOf(provider);
    const prepare = (error: Error) => `prepared: ${error.message}`;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back after the test, never called
    const { prepareStackTrace, stackTraceLimit } = Error;
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = 7;
    try {
      await lookUp(client);
      expect(client.config.credentials).toBe(provider);
      // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, never called
      expect([Error.prepareStackTrace, Error.stackTraceLimit]).toEqual([prepare, 7]);
    } finally {
      Error.prepareStackTrace = prepareStackTrace;
      Error.stackTraceLimit = stackTraceLimit;
      provider.close();
      client.destroy();
    }
  });

  test('a forced refresh through the client’s wrappers still refreshes', async () => {
    const { provider, fetch } = refreshingProvider();
    const client = clientOf(provider);
    const held = client.config.credentials as Lookup;
    try {
      const first = await held();
      // The wrappers the client was built with, kept by someone: they still reach the provider.
      const forced = await held({ forceRefresh: true });
      expect(forced.accessKeyId).not.toBe(first.accessKeyId);
      expect(fetch).toHaveBeenCalledTimes(2);
    } finally {
      provider.close();
      client.destroy();
    }
  });
});
