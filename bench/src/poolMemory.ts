/**
 * Scenario 6: the heap that holding 10,000 roles' credentials takes, ours (`createProviderPool` of
 * `fromAssumeRole`) against the SDK (`fromTemporaryCredentials`, one per role).
 *
 * Each variant runs in a child process of its own (`node --expose-gc dist/poolMemory.js …`), so
 * neither sts-local's session store nor another variant's garbage is on the heap measured. The
 * child reports `heapUsed` after two full collections at three points: before anything is built,
 * after the 10,000 providers are built, after each has fetched its credentials once.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

import { STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { fromAssumeRole } from '@credchain/assume-role';
import { createProviderPool } from '@credchain/core';
import { canonicalKey } from '@credchain/core/provider-kit';
import type { CredentialProvider } from '@credchain/core';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

import { ALICE, DEMO_ROLE_ARN, REGION } from './stsBench';

export type MemoryVariant = 'ours-pool' | 'ours-pool-shared-client' | 'sdk';

export const MEMORY_VARIANTS: readonly { id: MemoryVariant; label: string; ours: boolean }[] = [
  {
    id: 'ours-pool',
    label:
      'ours: createProviderPool of fromAssumeRole (defaults: one STSClient shared by providers of one configuration)',
    ours: true,
  },
  {
    id: 'ours-pool-shared-client',
    label: 'ours: createProviderPool of fromAssumeRole({ client }) (one STSClient)',
    ours: true,
  },
  { id: 'sdk', label: 'SDK: fromTemporaryCredentials each, in a Map, memoizeIdentityProvider', ours: false },
];

export interface MemoryResult {
  readonly id: MemoryVariant;
  readonly label: string;
  readonly ours: boolean;
  readonly roles: number;
  /** heapUsed growth, bytes, after the providers were built (no STS call yet). */
  readonly heapBuiltBytes: number;
  /** heapUsed growth, bytes, once every provider holds its credentials. */
  readonly heapResolvedBytes: number;
  readonly bytesPerRoleResolved: number;
  readonly stsErrors: number;
  readonly seconds: number;
}

let holder: { readonly size: number } | undefined;

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with node --expose-gc');
  collect();
  collect();
};
const heap = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

/** The AssumeRole parameters of role number `i`: one tenant session each, as a multi-tenant daemon holds them. */
const paramsOf = (i: number) => ({ RoleArn: DEMO_ROLE_ARN, RoleSessionName: `tenant-${String(i).padStart(5, '0')}` });

async function measure(
  variant: MemoryVariant,
  endpoint: string,
  roles: number,
): Promise<Omit<MemoryResult, 'label' | 'ours'>> {
  const started = Date.now();
  // One HTTP handler (and so one socket pool) for every variant's STS clients: the bench measures
  // providers, not 10,000 idle keep-alive sockets.
  const requestHandler = new NodeHttpHandler({ socketAcquisitionWarningTimeout: 10 * 60_000 });
  const clientConfig = { endpoint, region: REGION, requestHandler };
  const base = heap();

  // What holds the providers is kept in `holder` until the end: V8 may collect objects only a dead
  // local still points to, which would measure nothing.
  let get: (i: number) => AwsCredentialIdentityProvider;
  let close = (): void => undefined;
  if (variant === 'sdk') {
    const held = new Map<string, AwsCredentialIdentityProvider>();
    holder = held;
    for (let i = 0; i < roles; i++) {
      const params = paramsOf(i);
      const provider = fromTemporaryCredentials({ params, masterCredentials: ALICE, clientConfig });
      held.set(canonicalKey(params), memoizeIdentityProvider(provider, isIdentityExpired, doesIdentityRequireRefresh)!);
    }
    get = (i) => held.get(canonicalKey(paramsOf(i)))!;
  } else {
    const client =
      variant === 'ours-pool-shared-client' ? new STSClient({ ...clientConfig, credentials: ALICE }) : undefined;
    const pool = createProviderPool<ReturnType<typeof paramsOf>, CredentialProvider>({
      max: roles,
      create: (params) =>
        client === undefined
          ? fromAssumeRole({ params, sourceCredentials: ALICE, clientConfig })
          : fromAssumeRole({ params, client }),
    });
    holder = pool;
    for (let i = 0; i < roles; i++) pool.get(paramsOf(i));
    get = (i) => pool.get(paramsOf(i));
    close = () => pool.close();
  }
  const built = heap();

  let stsErrors = 0;
  const batch = 100;
  for (let from = 0; from < roles; from += batch) {
    const calls = [];
    for (let i = from; i < Math.min(roles, from + batch); i++) calls.push(get(i)({}));
    for (const r of await Promise.allSettled(calls)) if (r.status === 'rejected') stsErrors++;
  }
  const resolved = heap();
  // Set by both branches above; read after the awaits so the holder stays alive until here.
  const held = holder.size;
  if (held !== roles) throw new Error(`${variant}: ${String(held)} providers held, expected ${roles}`);
  holder = undefined;
  close();
  requestHandler.destroy();
  return {
    id: variant,
    roles,
    heapBuiltBytes: built - base,
    heapResolvedBytes: resolved - base,
    bytesPerRoleResolved: Math.round((resolved - base) / roles),
    stsErrors,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/** Runs one variant in a child process against sts-local at `endpoint`. */
export function runPoolMemory(
  variant: (typeof MEMORY_VARIANTS)[number],
  endpoint: string,
  roles: number,
): Promise<MemoryResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', path.join(__dirname, 'poolMemory.js'), variant.id, endpoint, String(roles)],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        if (error !== null)
          return reject(new Error(`scenario 6 (${variant.id}) failed: ${error.message}\n${stderr.slice(-2000)}`));
        try {
          resolve({
            ...(JSON.parse(line) as Omit<MemoryResult, 'label' | 'ours'>),
            label: variant.label,
            ours: variant.ours,
          });
        } catch {
          reject(new Error(`scenario 6 (${variant.id}): no result in the child's output:\n${stdout.slice(-2000)}`));
        }
      },
    );
  });
}

if (require.main === module) {
  const [variant, endpoint, roles] = process.argv.slice(2);
  measure(variant as MemoryVariant, endpoint!, Number(roles)).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      // Our providers' timers are unref'd and the SDK's hold none: nothing should keep the child up.
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
