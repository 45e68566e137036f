import { join } from 'node:path';

import { runExample, testReadmeExample } from '@credchain/testkit';

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

// The README shows examples/every-kind.ts verbatim: every profile kind, resolved against sts-local.
describe('every kind of profile', () => {
  testReadmeExample(
    join(__dirname, '..'),
    'every-kind.ts',
    'the example resolves each kind to its identity',
    (stdout) => {
      const sso = 'assumed-role/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}/alice';
      expect(stdout).toMatch(new RegExp(`^sso: arn:aws:sts::111122223333:${sso}$`, 'm'));
      for (const name of ['admin-from-sso', 'on-ec2', 'on-ecs']) {
        expect(stdout).toMatch(
          new RegExp(`^${name}: arn:aws:sts::111122223333:assumed-role/demo-role/credchain-\\d+$`, 'm'),
        );
      }
      expect(stdout).toMatch(/^ci: arn:aws:sts::111122223333:assumed-role\/web-identity-role\/credchain-\d+$/m);
      expect(stdout).toMatch(/^keys: arn:aws:iam::111122223333:user\/alice$/m);
      expect(stdout).not.toContain('aliceDemoSecretKey');
    },
  );
});
