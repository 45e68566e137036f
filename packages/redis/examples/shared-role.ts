// Two processes, one role: the first to need it assumes it and writes it, encrypted, to Redis; the other
// takes it from there instead of calling STS. Needs redis-server (Debian: apt-get install redis-server).
// Run from the repository root:
//   npx ts-node --transpile-only packages/redis/examples/shared-role.ts
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { fromAssumeRole } from '@credchain/assume-role';
import { createRedisStore } from '@credchain/redis';
import { DEMO_ACCOUNT, demoConfig, startStsLocal } from '@credchain/sts-local';

/** One process of the app: the role through the shared store. */
async function worker(): Promise<void> {
  const { REDIS_URL, STS_ENDPOINT, STORE_KEY } = process.env;
  // Every process of the app gets the same 32-byte key (a secret manager, a KMS data key…).
  const store = createRedisStore({ url: REDIS_URL!, encryptionKey: STORE_KEY! });
  const bob = demoConfig.users!.find((u) => u.name === 'bob')!.accessKeys![0]!;
  const credentials = fromAssumeRole({
    params: { RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`, RoleSessionName: 'shared' },
    sourceCredentials: { accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey },
    clientConfig: { endpoint: STS_ENDPOINT, region: 'us-east-1' },
    store,
  });
  try {
    process.stdout.write((await credentials()).accessKeyId);
  } finally {
    credentials.close();
    await store.close();
  }
}

/** redis-server on a free port, nothing persisted; resolves once it accepts connections. */
async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no']);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
    server.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Ready to accept') && resolve());
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => server.kill() };
}

/** Runs this file again as a worker process; resolves with what it printed. */
function runWorker(env: NodeJS.ProcessEnv): Promise<string> {
  // Under ts-node's command the workers need its hook too.
  const hooks = process.execArgv.some((arg) => arg.includes('ts-node'))
    ? process.execArgv
    : [...process.execArgv, '-r', 'ts-node/register/transpile-only'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...hooks, __filename, 'worker'], { env }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`a worker failed: ${stderr}`));
    });
  });
}

async function main(): Promise<void> {
  const sts = await startStsLocal();
  const redis = await startRedis();
  const key = randomBytes(32).toString('base64');
  const env = { ...process.env, REDIS_URL: redis.url, STS_ENDPOINT: sts.endpoint, STORE_KEY: key };
  try {
    const [first, second] = await Promise.all([runWorker(env), runWorker(env)]);
    console.log(`the same credentials in both processes: ${first === second}`);
    console.log(`AssumeRole calls to STS: ${sts.calls.filter((call) => call.operation === 'AssumeRole').length}`);
    // the same credentials in both processes: true
    // AssumeRole calls to STS: 1
  } finally {
    redis.stop();
    await sts.stop();
  }
}

if (process.argv[2] === 'worker') void worker();
else void main();
