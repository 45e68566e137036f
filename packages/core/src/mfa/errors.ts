import { CredchainError, InvalidParameterError } from '../errors';

/**
 * The code provider's answer is not a 6-digit code. Thrown before any STS call; the message tells
 * what was wrong with the answer, never the answer.
 */
export class InvalidMfaCodeError extends InvalidParameterError {
  override name = 'InvalidMfaCodeError';

  constructor(
    /** The MFA device the code was for. */
    readonly serialNumber: string,
    /** What was wrong, e.g. `the answer has 5 characters`. */
    problem: string,
  ) {
    super('TokenCode', `must be 6 digits; the MFA code provider for ${serialNumber} answered otherwise (${problem})`);
  }
}

/**
 * The code provider kept answering codes already used for this device, though core waited for the
 * next time step before each ask again. TOTP codes are single use: STS would reject them.
 */
export class MfaCodeReusedError extends CredchainError {
  override name = 'MfaCodeReusedError';
  /** Asking again would get the same answer: the codes do not follow the clock. */
  readonly final = true;

  constructor(
    readonly serialNumber: string,
    /** How many times the code provider was asked. */
    readonly asks: number,
    /** Whether the code provider is a `totpCodeProvider`. */
    totp: boolean,
  ) {
    super(
      totp
        ? `the TOTP generator for ${serialNumber} returned a code already used ${asks} times in a row, ` +
            'though core waited for the next time step before each new ask; is its clock moving?'
        : `the MFA code provider for ${serialNumber} answered a code already used ${asks} times in a row, ` +
            'though core waited for the next 30 s time step before each new ask; a code can be used once: ' +
            'is its clock moving, or was an old code entered?',
    );
  }
}

/**
 * STS refused the MFA code (wrong, expired, or the serial is not the caller's device). Providers
 * throw it in place of STS's AccessDenied; it is not retried automatically, since a retry would
 * prompt again (or lock the device after repeated failures).
 */
export class MfaCodeRejectedError extends CredchainError {
  override name = 'MfaCodeRejectedError';
  readonly final = true;

  constructor(
    readonly serialNumber: string,
    options?: { cause?: unknown },
  ) {
    super(
      `STS rejected the MFA code for ${serialNumber} (a wrong or expired code, or a device not associated ` +
        'with the caller); not retried automatically',
      options,
    );
  }
}

/** No way to ask a human for a code: no terminal (a daemon, CI), or the input closed before an answer. */
export class MfaPromptUnavailableError extends CredchainError {
  override name = 'MfaPromptUnavailableError';
  readonly final = true;

  constructor(
    readonly serialNumber: string,
    message = `no terminal to ask for an MFA code for ${serialNumber}; ` +
      'pass mfaCodeProvider: totpCodeProvider(...) or a TokenCode',
  ) {
    super(message);
  }
}
