import { inspect } from 'node:util';

import { CredchainError, CredentialsExpiredError, isFinalError } from '../src';
import { MfaCodeRejectedError, isMfaRejection } from '../src/mfa';
import { StsError } from '../src/sts/StsError';
import { stsError } from './helpers';

const SERIAL = 'arn:aws:iam::111122223333:mfa/erin';

describe('STS refusing an MFA code', () => {
  test.each([
    ['AssumeRole', 'MultiFactorAuthentication failed with invalid MFA one time pass code.'],
    [
      'GetSessionToken',
      'MultiFactorAuthentication failed, unable to validate MFA code.  ' +
        'Please verify your MFA serial number is valid and associated with this user.',
    ],
  ])("isMfaRejection recognises %s's AccessDenied for a bad code", (_operation, message) => {
    expect(isMfaRejection(stsError('AccessDenied', message))).toBe(true);
    expect(isMfaRejection(stsError('AccessDeniedException', message))).toBe(true);
    expect(isMfaRejection(Object.assign(new Error(message), { name: 'ServiceException', Code: 'AccessDenied' }))).toBe(
      true,
    );
  });

  test('recognises it through credchain wrappers', () => {
    const sdk = stsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    const wrapped = new StsError('AssumeRole', 'AccessDenied', sdk.message, 403, 'req-1', { cause: sdk });
    expect(isMfaRejection(wrapped)).toBe(true);
    expect(isMfaRejection(new CredentialsExpiredError('expired', new Date(0), { cause: wrapped }))).toBe(true);
    expect(isMfaRejection(new MfaCodeRejectedError(SERIAL, { cause: sdk }))).toBe(true);
  });

  test.each([
    [
      'another AccessDenied',
      stsError('AccessDenied', 'User: arn:aws:iam::1:user/x is not authorized to perform: sts:AssumeRole'),
    ],
    [
      'a missing code',
      stsError(
        'AccessDenied',
        'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.',
      ),
    ],
    [
      'another code with an MFA message',
      stsError('ValidationError', 'MultiFactorAuthentication failed with invalid MFA one time pass code.'),
    ],
    ['a string', 'MultiFactorAuthentication failed with invalid MFA one time pass code.'],
    ['nothing', undefined],
  ])('does not mistake %s for a refused code', (_label, error) => {
    expect(isMfaRejection(error)).toBe(false);
  });

  test('MfaCodeRejectedError is typed, final, keeps its cause and names the device', () => {
    const cause = stsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    const error = new MfaCodeRejectedError(SERIAL, { cause });
    expect(error).toBeInstanceOf(CredchainError);
    expect(error.name).toBe('MfaCodeRejectedError');
    expect(error.final).toBe(true);
    expect(isFinalError(error)).toBe(true);
    expect(error.serialNumber).toBe(SERIAL);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain(SERIAL);
    expect(JSON.stringify(error)).toContain('"final":true');
    expect(inspect(error)).toContain('MfaCodeRejectedError');
  });
});
