/** Why a code is being asked for, so a human prompt can say what happened to the last one. */
export type MfaPromptReason = 'initial' | 'refresh' | 'reused-code' | 'rejected-code';

/** What core tells a code provider about the code it asks for. Carries no secret. */
export interface MfaPromptContext {
  /** The credential provider that needs the code, e.g. `assume-role`. */
  readonly provider: string;
  /** The role being assumed, when there is one. */
  readonly roleArn?: string;
  /**
   * `initial`: first credentials; `refresh`: replacing credentials; `reused-code`: the last answer
   * was a code already used for this device, and core has waited for the next time step (30 s) since;
   * `rejected-code`: STS refused the last code.
   */
  readonly reason: MfaPromptReason;
  /** 1 for the first ask of a request, 2… when core asks again (after a reused code). */
  readonly attempt: number;
}

/**
 * Answers with the current code of the MFA device `serialNumber`: the AWS SDK's `mfaCodeProvider`
 * shape, plus an optional context. A function of the SDK's shape fits as it is.
 */
export type MfaCodeProvider = (serialNumber: string, context?: MfaPromptContext) => Promise<string>;
