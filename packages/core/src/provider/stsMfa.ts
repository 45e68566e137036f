import type { EventInput } from '../emitter';
import { MfaCodeRejectedError, isMfaRejection } from '../mfa';
import type { MfaCodeProvider } from '../mfa';
import { sendSts } from '../sts/stsClient';
import { tokenCodeSource } from '../sts/tokenCodeSource';

/** What {@link stsMfa} reads: the provider's name, its params' MFA fields, its code provider. */
export interface StsMfaInit {
  /** The provider's name, for prompts and errors. */
  readonly provider: string;
  /** The operation's input: `SerialNumber`, a one-off `TokenCode`, and `RoleArn` for the prompt. */
  readonly params: { readonly SerialNumber?: string; readonly TokenCode?: string; readonly RoleArn?: string };
  readonly mfaCodeProvider: MfaCodeProvider | undefined;
  readonly emit: (event: EventInput) => void;
}

/** The MFA steps of a fetch whose STS operation takes SerialNumber and TokenCode. */
export interface StsMfa {
  /**
   * `input` with this fetch's TokenCode: the one-off code once, then the code provider's, through
   * core's process-wide coordination. Returned as it is without a SerialNumber.
   */
  withTokenCode<I extends object>(input: I): Promise<I>;
  /**
   * `sendSts`, with STS refusing the MFA code turned into a `MfaCodeRejectedError` (final: a retry
   * would prompt again, or lock the device after repeated failures).
   */
  send<O>(operation: string, send: () => Promise<O>): Promise<O>;
}

/** Without a SerialNumber: no code to add, no rejection to map; one object for every such provider. */
const NO_MFA: StsMfa = Object.freeze({
  withTokenCode: <I extends object>(input: I): Promise<I> => Promise.resolve(input),
  send: sendSts,
});

/**
 * Checks a provider's MFA options at construction (an `mfaCodeProvider` is a function, and is
 * required with SerialNumber unless a one-off TokenCode is given) and returns its MFA steps.
 * @throws InvalidParameterError naming `mfaCodeProvider`
 */
export function stsMfa(init: StsMfaInit): StsMfa {
  const serialNumber = init.params.SerialNumber;
  const tokenCode = tokenCodeSource({
    provider: init.provider,
    serialNumber,
    tokenCode: init.params.TokenCode,
    mfaCodeProvider: init.mfaCodeProvider,
    ...(init.params.RoleArn === undefined ? {} : { roleArn: init.params.RoleArn }),
    emit: init.emit,
  });
  return serialNumber === undefined ? NO_MFA : mfaSteps(serialNumber, tokenCode);
}

function mfaSteps(serialNumber: string, tokenCode: (() => Promise<string>) | undefined): StsMfa {
  return {
    async withTokenCode(input) {
      return tokenCode === undefined ? input : { ...input, TokenCode: await tokenCode() };
    },
    async send(operation, send) {
      try {
        return await sendSts(operation, send);
      } catch (error) {
        if (isMfaRejection(error)) {
          throw new MfaCodeRejectedError(serialNumber, { cause: error });
        }
        throw error;
      }
    },
  };
}
