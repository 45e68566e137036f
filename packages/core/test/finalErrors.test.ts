import { InvalidParameterError, isFinalError } from '../src';
import { stsError } from './helpers';

describe('isFinalError', () => {
  test.each([
    'AccessDenied',
    'InvalidIdentityToken',
    'IDPRejectedClaim',
    'MalformedPolicyDocument',
    'PackedPolicyTooLarge',
    'RegionDisabled',
    'ValidationError',
  ])('%s (and the SDK’s %sException) is final', (code) => {
    expect(isFinalError(stsError(code))).toBe(true);
    expect(isFinalError(stsError(`${code}Exception`))).toBe(true);
  });

  test.each(['Throttling', 'ExpiredToken', 'InternalFailure', 'ServiceUnavailable', 'TimeoutError'])(
    '%s is worth retrying',
    (code) => {
      expect(isFinalError(stsError(code))).toBe(false);
    },
  );

  test('errors marked final are final; non-errors are not', () => {
    expect(isFinalError(new InvalidParameterError('RoleArn', 'is required'))).toBe(true);
    expect(isFinalError(Object.assign(new Error('x'), { Code: 'AccessDenied' }))).toBe(true);
    expect(isFinalError(undefined)).toBe(false);
    expect(isFinalError('AccessDenied')).toBe(false);
  });
});
