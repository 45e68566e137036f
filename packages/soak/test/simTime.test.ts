import { installSimTime } from '../src/simTime';

const START = Date.UTC(2030, 0, 1);

test('Date and timers follow the simulated clock; timers fire one at a time in due order', () => {
  const realDate = Date;
  const sim = installSimTime(START);
  try {
    const fired: string[] = [];
    setTimeout(() => fired.push(`b@${Date.now() - START}`), 2_000);
    setTimeout(() => fired.push(`a@${Date.now() - START}`), 1_000);
    const cancelled = setTimeout(() => fired.push('never'), 1_500);
    clearTimeout(cancelled);
    const ticking = setInterval(() => fired.push(`i@${new Date().getTime() - START}`), 1_200);
    expect(new Date().getTime()).toBe(START);
    expect(sim.nextDue()).toBe(START + 1_000);
    expect(sim.fireNext()).toBe(true);
    expect(fired).toEqual(['a@1000']);
    sim.fireNext();
    sim.fireNext();
    clearInterval(ticking);
    expect(fired).toEqual(['a@1000', 'i@1200', 'b@2000']);
    expect(sim.pending).toBe(0);
    expect(sim.fireNext()).toBe(false);
    sim.jumpTo(START + 10_000);
    expect(Date.now()).toBe(START + 10_000);
    expect(new Date(0).getTime()).toBe(0);
    expect(new Date() instanceof realDate).toBe(true);
  } finally {
    sim.uninstall();
  }
  expect(Date).toBe(realDate);
  expect(Date.now()).toBeGreaterThan(Date.UTC(2020, 0, 1));
});

test('counts the pending one-shot timers armed with a given delay (sts-local holding latency spikes)', () => {
  const sim = installSimTime(START);
  try {
    const spike = setTimeout(() => undefined, 8_000);
    setTimeout(() => undefined, 8_000);
    setTimeout(() => undefined, 1_000);
    const ticking = setInterval(() => undefined, 8_000);
    expect([sim.armedWith(8_000), sim.armedWith(1_000), sim.armedWith(2_000)]).toEqual([2, 1, 0]);
    clearTimeout(spike);
    // An interval of that period is not a spike.
    expect(sim.armedWith(8_000)).toBe(1);
    clearInterval(ticking);
    sim.fireNext();
    expect(sim.armedWith(1_000)).toBe(0);
  } finally {
    sim.uninstall();
  }
});
