import { inspect } from 'node:util';

import { STSClient } from '@aws-sdk/client-sts';

import { deepFreeze, expectNoSecret } from '@credchain/testkit';
import { useStsLocal } from '@credchain/testkit/sts-local';
import type { StsLocal } from '@credchain/sts-local';

import { fromContainerMetadata, fromEnv, fromInstanceMetadata, fromProcess, fromSso } from '../src';

// What every source provider promises at creation and after (the contract of docs/ARCHITECTURE.md,
// "Contracts", for sources): no I/O before the first call, the caller's options copied (a later change
// reaches nothing; frozen options are accepted, never written to), no secret in inspect or JSON, and
// close() leaving no timer. sts-local's endpoints stand by and must hear nothing before the first call.

const sts = useStsLocal({ per: 'test', imds: true, container: true, fakeNow: () => Date.UTC(2026, 6, 1) });

interface Row {
  readonly name: string;
  readonly init: (server: StsLocal) => Record<string, unknown>;
  readonly build: (init: Record<string, unknown>) => ((...a: never[]) => Promise<{ secretAccessKey: string }>) & {
    close(): void;
  };
  /** Breaks the init in place, after creation: the provider must not see it. */
  readonly spoil: (init: Record<string, unknown>) => void;
}

const ROWS: Row[] = [
  {
    name: 'fromInstanceMetadata',
    init: (s) => ({ endpoint: s.imds!.endpoint }),
    build: (init) => fromInstanceMetadata(init),
    spoil: (init) => void (init.endpoint = 'http://127.0.0.1:1'),
  },
  {
    name: 'fromContainerMetadata',
    init: (s) => ({ fullUri: s.container!.endpoint, authorizationToken: s.container!.authorizationToken }),
    build: (init) => fromContainerMetadata(init),
    spoil: (init) => void (init.authorizationToken = 'spoiled-token'),
  },
  {
    name: 'fromEnv',
    init: () => ({
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE',
      },
    }),
    build: (init) => fromEnv(init),
    spoil: (init) => void (init.env = {}),
  },
  {
    name: 'fromProcess',
    init: () => ({
      command:
        `"${process.execPath}" -e "console.log(JSON.stringify({Version:1,AccessKeyId:'AKIAPROCESSEXAMPLE00',` +
        `SecretAccessKey:'processSecretKey/credchain/EXAMPLE0000'}))"`,
    }),
    build: (init) => fromProcess(init as never),
    spoil: (init) => void (init.command = 'false'),
  },
];

describe.each(ROWS)('$name', (row) => {
  test('marked memoized: an SDK client puts no 5-minute cache of its own in front', () => {
    const provider = row.build(row.init(sts()));
    expect((provider as { memoized?: unknown }).memoized).toBe(true);
    provider.close();
  });

  test('an SDK client calls it directly: it takes nothing from the client (configBound from the start)', async () => {
    const provider = row.build(row.init(sts()));
    const client = new STSClient({ region: 'us-east-1', credentials: provider as never });
    expect(client.config.credentials).toBe(provider);
    const credentials = await client.config.credentials();
    expect(credentials.accessKeyId).toMatch(/^A[SK]IA/);
    client.destroy();
    provider.close();
  });

  test('no I/O before the first call; the caller’s options copied, frozen ones accepted', async () => {
    const init = row.init(sts());
    const provider = row.build(init);
    expect(sts().calls).toEqual([]);
    row.spoil(init);
    const credentials = await provider();
    expectNoSecret([provider, credentials, inspect(provider)], [credentials.secretAccessKey]);
    provider.close();
    expect(jest.getTimerCount()).toBe(0);
    const frozen = row.build(deepFreeze(row.init(sts())));
    await frozen();
    frozen.close();
  });
});

test('fromSso: no I/O before the first call (no file read, no request)', () => {
  const provider = fromSso({ profile: 'missing', configFilepath: '/nonexistent/config' });
  expect(sts().calls).toEqual([]);
  provider.close();
});
