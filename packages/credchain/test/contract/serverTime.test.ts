import { observe } from '@credchain/testkit';
import { useStsLocal } from '@credchain/testkit/sts-local';

import { CASES, buildLive } from './cases';

// What every STS provider promises about STS's clock (docs/ARCHITECTURE.md, engine rule 9): the credentials
// it hands the engine carry what their answer's Date header said, so the engine learns the offset from the
// first fetch. sts-local runs 10 minutes ahead of this host, as STS does of a VM whose clock fell behind.

const MINUTE = 60_000;
const AHEAD = 10 * MINUTE;
const sts = useStsLocal({ clock: { now: () => Date.now() + AHEAD } });

describe.each(CASES)('$factory', (c) => {
  test("learns STS's clock from its first answer: one clock-skew event of the 10 minutes STS is ahead", async () => {
    const seen = observe();
    const target = { sts: sts() };
    const provider = await buildLive(c, target, seen.onEvent);
    try {
      await provider();
    } finally {
      provider.close();
    }
    const offsets = seen.events.flatMap((e) => (e.type === 'clock-skew' ? [e.offsetMs] : []));
    expect(offsets).toHaveLength(1);
    // Within what one answer can tell: its round trip and the Date header's whole second.
    expect(Math.abs(offsets[0]! - AHEAD)).toBeLessThan(5_000);
  });
});
