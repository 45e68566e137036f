import { inspect } from 'node:util';

import { InvalidParameterError } from '../src';
import { totpCodeProvider } from '../src/mfa';

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890" (ASCII), in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const SERIAL = 'arn:aws:iam::111122223333:mfa/robot';

const at = (seconds: number) => ({ now: () => seconds * 1000 });

describe('totpCodeProvider', () => {
  test.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])("produces RFC 6238's test vector at T=%i: %s", async (seconds, code) => {
    const provider = totpCodeProvider({ secret: RFC_SECRET, clock: at(seconds) });
    await expect(provider(SERIAL)).resolves.toBe(code);
  });

  test('reads the time from Date by default, so fake timers drive it', async () => {
    jest.useFakeTimers({ now: 1111111109 * 1000 });
    try {
      const provider = totpCodeProvider({ secret: RFC_SECRET });
      await expect(provider(SERIAL)).resolves.toBe('081804');
      jest.setSystemTime(1234567890 * 1000);
      await expect(provider(SERIAL)).resolves.toBe('005924');
    } finally {
      jest.useRealTimers();
    }
  });

  test('takes the secret as it is shown to people: lower case, grouped by spaces, padded', async () => {
    const grouped = 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq';
    await expect(totpCodeProvider({ secret: grouped, clock: at(59) })(SERIAL)).resolves.toBe('287082');
    await expect(totpCodeProvider({ secret: 'JBSWY3DPEHPK3PXP====', clock: at(59) })(SERIAL)).resolves.toMatch(
      /^\d{6}$/,
    );
  });

  test('reads a secret given as a function at each code, so it can come from an env var set later', async () => {
    const secret = jest.fn(() => RFC_SECRET);
    const provider = totpCodeProvider({ secret, clock: at(59) });
    expect(secret).not.toHaveBeenCalled();
    await expect(provider(SERIAL)).resolves.toBe('287082');
    await expect(provider(SERIAL)).resolves.toBe('287082');
    expect(secret).toHaveBeenCalledTimes(2);
    const asyncSecret = totpCodeProvider({ secret: async () => RFC_SECRET, clock: at(2000000000) });
    await expect(asyncSecret(SERIAL)).resolves.toBe('279037');
  });

  test('a 60 s period changes the time step (T=59 is step 0: RFC 4226 HOTP value 755224)', async () => {
    await expect(totpCodeProvider({ secret: RFC_SECRET, period: 60, clock: at(59) })(SERIAL)).resolves.toBe('755224');
  });

  test.each([
    ['too short', 'GEZDGNBVGY3TQOJ'],
    ['not base32', 'GEZDGNBVGY3TQOJ1GEZDGNBV'],
    ['empty', ''],
    ['not a string', 42],
  ])('refuses a secret that is %s, at creation, naming secret', (_label, secret) => {
    let error: unknown;
    try {
      totpCodeProvider({ secret: secret as string });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).parameter).toBe('secret');
    expect((error as Error).message).toMatch(/^secret must be a base32 string/);
    if (typeof secret === 'string' && secret !== '') expect((error as Error).message).not.toContain(secret);
  });

  test('refuses digits other than 6 and a bad period', () => {
    expect(() => totpCodeProvider({ secret: RFC_SECRET, digits: 8 as 6 })).toThrow(/^digits must be 6/);
    expect(() => totpCodeProvider({ secret: RFC_SECRET, period: 0 })).toThrow(/^period/);
    expect(() => totpCodeProvider({ secret: RFC_SECRET, period: 2.5 })).toThrow(/^period/);
  });

  test('a secret function returning garbage fails the call without quoting it', async () => {
    const provider = totpCodeProvider({ secret: () => 'NOT-A-SECRET-CANARY!' });
    const error = await provider(SERIAL).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidParameterError);
    for (const shown of [(error as Error).message, inspect(error), JSON.stringify(error)]) {
      expect(shown).not.toContain('CANARY');
    }
  });

  test('the provider shows no secret through inspect, JSON.stringify or String', () => {
    const provider = totpCodeProvider({ secret: RFC_SECRET });
    const shown = [
      inspect(provider),
      inspect(provider, { showHidden: true, depth: 10 }),
      inspect({ options: { mfaCodeProvider: provider } }, { depth: 10 }),
      JSON.stringify(provider),
      JSON.stringify({ mfaCodeProvider: provider }),
      String(provider),
    ];
    for (const text of shown) {
      expect(text).not.toContain(RFC_SECRET);
      expect(text).not.toMatch(/GEZDGNBV/i);
    }
    expect(inspect(provider)).toContain('totpCodeProvider');
    expect(Object.keys(provider)).toEqual([]);
  });
});
