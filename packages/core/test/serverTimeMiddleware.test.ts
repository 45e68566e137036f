import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { useFakeTimers } from '@credchain/testkit';
import { ALICE, globalDateClock, localConfig, useStsLocal } from '@credchain/testkit/sts-local';

import { SERVER_TIME_MIDDLEWARE, installServerTimeMiddleware, serverTimeOf } from '../src/sts/serverTime';
import { toTemporaryCredentials } from '../src/provider-kit';
import { HOUR, MINUTE, SECOND, T0 } from './helpers';

// The capture side of engine rule 9: the middleware on a real STSClient notes, on each answer that carries
// credentials, what sts-local's Date header says of its clock. sts-local runs 10 minutes ahead of the
// (fake) local clock: a host whose clock is behind AWS's.
const SKEW = 10 * MINUTE;
const sts = useStsLocal({ clock: { now: () => globalDateClock.now() + SKEW } });
beforeEach(() => useFakeTimers(T0 + 300));
afterEach(() => jest.useRealTimers());

function client(): STSClient {
  return new STSClient({ ...localConfig(sts()), credentials: { ...ALICE }, maxAttempts: 1 });
}

test('installed once however often it is asked for', () => {
  const c = client();
  installServerTimeMiddleware(c);
  installServerTimeMiddleware(c);
  expect(c.middlewareStack.identify().filter((entry) => entry.startsWith(SERVER_TIME_MIDDLEWARE))).toHaveLength(1);
  c.destroy();
});

test('an answer with credentials carries the skew its Date shows, and so do the credentials made from it', async () => {
  const c = client();
  installServerTimeMiddleware(c);
  try {
    const out = await c.send(new GetSessionTokenCommand({ DurationSeconds: HOUR / SECOND }));
    // Fake time stands still during the exchange: sent and received at T0 + 300, the date names T0 + 10 min.
    const observed = { minMs: SKEW - 300, maxMs: SKEW + 700 };
    expect(serverTimeOf(out.Credentials)).toEqual(observed);
    expect(serverTimeOf(toTemporaryCredentials('GetSessionToken', out.Credentials, 'user-session'))).toEqual(observed);
  } finally {
    c.destroy();
  }
});

test('without the middleware, or on an answer without credentials, nothing is noted', async () => {
  const plain = client();
  const withIt = client();
  installServerTimeMiddleware(withIt);
  try {
    const out = await plain.send(new GetSessionTokenCommand({}));
    expect(serverTimeOf(out.Credentials)).toBeUndefined();
    expect(serverTimeOf(toTemporaryCredentials('GetSessionToken', out.Credentials, 'user-session'))).toBeUndefined();
    const identity = await withIt.send(new GetCallerIdentityCommand({}));
    expect(serverTimeOf(identity)).toBeUndefined();
  } finally {
    plain.destroy();
    withIt.destroy();
  }
});
