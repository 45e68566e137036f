import { CredchainError, InvalidParameterError } from '../errors';
import type { Clock } from '../types';
import { checkNumber } from '../windows';
import { MFA_CODE_PERIOD_SECONDS, TIME_STEP } from './timeStep';
import type { TimeStep } from './timeStep';
import type { MfaCodeProvider } from './types';

/** Options of `totpCodeProvider`. */
export interface TotpCodeProviderOptions {
  /**
   * The device's base32 secret (what the QR code of a virtual MFA device holds; spaces, padding and
   * case are ignored), or a function returning it, read at each code (from an environment variable
   * or a secret store, say). At least 16 characters.
   */
  readonly secret: string | (() => string | PromiseLike<string>);
  /**
   * Digits per code: STS takes 6.
   * @default 6
   */
  readonly digits?: 6;
  /**
   * Seconds per code (RFC 6238's time step X). AWS takes 30 s codes only.
   * @default 30 (MFA_CODE_PERIOD_SECONDS)
   */
  readonly period?: number;
  /**
   * Where time comes from. The coordinator waits for the next step by this clock too (a wrapper
   * around the provider is waited for by the system clock).
   * @default Date
   */
  readonly clock?: Clock;
}

const SECRET_RULE = 'must be a base32 string (A–Z, 2–7) of at least 16 characters';

// otplib asks for 16 bytes by default; 16 base32 characters (80 bits) is what many authenticator
// apps hand out, and RFC 4226 asks for 128 bits only as a recommendation. otplib's upper bound is 64.
const MIN_SECRET_BYTES = 10;
const MAX_SECRET_BYTES = 64;

/** One code from a normalised secret at `epoch` (seconds). */
type GenerateCode = (options: { secret: string; digits: 6; period: number; epoch: number }) => string;
let generator: Promise<GenerateCode> | undefined;

/** otplib, loaded at the first code: most processes never ask for one (issue 12, import cost). */
function loadGenerator(): Promise<GenerateCode> {
  return (generator ??= import('otplib').then(({ createGuardrails, generateSync }) => {
    const guardrails = createGuardrails({ MIN_SECRET_BYTES, MAX_SECRET_BYTES });
    return (options) => generateSync({ ...options, guardrails });
  }));
}

function normalise(secret: unknown): string {
  if (typeof secret !== 'string') throw new InvalidParameterError('secret', SECRET_RULE);
  const s = secret.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  // Checked here, never by otplib: its decoding errors quote the offending character of the secret.
  if (s.length < 16 || !/^[A-Z2-7]+$/.test(s)) throw new InvalidParameterError('secret', SECRET_RULE);
  // Base32: 5 bits a character, trailing bits dropped.
  if (Math.floor((s.length * 5) / 8) > MAX_SECRET_BYTES) {
    throw new InvalidParameterError(
      'secret',
      `${SECRET_RULE} that decodes to ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} bytes`,
    );
  }
  return s;
}

/**
 * An MFA code provider for automation: the device's current RFC 6238 code (HMAC-SHA-1, through
 * otplib) from its base32 secret. When its current code was already used, core waits for the next
 * time step (by this provider's clock and period) instead of sending the code twice. The secret
 * stays in a closure: `util.inspect`, `JSON.stringify` and errors never show it.
 */
export function totpCodeProvider(options: TotpCodeProviderOptions): MfaCodeProvider {
  // Checked as what JavaScript callers may pass, whatever the types say.
  const given: unknown = options;
  if (typeof given !== 'object' || given === null) {
    throw new InvalidParameterError('secret', SECRET_RULE);
  }
  const { secret } = options;
  const fixed = typeof secret === 'function' ? undefined : normalise(secret);
  const digits: unknown = options.digits;
  if (digits !== undefined && digits !== 6) {
    throw new InvalidParameterError('digits', 'must be 6: STS takes 6-digit codes');
  }
  checkNumber('period', options.period, 1, 3600);
  if (options.period !== undefined && !Number.isInteger(options.period)) {
    throw new InvalidParameterError('period', 'must be a whole number of seconds');
  }
  if (options.clock !== undefined && typeof options.clock.now !== 'function') {
    throw new InvalidParameterError('clock', 'must have a now() method returning milliseconds');
  }
  const period = options.period ?? MFA_CODE_PERIOD_SECONDS;
  const clock: Clock = options.clock ?? Date;

  const provider: MfaCodeProvider = async () => {
    const key = fixed ?? normalise(await (secret as () => string | PromiseLike<string>)());
    const generate = await loadGenerator();
    try {
      return generate({ secret: key, digits: 6, period, epoch: Math.floor(clock.now() / 1000) });
    } catch (error) {
      // Only the error's name: otplib's messages may quote part of the secret.
      throw new CredchainError(
        `TOTP code generation failed (${error instanceof Error ? error.name : 'unknown error'})`,
      );
    }
  };
  const step: TimeStep = { periodMs: period * 1000, clock };
  const describe = (): string => `totpCodeProvider(period ${period} s)`;
  Object.defineProperties(provider, {
    name: { value: 'totpCodeProvider' },
    [TIME_STEP]: { value: step },
    toString: { value: describe },
    toJSON: { value: () => ({ totpCodeProvider: { period } }) },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: describe },
  });
  return provider;
}
