import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './freePort';
import { reportPeerMissing } from './peers';

/** A redis-server this test started on a free port, nothing persisted, and what a test does to it. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The server's version line, e.g. `Redis server v=7.0.15 …`. */
  readonly version: string;
  /** One command on a connection of its own, e.g. `command('KEYS', '*')`: the reply, RESP2 decoded. */
  command(...args: string[]): Promise<RedisReply>;
  /** Pauses every client's commands for `ms` (CLIENT PAUSE): the server answers, late. */
  slow(ms: number): Promise<void>;
  flushAll(): Promise<void>;
  /** Kills the server (SIGKILL): connections drop, entries are gone. */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  restart(): Promise<void>;
  /** Stops it (SIGTERM) and removes its folder. */
  stop(): Promise<void>;
}

export type RedisReply = string | number | null | RedisReply[];

/**
 * The redis-server binary: `$CREDCHAIN_REDIS_SERVER` when set (a path, e.g. to valkey-server; only it),
 * else `redis-server` on the PATH, else Debian's /usr/bin/redis-server; undefined when there is none. A
 * suite without it must say so with reportPeerMissing('redis-server') (never pass silently).
 */
export function redisServerBinary(): string | undefined {
  const chosen = process.env.CREDCHAIN_REDIS_SERVER;
  const candidates = chosen !== undefined && chosen !== '' ? [chosen] : ['redis-server', '/usr/bin/redis-server'];
  return candidates.find((candidate) => spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** One RESP2 reply from the start of `data`, or undefined while it is incomplete. */
function parseReply(data: Buffer, start = 0): { reply: RedisReply; end: number } | undefined {
  const lineEnd = data.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const line = data.toString('utf8', start + 1, lineEnd);
  switch (String.fromCharCode(data[start]!)) {
    case '+':
      return { reply: line, end: lineEnd + 2 };
    case '-':
      throw new Error(`redis-server answered: ${line}`);
    case ':':
      return { reply: Number(line), end: lineEnd + 2 };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: null, end: lineEnd + 2 };
      if (data.length < lineEnd + 2 + length + 2) return undefined;
      return { reply: data.toString('utf8', lineEnd + 2, lineEnd + 2 + length), end: lineEnd + 2 + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: null, end: lineEnd + 2 };
      const items: RedisReply[] = [];
      let end = lineEnd + 2;
      for (let i = 0; i < count; i++) {
        const item = parseReply(data, end);
        if (item === undefined) return undefined;
        items.push(item.reply);
        end = item.end;
      }
      return { reply: items, end };
    }
    default:
      throw new Error(`unexpected RESP reply: ${line}`);
  }
}

function sendCommand(port: number, args: readonly string[], timeoutMs = 5_000): Promise<RedisReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`redis-server on ${port}: no answer to ${args[0]}`)));
    socket.on('error', fail);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      try {
        const parsed = parseReply(data);
        if (parsed === undefined) return;
        socket.destroy();
        resolve(parsed.reply);
      } catch (error) {
        fail(error as Error);
      }
    });
    const frames = args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
    socket.write(`*${args.length}\r\n${frames.join('')}`);
  });
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/**
 * Starts redis-server (redisServerBinary()) on a free port of 127.0.0.1, with no RDB or AOF file, in
 * a temporary folder, and waits (bounded) until it answers PING.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerBinary();
  if (binary === undefined) throw new Error('redis-server is not installed (see reportPeerMissing)');
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const dir = mkdtempSync(join(tmpdir(), 'credchain-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    // Config as arguments: no file; `--save ''` and `--appendonly no` persist nothing.
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const started = spawn(binary, [...args, '--dir', dir, '--loglevel', 'warning'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-2_000);
    };
    started.stdout.on('data', keep);
    started.stderr.on('data', keep);
    // Readiness: up to 10 s of PINGs, 20 ms apart.
    for (let attempt = 0; attempt < 500; attempt++) {
      if (started.exitCode !== null) throw new Error(`redis-server exited at start (${started.exitCode}): ${output}`);
      if ((await sendCommand(port, ['PING'], 1_000).catch(() => undefined)) === 'PONG') return;
      await pause(20);
    }
    started.kill('SIGKILL');
    throw new Error(`redis-server did not answer on port ${port}: ${output}`);
  };
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (child === undefined) return;
    const running = child;
    child = undefined;
    running.kill(name);
    await exited(running);
  };

  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    version,
    command: (...args) => sendCommand(port, args),
    slow: async (ms) => {
      await sendCommand(port, ['CLIENT', 'PAUSE', String(ms), 'ALL']);
    },
    flushAll: async () => {
      await sendCommand(port, ['FLUSHALL']);
    },
    kill: () => signal('SIGKILL'),
    restart: async () => {
      await signal('SIGKILL');
      await launch();
    },
    stop: async () => {
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A describe block with one redis-server of its own (started before it, stopped after it), read through
 * `server()`. Without redis-server the block is skipped, loudly (reportPeerMissing: fatal in CI).
 */
export function describeWithRedisServer(name: string, body: (server: () => RedisServer) => void): void {
  if (redisServerBinary() === undefined) {
    reportPeerMissing('redis-server');
    describe.skip(name, () =>
      body(() => {
        throw new Error('redis-server is not installed');
      }),
    );
    return;
  }
  describe(name, () => {
    let server: RedisServer | undefined;
    beforeAll(async () => {
      server = await startRedisServer();
    }, 30_000);
    afterAll(async () => {
      await server?.stop();
    });
    body(() => {
      if (server === undefined) throw new Error('redis-server did not start');
      return server;
    });
  });
}
