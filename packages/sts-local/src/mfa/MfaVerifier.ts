import { timingSafeEqual } from 'node:crypto';
import { accessDenied } from '../protocol/StsErrorResponse';
import { base32Decode, hotp, totpStep } from './totp';

/** Why a code was refused; the caller turns it into STS's AccessDenied. */
export type MfaRefusal = 'invalid' | 'replayed';

/**
 * Checks TOTP codes against a device secret, accepting the current step and one either side
 * (RFC 6238's recommended network-delay window), and refuses a step already accepted for the
 * device: a TOTP code is single use, and STS rejects a replayed one.
 */
export class MfaVerifier {
  readonly #acceptedSteps = new Map<string, Set<number>>();

  /** Returns undefined when accepted (and remembers the step), or why the code is refused. */
  check(serial: string, base32Secret: string, code: string, nowMs: number): MfaRefusal | undefined {
    const secret = base32Decode(base32Secret);
    const current = totpStep(nowMs);
    const given = Buffer.from(code);
    for (const step of [current, current - 1, current + 1]) {
      const expected = Buffer.from(hotp(secret, step));
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) continue;
      const accepted = this.#acceptedSteps.get(serial) ?? new Set<number>();
      if (accepted.has(step)) return 'replayed';
      accepted.add(step);
      // Steps older than the window can never match again; forget them.
      for (const old of accepted) if (old < current - 1) accepted.delete(old);
      this.#acceptedSteps.set(serial, accepted);
      return undefined;
    }
    return 'invalid';
  }
}

/**
 * STS's answer to a refused MFA code; it never repeats the code. STS words a replayed code like a
 * wrong one (it does not tell a guesser that a code was once right), so both refusals read alike.
 */
export function mfaAccessDenied(): Error {
  return accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
}
