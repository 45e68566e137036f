import { inspect } from 'node:util';

import { createProviderPool, createRefreshingProvider } from '../src';
import type { CredentialProvider } from '../src';
import { makeCreds } from './helpers';

interface RoleParams {
  RoleArn: string;
  ExternalId?: string;
  RoleSessionName?: string;
}

function poolOf(max: number) {
  const created: RoleParams[] = [];
  const closed: string[] = [];
  const pool = createProviderPool<RoleParams, CredentialProvider>({
    max,
    create: (params) => {
      created.push(params);
      const provider = createRefreshingProvider(async () => makeCreds(), { name: params.RoleArn });
      const close = provider.close.bind(provider);
      return Object.assign((props?: Record<string, unknown>) => provider(props), {
        refresh: () => provider.refresh(),
        close: () => {
          closed.push(params.RoleArn);
          close();
        },
        [Symbol.dispose]: close,
      }) as unknown as CredentialProvider;
    },
  });
  return { pool, created, closed };
}

describe('provider pool', () => {
  test('equal parameters in any key order share one provider', async () => {
    const { pool, created } = poolOf(10);
    const a = pool.get({ RoleArn: 'arn:aws:iam::111122223333:role/a', ExternalId: 'customer-1' });
    const b = pool.get({ ExternalId: 'customer-1', RoleArn: 'arn:aws:iam::111122223333:role/a' });
    const c = pool.get({ RoleArn: 'arn:aws:iam::111122223333:role/a', ExternalId: 'customer-2' });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(created).toHaveLength(2);
    expect((await a()).accessKeyId).toBe((await b()).accessKeyId);
    pool.close();
  });

  test('concurrent gets of one key build one provider', async () => {
    const { pool, created } = poolOf(10);
    const providers = await Promise.all(
      Array.from({ length: 1_000 }, async () => pool.get({ RoleArn: 'arn:aws:iam::111122223333:role/x' })),
    );
    expect(new Set(providers).size).toBe(1);
    expect(created).toHaveLength(1);
    pool.close();
  });

  test('stays bounded and closes the providers it evicts, least recently used first', () => {
    const { pool, closed } = poolOf(3);
    const arn = (n: number) => `arn:aws:iam::111122223333:role/r${n}`;
    for (const n of [1, 2, 3]) pool.get({ RoleArn: arn(n) });
    pool.get({ RoleArn: arn(1) }); // r1 used again: r2 is now the oldest
    pool.get({ RoleArn: arn(4) });
    expect(pool.size).toBe(3);
    expect(closed).toEqual([arn(2)]);
    expect(pool.delete({ RoleArn: arn(3) })).toBe(true);
    expect(closed).toEqual([arn(2), arn(3)]);
    pool.close();
    expect(closed.sort()).toEqual([arn(1), arn(2), arn(3), arn(4)].sort());
    expect(inspect(pool)).toBe('ProviderPool(0/3)');
  });

  test('refuses a bad size or factory, naming the option', () => {
    expect(() => createProviderPool({ max: 0, create: () => ({ close() {} }) })).toThrow(
      'max must be a whole number ≥ 1',
    );
    expect(() => createProviderPool({ max: 2, create: undefined as never })).toThrow('create must be a function');
  });
});
