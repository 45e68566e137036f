import { inspect } from 'node:util';

import { STSClient } from '@aws-sdk/client-sts';
import { CredentialsProviderError } from '@smithy/property-provider';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

import { ChainExhaustedError, chain, createRefreshingProvider } from '../src';
import type { FetchContext } from '../src';
import { makeCreds } from './helpers';

/** A link that is "not configured": the SDK's way of saying try the next one. */
function notHere(reason: string) {
  return jest.fn(async () => {
    throw new CredentialsProviderError(reason, { tryNextLink: true });
  });
}

describe('chain', () => {
  test('a chain of five links whose last one works returns its credentials', async () => {
    const links = [1, 2, 3, 4].map((n) => notHere(`link ${n} is not configured`));
    const last = jest.fn(async () => makeCreds());
    const provider = chain(...links, last);
    const creds = await provider();
    expect(creds.accessKeyId).toMatch(/^ASIATEST/);
    links.forEach((link) => expect(link).toHaveBeenCalledTimes(1));
    expect(last).toHaveBeenCalledTimes(1);
  });

  test('a link throwing instead of rejecting: the chain rejects, never throws, and passes on tryNextLink', async () => {
    const throwsNotHere = jest.fn((): Promise<never> => {
      throw new CredentialsProviderError('not configured, thrown', { tryNextLink: true });
    });
    const throwsBroken = jest.fn((): Promise<never> => {
      throw new TypeError('broken, thrown');
    });
    const last = jest.fn(async () => makeCreds());
    await expect(chain(throwsNotHere, last)()).resolves.toHaveProperty('accessKeyId');
    const broken = chain(throwsBroken, last);
    let call: Promise<unknown> | undefined;
    expect(() => {
      call = broken();
    }).not.toThrow();
    await expect(call).rejects.toThrow('broken, thrown');
    expect(last).toHaveBeenCalledTimes(1);
  });

  test('remembers the link that worked and starts there next time', async () => {
    const links = [notHere('a'), notHere('b')];
    const last = jest.fn(async () => makeCreds());
    const provider = chain(...links, last);
    await provider();
    await provider();
    await provider();
    links.forEach((link) => expect(link).toHaveBeenCalledTimes(1));
    expect(last).toHaveBeenCalledTimes(3);
  });

  test('goes back to the other links in order when the remembered one passes', async () => {
    let secondWorks = true;
    const first = notHere('first');
    const second = jest.fn(async () => {
      if (secondWorks) return makeCreds();
      throw new CredentialsProviderError('second went away', { tryNextLink: true });
    });
    const third = jest.fn(async () => makeCreds());
    const provider = chain(first, second, third);
    await provider();
    secondWorks = false;
    await provider();
    expect(first).toHaveBeenCalledTimes(2);
    expect(third).toHaveBeenCalledTimes(1);
  });

  test('any other error stops the chain: a broken provider is not replaced by another identity', async () => {
    const broken = jest.fn(async () => {
      throw new Error('AccessDenied: not authorized');
    });
    const fallback = jest.fn(async () => makeCreds());
    const provider = chain(broken, fallback);
    await expect(provider()).rejects.toThrow('AccessDenied: not authorized');
    expect(fallback).not.toHaveBeenCalled();
  });

  test('when every link passes, the error lists each reason and lets an outer chain move on', async () => {
    const provider = chain(notHere('no env vars'), notHere('no profile'), notHere('no web identity token file'));
    const error = await provider().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChainExhaustedError);
    expect(error).toBeInstanceOf(CredentialsProviderError);
    const message = (error as Error).message;
    expect(message).toMatch(/\[1[^\]]*\] CredentialsProviderError: no env vars/);
    expect(message).toMatch(/\[2[^\]]*\] CredentialsProviderError: no profile/);
    expect(message).toMatch(/\[3[^\]]*\] CredentialsProviderError: no web identity token file/);
    expect((error as ChainExhaustedError).errors).toHaveLength(3);

    const outer = chain(provider, async () => makeCreds());
    await expect(outer()).resolves.toHaveProperty('accessKeyId');
  });

  test('composes with the engine: a chain of refreshing providers is itself a provider', async () => {
    const engine = createRefreshingProvider(async () => makeCreds(), { name: 'demo' });
    const provider: AwsCredentialIdentityProvider = chain(notHere('none'), engine);
    const creds = await provider();
    expect(creds.secretAccessKey).toContain('CANARYSECRET');
    expect(inspect(creds)).not.toContain('CANARYSECRET');
    expect(String(provider)).toBe('ChainedProvider(2 links)');
    (provider as ReturnType<typeof chain>).close();
  });

  test('refuses an empty chain and a link that is not a function, naming it', () => {
    expect(() => chain()).toThrow('providers must hold at least one provider');
    expect(() => chain(async () => makeCreds(), 'env' as never)).toThrow('providers[1] must be a function');
  });
});

