import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';

import { freePort } from './freePort';

/** A moto server this test started, and how to stop it. */
export interface Moto {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** True when `python3 -m moto.server` can run here. */
export function motoInstalled(): boolean {
  return spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0;
}

function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${endpoint}/moto-api/`, { method: 'GET', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const waitForConnectRetry = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts moto on a free port and waits (bounded) until it answers HTTP. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  // Readiness poll: up to 30 s of connection attempts, 100 ms apart.
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`moto exited at start (${child.exitCode}): ${stderr}`);
    if (await answers(endpoint)) return { endpoint, stop };
    await waitForConnectRetry(100);
  }
  await stop();
  throw new Error(`moto did not answer on ${endpoint}: ${stderr}`);
}

/**
 * One moto for the suite, when it is installed: started before the suite (60 s allowed), stopped
 * after it. Read it in a test through the returned function; undefined means moto is missing, and
 * the test must say so with reportPeerMissing('moto') (never pass silently).
 */
export function useMoto(): () => Moto | undefined {
  let moto: Moto | undefined;
  beforeAll(async () => {
    if (motoInstalled()) moto = await startMoto();
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
  });
  return () => moto;
}
