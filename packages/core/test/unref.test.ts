import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// A provider's timers must never keep a process alive: a script that creates a provider, fetches
// (arming the background timer) and returns must exit by itself.
test('a process that creates a provider and returns exits at once', () => {
  const src = join(__dirname, '..', 'src', 'index.ts');
  const script = `
    const { createRefreshingProvider } = require(${JSON.stringify(src)});
    const provider = createRefreshingProvider(async () => ({
      accessKeyId: 'ASIACHILD', secretAccessKey: 's', sessionToken: 't',
      expiration: new Date(Date.now() + 3600e3),
    }), { refresh: { eager: true } });
    provider().then(() => provider()).then(() => { process.stdout.write('fetched ' + String(provider)); });
  `;
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: join(__dirname, '..'),
    // The repository's ts-node settings (CommonJS); core's own tsconfig.json builds the ESM copy, and
    // ts-node reading it compiled this require()d source to ES modules.
    env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', '..', '..', 'tsconfig.json') },
    encoding: 'utf8',
    // A hung child fails the test instead of hanging the suite; an exiting one never gets close.
    timeout: 170_000,
  });
  expect(child.error).toBeUndefined();
  expect(child.signal).toBeNull();
  expect(child.stderr).toBe('');
  expect(child.stdout).toMatch(/^fetched CredentialProvider\(provider: expires /);
  expect(child.status).toBe(0);
});
