import { runExample } from '@credchain/testkit';

// The README's example must run as printed.
test('the profile example assumes roles with one MFA prompt, shares the cache, and prints no secret', () => {
  const run = runExample('packages/profile/examples/profile-and-cli-cache.ts');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^admin: arn:aws:sts::111122223333:assumed-role\/mfa-role\/credchain-\d+$/m);
  expect(run.stdout).toMatch(/^deploy: arn:aws:sts::111122223333:assumed-role\/chained-role\/credchain-\d+$/m);
  expect(run.stdout.match(/event: mfa-prompt/g)).toHaveLength(1);
  expect(run.stdout).toContain('cache files: 3');
  expect(run.stdout).toContain('used MFA codes recorded: true');
  expect(run.stdout).toContain('STS calls for the cached role: 0');
  for (const secret of ['aliceDemoSecretKey', 'JBSWY3DPEHPK3PXP']) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
});
