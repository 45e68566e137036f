import { InvalidParameterError } from '../errors';
import type { Clock } from '../types';
import { checkNumber } from '../windows';
import { InvalidMfaCodeError, MfaCodeReusedError } from './errors';
import { timeStepOf, waitForNextStep } from './timeStep';
import type { MfaCodeProvider, MfaPromptReason } from './types';

/** Options of `createMfaCoordinator`. */
export interface MfaCoordinatorOptions {
  /**
   * Where time comes from: when a code was handed out, and where the next 30 s time step begins
   * (a `totpCodeProvider` is waited for by its own clock and period).
   * @default Date
   */
  readonly clock?: Clock;
  /**
   * How long a handed-out code is remembered (and refused if answered again). Longer than the
   * time STS accepts a code for.
   * @default 300_000 (5 min)
   */
  readonly retentionMs?: number;
  /**
   * How many times one request asks the code provider when it keeps answering used codes (waiting
   * for the next time step before each ask again), before giving up with `MfaCodeReusedError`.
   * @default 3
   */
  readonly maxAsks?: number;
}

/** What a provider tells the coordinator about the code it needs. */
export interface MfaRequestContext {
  /** The credential provider asking, e.g. `assume-role`; passed on to the code provider. */
  readonly provider: string;
  /** The role being assumed, if any; passed on to the code provider. */
  readonly roleArn?: string;
  /**
   * Why the code is needed; passed on to the code provider on the first ask.
   * @default 'initial'
   */
  readonly reason?: Exclude<MfaPromptReason, 'reused-code'>;
  /** Called each time the code provider is asked (providers emit an `mfa-prompt` event). @default none */
  readonly onPrompt?: (serialNumber: string) => void;
  /** The clock for this request, in place of the coordinator's. @default the coordinator's clock */
  readonly clock?: Clock;
}

/** Hands out MFA codes: one prompt per device at a time, each code once (TOTP codes are single use). */
export interface MfaCoordinator {
  /**
   * Asks `codeProvider` for a code of `serialNumber` once every earlier request for that device is
   * done; checks it is 6 digits and was not handed out before. When it was, waits for the next
   * 30 s time step (MFA codes change only then) and asks again, with `reason: 'reused-code'`.
   */
  request(serialNumber: string, codeProvider: MfaCodeProvider, context: MfaRequestContext): Promise<string>;
}

interface DeviceState {
  /** Settles when the last request queued for this device is done. */
  tail: Promise<void>;
  /** Requests queued or running. */
  pending: number;
  /** Codes handed out, with when. Never logged or shown. */
  readonly used: Map<string, number>;
}

const SIX_DIGITS = /^[0-9]{6}$/;

function checkCode(answer: unknown, serialNumber: string): string {
  if (typeof answer !== 'string') {
    throw new InvalidMfaCodeError(
      serialNumber,
      `the answer is ${answer === null ? 'null' : typeof answer}, not a string`,
    );
  }
  const code = answer.trim();
  if (!SIX_DIGITS.test(code)) {
    const problem =
      code.length === 6 ? 'the answer has characters other than digits' : `the answer has ${code.length} characters`;
    throw new InvalidMfaCodeError(serialNumber, problem);
  }
  return code;
}

/**
 * A coordinator of its own, for tests and for code that must not share devices with the rest of
 * the process. Providers use the process-wide one through `requestMfaCode`.
 */
export function createMfaCoordinator(options: MfaCoordinatorOptions = {}): MfaCoordinator {
  checkNumber('retentionMs', options.retentionMs, 0);
  checkNumber('maxAsks', options.maxAsks, 1);
  if (options.maxAsks !== undefined && !Number.isInteger(options.maxAsks)) {
    throw new InvalidParameterError('maxAsks', 'must be an integer ≥ 1');
  }
  if (options.clock !== undefined && typeof options.clock.now !== 'function') {
    throw new InvalidParameterError('clock', 'must have a now() method returning milliseconds');
  }
  // Date.now is looked up on every reading: the process-wide coordinator is made at import, and
  // fake timers installed later must still move it.
  const defaultClock: Clock = options.clock ?? { now: () => Date.now() };
  const retentionMs = options.retentionMs ?? 5 * 60_000;
  const maxAsks = options.maxAsks ?? 3;
  const devices = new Map<string, DeviceState>();

  const forget = (state: DeviceState, now: number): void => {
    for (const [code, at] of state.used) {
      if (now - at >= retentionMs) state.used.delete(code);
    }
  };

  const ask = async (
    serialNumber: string,
    codeProvider: MfaCodeProvider,
    context: MfaRequestContext,
    state: DeviceState,
  ): Promise<string> => {
    const clock = context.clock ?? defaultClock;
    const step = timeStepOf(codeProvider, clock);
    let reason: MfaPromptReason = context.reason ?? 'initial';
    for (let attempt = 1; ; attempt++) {
      try {
        context.onPrompt?.(serialNumber);
      } catch {
        // A listener's failure must not cost the user a prompt.
      }
      const prompt = {
        provider: context.provider,
        reason,
        attempt,
        ...(context.roleArn === undefined ? {} : { roleArn: context.roleArn }),
      };
      const code = checkCode(await codeProvider(serialNumber, prompt), serialNumber);
      const now = clock.now();
      forget(state, now);
      if (!state.used.has(code)) {
        state.used.set(code, now);
        return code;
      }
      if (attempt >= maxAsks) throw new MfaCodeReusedError(serialNumber, attempt, step.marked);
      // AWS MFA codes are TOTP codes: a generator, a hardware token or an authenticator app shows the
      // same code until its time step ends, so asking again at once would only get it again.
      await waitForNextStep(step);
      reason = 'reused-code';
    }
  };

  const request = async (
    serialNumber: string,
    codeProvider: MfaCodeProvider,
    context: MfaRequestContext,
  ): Promise<string> => {
    if (typeof serialNumber !== 'string' || serialNumber === '') {
      throw new InvalidParameterError('SerialNumber', 'must be a non-empty string');
    }
    if (typeof codeProvider !== 'function') {
      throw new InvalidParameterError(
        'mfaCodeProvider',
        'must be a function (serialNumber, context?) => Promise<string>',
      );
    }
    let state = devices.get(serialNumber);
    if (state === undefined) {
      state = { tail: Promise.resolve(), pending: 0, used: new Map() };
      devices.set(serialNumber, state);
    }
    // One prompt per device at a time: each request waits for the one queued before it.
    const before = state.tail;
    let done!: () => void;
    state.tail = new Promise<void>((resolve) => {
      done = resolve;
    });
    state.pending++;
    try {
      await before;
      return await ask(serialNumber, codeProvider, context, state);
    } finally {
      state.pending--;
      done();
      if (state.pending === 0) {
        forget(state, (context.clock ?? defaultClock).now());
        if (state.used.size === 0) devices.delete(serialNumber);
      }
    }
  };

  const coordinator: MfaCoordinator = { request };
  // Nothing to show: the remembered codes stay in the closure.
  Object.defineProperty(coordinator, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => `MfaCoordinator(${devices.size} devices)`,
  });
  return coordinator;
}
