import type { Clock } from '../types';

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
   * was a code already used for this device (wait for the next one); `rejected-code`: STS refused
   * the last code.
   */
  readonly reason: MfaPromptReason;
  /** 1 for the first ask of a request, 2… when core asks again (a reused code). */
  readonly attempt: number;
}

/**
 * Answers with the current code of the MFA device `serialNumber`: the AWS SDK's `mfaCodeProvider`
 * shape, plus an optional context. A function of the SDK's shape fits as it is.
 */
export type MfaCodeProvider = (serialNumber: string, context?: MfaPromptContext) => Promise<string>;

/** What `totpCodeProvider` marks its functions with, so the coordinator knows their codes follow time. */
export interface TotpMarker {
  /** The length of a time step: a new code every `periodMs`. */
  readonly periodMs: number;
  /** The clock the generator reads. */
  readonly clock: Clock;
}

// Symbol.for, so two copies of core in one process recognise each other's generators.
export const TOTP_MARKER: unique symbol = Symbol.for('credchain.mfa.totp') as never;

/** The TOTP marker of a code provider, or undefined for anything else (a human, a custom function). */
export function totpMarkerOf(provider: MfaCodeProvider): TotpMarker | undefined {
  const marker = (provider as unknown as Record<symbol, unknown>)[TOTP_MARKER];
  if (typeof marker !== 'object' || marker === null) return undefined;
  const m = marker as Partial<TotpMarker>;
  if (typeof m.periodMs !== 'number' || !(m.periodMs > 0) || typeof m.clock?.now !== 'function') return undefined;
  return m as TotpMarker;
}
