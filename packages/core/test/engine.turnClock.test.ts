import { HOT_CALLS, TurnClock } from '../src/engine/TurnClock';
import { nextTurn } from './helpers';

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

const reusedCalls = (turn: TurnClock, calls: number): number =>
  Array.from({ length: calls }, () => turn.reuse()).filter(Boolean).length;

describe('the turn clock (the hot path)', () => {
  test('a kept reading stands for fewer than HOT_CALLS calls of one turn, then the clock is read again', () => {
    const turn = new TurnClock(true);
    expect(turn.reuse()).toBe(false);
    turn.keep();
    expect(reusedCalls(turn, 100)).toBe(HOT_CALLS - 1);
  });

  test('a kept reading is dropped when the event loop turns', async () => {
    const turn = new TurnClock(true);
    turn.keep();
    await nextTurn();
    expect(turn.reuse()).toBe(false);
  });

  test('forget() drops the reading at once', () => {
    const turn = new TurnClock(true);
    turn.keep();
    turn.forget();
    expect(turn.reuse()).toBe(false);
  });

  test('disabled (an injected clock): nothing is ever kept', () => {
    const turn = new TurnClock(false);
    turn.keep();
    expect(reusedCalls(turn, 10)).toBe(0);
  });
});
