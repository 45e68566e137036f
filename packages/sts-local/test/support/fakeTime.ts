/**
 * Runs `start` under jest fake timers (real I/O kept) and moves fake time in 50 ms steps until it settles;
 * resolves with its value and the fake milliseconds it took. Callers restore real timers afterwards.
 */
export async function fakeElapsed<T>(start: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const startedAt = Date.now();
  let settledAt: number | undefined;
  const pending = start().finally(() => {
    settledAt = Date.now();
  });
  while (settledAt === undefined) {
    await jest.advanceTimersByTimeAsync(50);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { value: await pending, elapsedMs: settledAt - startedAt };
}
