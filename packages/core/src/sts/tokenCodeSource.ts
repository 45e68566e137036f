import { InvalidParameterError } from '../errors';
import type { EventInput } from '../emitter';
import { requestMfaCode } from '../mfa';
import type { MfaCodeProvider } from '../mfa';

export interface TokenCodeSourceInit {
  /** The provider's name, for prompts and errors. */
  readonly provider: string;
  readonly serialNumber: string | undefined;
  /** A code given up front: it serves one fetch only. */
  readonly tokenCode: string | undefined;
  readonly mfaCodeProvider: MfaCodeProvider | undefined;
  readonly roleArn?: string;
  readonly emit: (event: EventInput) => void;
}

/**
 * Checks the MFA options of a provider at construction and returns what gives each fetch its
 * TokenCode: the one-off code once, then the code provider through core's process-wide
 * coordination (one prompt per serial, never the same code twice).
 */
export function tokenCodeSource(init: TokenCodeSourceInit): (() => Promise<string>) | undefined {
  const { serialNumber, mfaCodeProvider } = init;
  if (mfaCodeProvider !== undefined && typeof mfaCodeProvider !== 'function') {
    throw new InvalidParameterError('mfaCodeProvider', 'must be a function (serialNumber) => Promise<string>');
  }
  if (serialNumber === undefined) return undefined;
  if (mfaCodeProvider === undefined && init.tokenCode === undefined) {
    throw new InvalidParameterError(
      'mfaCodeProvider',
      'is required when SerialNumber is set (or pass a TokenCode, which serves one fetch only)',
    );
  }
  let oneOff = init.tokenCode;
  return async () => {
    if (oneOff !== undefined) {
      const code = oneOff;
      oneOff = undefined; // TOTP codes are single use: never send one twice
      return code;
    }
    if (mfaCodeProvider === undefined) {
      throw new InvalidParameterError(
        'TokenCode',
        'was already used by an earlier fetch; refreshing needs mfaCodeProvider (TOTP codes are single use)',
      );
    }
    return requestMfaCode(serialNumber, mfaCodeProvider, {
      provider: init.provider,
      ...(init.roleArn === undefined ? {} : { roleArn: init.roleArn }),
      onPrompt: (serial: string) => init.emit({ type: 'mfa-prompt', serialNumber: serial }),
    });
  };
}
