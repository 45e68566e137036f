import { randomBytes } from 'node:crypto';

import type { StoreProblem, TemporaryCredentials } from '@credchain/core';
import type { RedisServer } from '@credchain/testkit';

import { createRedisStore } from '../src';
import type { RedisStore, RedisStoreOptions } from '../src';

/** The engine's key text for a role: what a store must never write in clear. */
export const ROLE_ARN = 'arn:aws:iam::111122223333:role/redis-test-role';
const keyText = (roleArn: string): string =>
  `AssumeRole\n{"RoleArn":"${roleArn}","RoleSessionName":"redis-test"}\nsource=ASIASOURCEPRINCIPAL1`;
export const CACHE_KEY = keyText(ROLE_ARN);
export const OTHER_KEY = keyText(`${ROLE_ARN}-2`);

export const newKey = (): Buffer => randomBytes(32);

/** Credentials valid for an hour from `now`, with text a test can look for. */
export function credentials(now = Date.now(), mark = 'A'): TemporaryCredentials {
  return {
    accessKeyId: `ASIAREDISTEST${mark}00001`,
    secretAccessKey: `redisTestSecret/${mark}/0123456789abcdefghijklmnopqrstuvwx`,
    sessionToken: `redisTestSessionToken${mark}FwoGZXIvYXdzEJr//////////wEaDredis`,
    expiration: new Date(now + 3_600_000),
    origin: 'role-session',
    accountId: '111122223333',
  };
}

/** The secrets of `credentials(…, mark)` and the role, as raw Redis contents must not show them. */
export const secretsOf = (value: TemporaryCredentials): string[] => [
  value.accessKeyId,
  value.secretAccessKey,
  value.sessionToken,
  ROLE_ARN,
  'redis-test-role',
  'ASIASOURCEPRINCIPAL1',
];

/** A keepUntil an hour minus a minute away. */
export const keep = (now = Date.now()): number => now + 3_540_000;

/** What a store reported, collected. */
export function reports(): { problems: StoreProblem[]; report: (problem: StoreProblem) => void } {
  const problems: StoreProblem[] = [];
  return { problems, report: (problem) => problems.push(problem) };
}

/** A store on `server`'s URL, closed by the caller. */
export function storeOn(server: RedisServer, options: Partial<RedisStoreOptions> = {}): RedisStore {
  return createRedisStore({ url: server.url, encryptionKey: newKey(), ...options });
}

/** Every key in Redis, and every value a GET answers. */
export async function rawContents(server: RedisServer): Promise<string> {
  const names = (await server.command('KEYS', '*')) as string[];
  const values = await Promise.all(names.map((name) => server.command('GET', name)));
  return JSON.stringify({ names, values });
}

/** The one entry `write` leaves in an emptied Redis: its name and raw value. Empties Redis again. */
export async function entryWrittenBy(server: RedisServer, write: () => Promise<void>): Promise<[string, string]> {
  await server.flushAll();
  await write();
  const [name, ...more] = (await server.command('KEYS', '*')) as string[];
  if (name === undefined || more.length > 0) throw new Error('expected exactly one key');
  const value = (await server.command('GET', name)) as string;
  await server.flushAll();
  return [name, value];
}

/** The problem a store reports for the entry `name` it ignored. */
export const ignored = (name: string, problem: string): StoreProblem => ({
  action: 'get',
  kind: 'bad-entry',
  message: `ignored entry ${name}: ${problem}`,
});
