// A child process of concurrency.cliCache.test.ts: runs @credchain/profile from its TypeScript
// sources and, for each round the parent sends, builds fresh fromProfile providers (no memory cache)
// sharing the parent's AWS CLI cache directory, resolves each profile, proves the credentials with a
// signed GetCallerIdentity, and parses every cache file it can see after each resolution.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

require('ts-node').register({
  transpileOnly: true,
  compilerOptions: { module: 'commonjs', moduleResolution: 'node', target: 'es2022', esModuleInterop: true },
});
require('../../../testkit/resolveSources.js');

const { GetCallerIdentityCommand, STSClient } = require('@aws-sdk/client-sts');
const { fromProfile } = require('@credchain/profile');

const { endpoint, cacheDir, filepath, configFilepath } = JSON.parse(process.argv[2]);

/** Every `*.json` in the cache parsed; a file that does not parse is reported, not thrown. */
function readAll() {
  const files = [];
  for (const name of readdirSync(cacheDir)) {
    if (!name.endsWith('.json')) continue;
    let text;
    try {
      text = readFileSync(join(cacheDir, name), 'utf8');
    } catch (error) {
      if (error.code === 'ENOENT') continue; // replaced between the listing and the read
      throw error;
    }
    try {
      const entry = JSON.parse(text);
      files.push({ name, ok: typeof entry?.Credentials?.SessionToken === 'string' });
    } catch {
      files.push({ name, ok: false, length: text.length });
    }
  }
  return files;
}

async function round(profiles, times) {
  const results = [];
  for (let t = 0; t < times; t++) {
    await Promise.all(
      profiles.map(async (profile) => {
        const credentials = fromProfile({
          profile,
          filepath,
          configFilepath,
          cliCache: cacheDir,
          clientConfig: { endpoint, region: 'us-east-1' },
        });
        try {
          const client = new STSClient({ endpoint, region: 'us-east-1', credentials });
          const who = await client.send(new GetCallerIdentityCommand({}));
          results.push({ profile, arn: who.Arn, reads: readAll() });
          client.destroy();
        } finally {
          credentials.close();
        }
      }),
    );
  }
  return results;
}

process.on('message', (message) => {
  round(message.profiles, message.times).then(
    (results) => process.send({ results }),
    (error) => process.send({ error: `${error.name}: ${error.message}` }),
  );
});
process.send({ ready: true });
