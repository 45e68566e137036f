import type { TemporaryCredentials } from '../src';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

let serial = 0;

/** Fresh credentials that live `lifetimeMs` from the (fake) now. Each has its own key id. */
export function makeCreds(lifetimeMs = HOUR): TemporaryCredentials {
  serial += 1;
  return {
    accessKeyId: `ASIATEST${String(serial).padStart(8, '0')}`,
    secretAccessKey: `secret-${serial}-CANARYSECRET`,
    sessionToken: `token-${serial}-CANARYTOKEN`,
    expiration: new Date(Date.now() + lifetimeMs),
  };
}

/** A fetch that takes `latencyMs` of fake time and then returns new credentials. */
export function slowFetch(latencyMs: number, lifetimeMs = HOUR) {
  return jest.fn(
    () =>
      new Promise<TemporaryCredentials>((resolve) => {
        setTimeout(() => resolve(makeCreds(lifetimeMs)), latencyMs);
      }),
  );
}

/** An error shaped like the SDK's STS errors: `name` is STS's code. */
export function stsError(code: string, message = `${code} from STS`): Error {
  const error = new Error(message);
  error.name = code;
  return error;
}

/** Lets the event loop turn once under fake timers: immediates and due timers run. */
export async function nextTurn(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
}
