import { AWS_CLI_V2_PEER, awsCliV2, reportPeerMissing } from '@credchain/testkit';

import { judge } from './judge';
import type { Judged } from './judge';
import { ROWS } from './rows';

// The profile matrix (issue 11): each row's files resolved by credchain's fromProfile and by the AWS
// CLI v2 against a fresh sts-local; same outcome, same caller, same STS calls, or a documented reason.

const cli = awsCliV2();

describe(`profile matrix: fromProfile and ${cli?.version.split(' ')[0] ?? 'the AWS CLI v2 (missing)'}`, () => {
  it('has at least 20 configurations, each named once', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ROWS.map((r) => r.name)).size).toBe(ROWS.length);
  });

  describe.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    let judged: Judged | undefined;
    beforeAll(async () => {
      judged = await judge(row, cli);
    }, 120_000);

    it('the AWS CLI v2 does what the row expects', () => {
      if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
      expect(judged?.cli).toEqual(row.expect);
    });

    const credchain = row.differs === undefined ? 'credchain agrees' : `credchain differs: ${row.differs.reason}`;
    it(credchain, () => {
      expect(judged?.credchain).toEqual(row.differs?.credchain ?? row.expect);
    });
  });
});
