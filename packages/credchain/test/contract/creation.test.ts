import { deepFreeze, parameterOf } from '@credchain/testkit';
import { ALICE, callsOf, useStsLocal } from '@credchain/testkit/sts-local';

import { CASES } from './cases';
import type { Init } from './cases';

// What every provider promises when it is created: its input is checked at once, with an error
// naming the parameter; nothing reaches the network (or any callback) before the first call; the
// caller's params are copied deeply and frozen, and the caller's object is never written to.

const sts = useStsLocal();

const withParams = (init: Init, change: Record<string, unknown>): Init => ({
  ...init,
  params: { ...init.params, ...change },
});

/** Bad inputs every provider refuses the same way: the factory's own, and the options all share. */
const COMMON: ReadonlyArray<readonly [string, (init: Init) => unknown]> = [
  ['init', () => null],
  ['params', (init) => ({ ...init, params: 'RoleArn=arn:aws:iam::111122223333:role/demo-role' })],
  ['DurationSeconds', (init) => withParams(init, { DurationSeconds: 1e9 })],
  ['Polcy', (init) => withParams(init, { Polcy: '{}' })],
  ['sourceCredentials', (init) => ({ ...init, sourceCredentials: ALICE, masterCredentials: ALICE })],
  ['clientConfig', (init) => ({ ...init, clientConfig: 'us-east-1' })],
  ['refresh.mandatoryWindowMs', (init) => ({ ...init, refresh: { mandatoryWindowMs: -1 } })],
];

describe.each(CASES)('$factory', (c) => {
  const target = () => ({ sts: sts() });

  test.each([...COMMON, ...c.invalid])(
    'refuses a bad %s when created, naming it, before any call',
    async (name, bad) => {
      const init = bad(await c.validInit(target())) as Init;
      expect(parameterOf(() => c.build(init))).toBe(name);
      expect(sts().calls).toHaveLength(0);
    },
  );

  test('does no I/O before the first call: no request, no source, no callback asked', async () => {
    const init = await c.validInit(target());
    const asked: string[] = [];
    const counted: Init = { ...init };
    if (c.signed) {
      counted.sourceCredentials = async () => {
        asked.push('sourceCredentials');
        return ALICE;
      };
    }
    if (c.bearer !== undefined) {
      const value = init[c.bearer];
      counted[c.bearer] = async () => {
        asked.push(c.bearer!);
        return value;
      };
    }
    const provider = c.build(counted);
    expect(sts().calls).toHaveLength(0);
    expect(asked).toEqual([]);
    // Control: the first call does reach them.
    await provider();
    provider.close();
    expect(callsOf(sts(), c.operation)).toHaveLength(1);
    expect(asked.length).toBeGreaterThan(0);
  });

  test("keeps a deep copy of params: the caller's later changes, nested ones too, are never sent", async () => {
    const init = await c.validInit(target());
    using provider = c.build(init);
    c.mutate(init.params!);
    await provider();
    expect(callsOf(sts(), c.operation).map((call) => [call.outcome, call.params])).toEqual([['success', c.sent]]);
  });

  test("never writes to the caller's options, not even to a nested value", async () => {
    // Frozen all the way down: a write anywhere in it throws, in the factory or in a fetch.
    const init = deepFreeze(await c.validInit(target()));
    const before = JSON.stringify(init);
    using provider = c.build(init);
    await provider();
    await provider.refresh();
    expect(JSON.stringify(init)).toBe(before);
    expect(callsOf(sts(), c.operation).map((call) => call.outcome)).toEqual(['success', 'success']);
  });
});
