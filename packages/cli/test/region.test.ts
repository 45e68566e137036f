/**
 * The command signs for the region the library would (issue 11): one precedence, the AWS CLI's —
 * --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region (credentials file over config
 * file, key names in any case), us-east-1 — from `resolveRegion` of @credchain/profile.
 */
import { ALICE_KEY, ALICE_SECRET, role, startHarness } from './support/harness';
import type { Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: `[profile eu]\nrole_arn = ${role('demo-role')}\nsource_profile = alice\nregion = eu-west-1\n`,
    credentials:
      `[alice]\naws_access_key_id = ${ALICE_KEY}\naws_secret_access_key = ${ALICE_SECRET}\n` +
      '[eu]\nREGION = eu-west-3\n',
  });
});
afterAll(() => h.stop());

/** The regions of the AssumeRole and the GetCallerIdentity of `whoami --profile eu`. */
async function regionsOf(env: Record<string, string | undefined>, extra: string[] = []): Promise<unknown[]> {
  h.server.clearCalls();
  const out = await h.run(['whoami', '--profile', 'eu', ...extra], { env: { AWS_REGION: undefined, ...env } });
  expect(out.stderr).toBe('');
  return h.server.calls.map((c) => c.region);
}

test("the profile's region, the credentials file's over the config file's, key names in any case", async () => {
  expect(await regionsOf({})).toEqual(['eu-west-3', 'eu-west-3']);
});

test('AWS_DEFAULT_REGION over the profile, AWS_REGION over both, --region over all', async () => {
  expect(await regionsOf({ AWS_DEFAULT_REGION: 'eu-north-1' })).toEqual(['eu-north-1', 'eu-north-1']);
  expect(await regionsOf({ AWS_DEFAULT_REGION: 'eu-north-1', AWS_REGION: 'sa-east-1' })).toEqual([
    'sa-east-1',
    'sa-east-1',
  ]);
  expect(await regionsOf({ AWS_REGION: 'sa-east-1' }, ['--region', 'ap-south-1'])).toEqual([
    'ap-south-1',
    'ap-south-1',
  ]);
});
