import { createMfaCoordinator } from './createMfaCoordinator';
import type { MfaCoordinator, MfaRequestContext } from './createMfaCoordinator';
import type { MfaCodeProvider } from './types';

// One coordinator per process, by definition: an MFA device is shared by every provider in it.
// Kept on globalThis under a registered symbol so that two copies of core loaded side by side
// (a hoisting mismatch) still share it; the version in the key keeps incompatible copies apart.
const KEY = Symbol.for('credchain.mfa.coordinator.v1');
const registry = globalThis as typeof globalThis & { [KEY]?: MfaCoordinator };
const processWide: MfaCoordinator = (registry[KEY] ??= createMfaCoordinator());

/**
 * Asks `codeProvider` for a code of MFA device `serialNumber` through the process-wide
 * coordinator: one prompt per device at a time across every provider, the answer checked to be 6
 * digits before any STS call, and a code handed out once (when the answer was already used, core
 * waits for the next 30 s time step and asks again with `reason: 'reused-code'`).
 */
export function requestMfaCode(
  serialNumber: string,
  codeProvider: MfaCodeProvider,
  context: MfaRequestContext,
): Promise<string> {
  return processWide.request(serialNumber, codeProvider, context);
}
