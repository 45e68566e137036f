/**
 * jest's modern fake timers, minus what real I/O needs: nextTick, setImmediate and queueMicrotask
 * stay real, so an HTTP exchange with sts-local completes while the fake clock stands still.
 */
export const FAKE_TIMERS: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
};

/** Installs FAKE_TIMERS with the fake clock at `now` (epoch ms; the real now by default). */
export function useFakeTimers(now = Date.now()): void {
  jest.useFakeTimers({ ...FAKE_TIMERS, now });
}

/** Resolves once `condition` holds, letting real I/O run in between (no timers, no sleeping). */
export async function until(condition: () => boolean, turns = 2_000_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}
