import { expectNoSecret, observe, rejectionOf } from '@credchain/testkit';
import { ALICE, useStsLocal } from '@credchain/testkit/sts-local';

import { CASES } from './cases';
import type { Init, ProviderCase } from './cases';

// What every provider promises about secrets: the source's secret key, the bearer assertion or
// token of an unsigned call and the credentials it gets show nowhere a user prints what the
// provider gives back or tells (util.inspect with hidden fields, JSON, String, errors with their
// causes, log lines, events).

const sts = useStsLocal();
const WRONG_SECRET = 'canaryWrongSecret/credchain/DO-NOT-PRINT';

/** The bearer secret of an unsigned call, whole and in pieces long enough to recognise. */
function bearerSecrets(c: ProviderCase, init: Init): string[] {
  if (c.bearer === undefined) return [];
  const value = String(init[c.bearer.option]);
  return [value, value.slice(0, 40), value.slice(-40)];
}

describe.each(CASES)('$factory', (c) => {
  test('neither its credentials, the provider, its log lines nor its events show a secret', async () => {
    const seen = observe();
    const init = await c.validInit({ sts: sts() });
    using provider = c.build({ ...init, logger: seen.logger, onEvent: seen.onEvent });
    const credentials = await provider();
    const secrets = [
      ALICE.secretAccessKey,
      ...bearerSecrets(c, init),
      credentials.secretAccessKey,
      credentials.sessionToken,
    ];
    // Control: a plain copy shows them, so the checks below would see a secret where there is one.
    expect(JSON.stringify({ ...credentials })).toContain(credentials.sessionToken);
    expect(seen.lines.length).toBeGreaterThan(0);
    for (const shown of [credentials, provider, String(provider), seen.lines, seen.events]) {
      expectNoSecret(shown, secrets);
    }
  });

  test('a refused call shows no secret in its error, log lines or events', async () => {
    const seen = observe();
    const valid = await c.validInit({ sts: sts() });
    // Signed: alice's key with a wrong secret (SignatureDoesNotMatch); unsigned: a refused call that
    // carried the assertion or token.
    const init = c.signed
      ? { ...valid, sourceCredentials: { ...ALICE, secretAccessKey: WRONG_SECRET } }
      : c.refused!(valid);
    const provider = c.build({ ...init, logger: seen.logger, onEvent: seen.onEvent });
    const error = await rejectionOf(provider());
    provider.close();
    expect(error).toMatchObject({ code: c.signed ? 'SignatureDoesNotMatch' : 'AccessDenied' });
    for (const shown of [error, seen.lines, seen.events]) {
      expectNoSecret(shown, [ALICE.secretAccessKey, WRONG_SECRET, ...bearerSecrets(c, init)]);
    }
  });
});
