import { MfaCodeRejectedError } from './errors';

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException']);

// STS's messages for a code it refused: AssumeRole says "MultiFactorAuthentication failed with
// invalid MFA one time pass code.", GetSessionToken "MultiFactorAuthentication failed, unable to
// validate MFA code. Please verify your MFA serial number is valid and associated with this user."
// "…must provide both MFA serial number and one time pass code." is a missing code, not a refused one.
const REFUSED_CODE =
  /MultiFactorAuthentication failed[\s\S]*(invalid MFA one time pass code|unable to validate MFA code)/i;

/**
 * True when `error` is STS refusing an MFA code (AccessDenied with STS's message for a bad code),
 * as the SDK throws it, as a credchain `StsError` wraps it, or already turned into a
 * `MfaCodeRejectedError`. Follows `cause` a few levels.
 */
export function isMfaRejection(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof MfaCodeRejectedError) return true;
    const e = current as { name?: unknown; Code?: unknown; code?: unknown; message?: unknown; cause?: unknown };
    const denied = [e.Code, e.code, e.name].some((c) => typeof c === 'string' && ACCESS_DENIED.has(c));
    if (denied && typeof e.message === 'string' && REFUSED_CODE.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}