// A chain whose links may take from the calling client (an STS provider behind a profile, say) is not
// marked configBound at first: a client built before its first call wraps it, and hands its configuration
// on. Then, as an engine's provider does, the chain marks itself and is handed back to that client
// (docs/ARCHITECTURE.md, "Inherited from the calling client"). Real SDK clients, as in
// engine.unwrapClient.test.ts.
describe('a chain in an SDK client', () => {
  type Lookup = () => Promise<AwsCredentialIdentity>;
  const lookUp = (client: STSClient) => (client.config.credentials as Lookup)();
  const contexts = (fetch: jest.Mock) =>
    fetch.mock.calls.map(([context]) => (context as FetchContext).callerClientConfig);

  test('is handed back to a client built before its first call, whose configuration its links got', async () => {
    const fetch = jest.fn(async (_context: FetchContext) => makeCreds());
    const link = createRefreshingProvider(fetch);
    // Every link marked memoized, so is the chain: else the client's cache stands in front and stays.
    const provider = chain(Object.assign(notHere('not configured'), { memoized: true }), link);
    const client = new STSClient({ region: 'eu-west-1', credentials: provider });
    try {
      expect([provider.configBound, client.config.credentials === provider]).toEqual([false, false]);
      await lookUp(client);
      expect([provider.configBound, client.config.credentials === provider]).toEqual([true, true]);
      expect(contexts(fetch)).toEqual([client.config]);
      // The link was not handed to the client: the chain stands between them.
      expect(client.config.credentials).not.toBe(link);
    } finally {
      link.close();
      client.destroy();
    }
  });

  test('passes the first client’s configuration to a link it first reaches later, called without one', async () => {
    let failing = false;
    const first = jest.fn(async () => {
      if (failing) throw new CredentialsProviderError('gone', { tryNextLink: true });
      return makeCreds();
    });
    const fetch = jest.fn(async (_context: FetchContext) => makeCreds());
    const later = createRefreshingProvider(fetch);
    const provider = chain(Object.assign(first, { memoized: true }), later);
    const client = new STSClient({ region: 'eu-west-1', credentials: provider });
    try {
      await lookUp(client);
      expect(client.config.credentials).toBe(provider);
      failing = true;
      // Now called directly by the client, with no configuration: the second link still gets the first's.
      await lookUp(client);
      expect(contexts(fetch)).toEqual([client.config]);
    } finally {
      later.close();
      client.destroy();
    }
  });

  test('of links that take nothing from a caller is marked from the start', () => {
    const marked = Object.assign(async () => makeCreds(), { memoized: true, configBound: true, attributed: true });
    const provider = chain(marked, marked);
    const client = new STSClient({ region: 'eu-west-1', credentials: provider });
    try {
      expect([provider.configBound, provider.attributed]).toEqual([true, true]);
      expect(client.config.credentials).toBe(provider);
    } finally {
      client.destroy();
    }
  });
});
