import { join } from 'node:path';

import { testReadmeExample } from '@credchain/testkit';

// The README's examples are examples/*.ts, printed there verbatim; each must run as printed, against sts-local.
const DIR = join(__dirname, '..');

describe('env-and-process.ts', () => {
  testReadmeExample(DIR, 'env-and-process.ts', 'fromEnv passes, fromProcess signs as bob', (stdout) => {
    expect(stdout).toBe('arn:aws:iam::111122223333:user/bob\n');
  });
});

describe('instance-metadata.ts', () => {
  testReadmeExample(DIR, 'instance-metadata.ts', 'the instance role, then a role assumed from it', (stdout) => {
    expect(stdout).toBe(
      'arn:aws:sts::111122223333:assumed-role/instance-role/i-0123456789abcdef0\n' +
        'arn:aws:sts::111122223333:assumed-role/demo-role/ops\n',
    );
  });
});

describe('container.ts', () => {
  testReadmeExample(DIR, 'container.ts', 'the task role', (stdout) => {
    expect(stdout).toBe('arn:aws:sts::111122223333:assumed-role/task-role/8f1d2c3b4a5e4f6a9b0c1d2e3f4a5b6c\n');
  });
});

describe('sso.ts', () => {
  testReadmeExample(DIR, 'sso.ts', "the permission set's role for alice", (stdout) => {
    expect(stdout).toBe(
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_a1b2c3d4e5f60718/alice\n',
    );
  });
});
