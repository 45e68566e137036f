import { createRefreshingProvider } from '../src';
import type { FetchContext } from '../src';
import { HOUR, makeCreds } from './helpers';

// The SDK's `configBound` / `attributed` markers (docs/ARCHITECTURE.md, "Inherited from the calling
// client"): set once nothing can come from a calling client any more, so clients built from then on call
// the provider without their wrappers.

type Marked = { configBound?: unknown; attributed?: unknown; memoized?: unknown };
const marks = (provider: object) => [(provider as Marked).configBound, (provider as Marked).attributed];

describe('the configBound and attributed markers', () => {
  test('unset until a call brings a callerClientConfig; set then, and the first caller stays the one', async () => {
    const fetch = jest.fn(async (_context: FetchContext) => makeCreds(HOUR));
    const provider = createRefreshingProvider(fetch);
    try {
      expect(marks(provider)).toEqual([false, false]);
      // A direct call brings no caller: still unset.
      await provider();
      expect(marks(provider)).toEqual([false, false]);
      const first = { region: 'eu-west-1' };
      await provider({ callerClientConfig: first });
      expect(marks(provider)).toEqual([true, true]);
      await provider({ callerClientConfig: { region: 'ap-southeast-2' }, forceRefresh: true });
      expect(fetch.mock.calls.map(([context]) => context.callerClientConfig)).toEqual([undefined, first]);
    } finally {
      provider.close();
    }
  });

  test('inheritsFromCaller: false marks it from the start', () => {
    const provider = createRefreshingProvider(async () => makeCreds(HOUR), { inheritsFromCaller: false });
    try {
      expect(marks(provider)).toEqual([true, true]);
    } finally {
      provider.close();
    }
  });

  test('the markers are writable, as memoized is: an SDK that assigns them does not throw', () => {
    const provider = createRefreshingProvider(async () => makeCreds(HOUR)) as unknown as Marked;
    try {
      provider.memoized = true;
      provider.configBound = false;
      provider.attributed = false;
      expect([provider.memoized, ...marks(provider)]).toEqual([true, false, false]);
    } finally {
      (provider as unknown as { close(): void }).close();
    }
  });

  test('keeps its name, as a property defined the same way as before', () => {
    const a = createRefreshingProvider(async () => makeCreds(HOUR), { name: 'assume-role' });
    expect(a.name).toBe('assume-role');
    expect(Object.getOwnPropertyDescriptor(a, 'name')).toEqual({
      value: 'assume-role',
      writable: false,
      enumerable: false,
      configurable: true,
    });
    a.close();
  });
});
