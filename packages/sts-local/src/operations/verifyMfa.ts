import { mfaAccessDenied } from '../mfa/MfaVerifier';
import type { Caller } from '../model/Caller';
import { accessDenied } from '../protocol/StsErrorResponse';
import type { OperationContext } from './context';

/**
 * Checks SerialNumber/TokenCode when the request carries them. Returns whether MFA was presented
 * and accepted; throws AccessDenied for a device that is not the caller's, a wrong code, or a
 * code already used for that device.
 */
export function verifyMfa(
  ctx: OperationContext,
  caller: Caller,
  serial: string | undefined,
  code: string | undefined,
): boolean {
  if (serial === undefined && code === undefined) return false;
  if (serial === undefined || code === undefined) {
    throw accessDenied('MultiFactorAuthentication failed: SerialNumber and TokenCode must be passed together.');
  }
  const device = ctx.identities.mfaDevice(serial);
  const owner = caller.userArn ?? (caller.isRootUser ? `arn:aws:iam::${caller.account}:root` : undefined);
  if (device === undefined || owner === undefined || device.ownerArn !== owner) {
    // STS's message has two spaces after "code." (as AWS CLI users quote it).
    throw accessDenied(
      'MultiFactorAuthentication failed, unable to validate MFA code.  ' +
        'Please verify your MFA serial number is valid and associated with this user.',
    );
  }
  const refusal = ctx.mfa.check(serial, device.device.secretBase32, code, ctx.now);
  if (refusal !== undefined) throw mfaAccessDenied();
  return true;
}
