import { inspect } from 'node:util';

import { CredentialsExpiredError, createRefreshingProvider } from '../src';
import { redactCredentials } from '../src/provider-kit';
import { HOUR, T0, makeCreds, nextTurn } from './helpers';

const SECRETS = /CANARYSECRET|CANARYTOKEN/;

describe('secrets never show', () => {
  test('util.inspect and JSON.stringify of credentials hide the secret key and session token', () => {
    const creds = redactCredentials(makeCreds());
    expect(inspect(creds)).not.toMatch(SECRETS);
    expect(inspect({ nested: { creds } }, { depth: 5 })).not.toMatch(SECRETS);
    expect(JSON.stringify(creds)).not.toMatch(SECRETS);
    expect(inspect(creds)).toContain(creds.accessKeyId);
    expect(JSON.stringify(creds)).toContain('[redacted]');
  });

  test('credentials stay plain objects: fields read and spread as usual', () => {
    const original = makeCreds();
    const creds = redactCredentials(original);
    expect(creds.secretAccessKey).toBe(original.secretAccessKey);
    const copy = { ...creds };
    expect(copy).toEqual(original);
    expect(Object.keys(creds)).toEqual(Object.keys(original));
    expect(JSON.stringify(copy)).toMatch(SECRETS); // a deliberate copy serialises in full
  });

  test('providers show no secret through inspect, JSON.stringify or toString', async () => {
    const provider = createRefreshingProvider(async () => makeCreds(), { name: 'demo' });
    const creds = await provider();
    expect(creds.secretAccessKey).toMatch(SECRETS);
    for (const shown of [inspect(provider), JSON.stringify(provider), String(provider), `${String(provider)}`]) {
      expect(shown).not.toMatch(SECRETS);
      expect(shown).toContain('demo');
    }
    provider.close();
  });

  test('errors show no secret through inspect, JSON.stringify or toString', async () => {
    jest.useFakeTimers({ now: T0 });
    try {
      let first = true;
      const provider = createRefreshingProvider(async () => {
        if (first) {
          first = false;
          return makeCreds(HOUR);
        }
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      });
      await provider();
      jest.setSystemTime(T0 + 2 * HOUR);
      await nextTurn();
      const error = await provider().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CredentialsExpiredError);
      for (const shown of [inspect(error, { depth: 10 }), JSON.stringify(error), String(error)]) {
        expect(shown).not.toMatch(SECRETS);
      }
      provider.close();
    } finally {
      jest.useRealTimers();
    }
  });
});
