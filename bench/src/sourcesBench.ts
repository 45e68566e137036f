/**
 * What the source scenarios are made of (issue 11, "Figures"): sts-local's IMDSv2 and container
 * credentials endpoints, credchain's providers of them (`fromDefaultChain`, `fromInstanceMetadata`,
 * `fromContainerMetadata`) and the SDK's (`fromNodeProviderChain`, `fromInstanceMetadata`,
 * `fromContainerMetadata` of `@aws-sdk/credential-providers`), each handed to a real SDK client.
 * Every provider is configured by the environment, as on EC2, ECS or EKS: the variables the SDK reads.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { STSClient } from '@aws-sdk/client-sts';
import {
  fromContainerMetadata as sdkFromContainerMetadata,
  fromInstanceMetadata as sdkFromInstanceMetadata,
  fromNodeProviderChain,
} from '@aws-sdk/credential-providers';
import type { StsLocal } from '@credchain/sts-local';
import { fromContainerMetadata, fromDefaultChain, fromInstanceMetadata } from 'credchain';
import type { AwsCredentialIdentity } from '@smithy/types';

import { type Provider, REGION, type TrackingHandler, nextTurn, sleep } from './stsBench';
import type { WarpClock } from './warpClock';

export type Source = 'imds' | 'container';
export const SOURCES: readonly Source[] = ['imds', 'container'];
/** The heading of each source's section in sources.md. */
export const SOURCE_NAME: Record<Source, string> = {
  imds: 'EC2 instance metadata (IMDS)',
  container: 'Container credentials',
};

/** sts-local's operation for a credentials request of the source: the latency fault's target, the calls counted. */
export const CREDENTIALS_OPERATION: Record<Source, string> = {
  imds: 'imds:credentials',
  container: 'container:credentials',
};
/** Every request of the source's endpoint: what an outage takes down (IMDS: token, role name and credentials). */
export const OUTAGE_OPERATION: Record<Source, string> = { imds: 'imds:*', container: 'container:*' };

/** How a provider is built: the default chain, or the source's own provider. */
export type Via = 'chain' | 'source';

export interface SourceImpl {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly source: Source;
  readonly via: Via;
  readonly make: (handler: TrackingHandler) => Provider;
}

/** The four providers of each source, ours first. Each is created after its source's environment is set. */
export function sourceImpls(source: Source): SourceImpl[] {
  const own = source === 'imds' ? 'fromInstanceMetadata' : 'fromContainerMetadata';
  return [
    {
      id: `ours-chain-${source}`,
      label: 'ours: fromDefaultChain',
      ours: true,
      source,
      via: 'chain',
      make: (h) => fromDefaultChain({ onEvent: h.onEvent }),
    },
    {
      id: `ours-${source}`,
      label: `ours: ${own}`,
      ours: true,
      source,
      via: 'source',
      make: (h) =>
        source === 'imds'
          ? fromInstanceMetadata({ onEvent: h.onEvent })
          : fromContainerMetadata({ onEvent: h.onEvent }),
    },
    {
      id: `sdk-chain-${source}`,
      label: 'SDK: fromNodeProviderChain',
      ours: false,
      source,
      via: 'chain',
      make: () => fromNodeProviderChain(),
    },
    {
      id: `sdk-${source}`,
      label: `SDK: ${own}`,
      ours: false,
      source,
      via: 'source',
      make: () => (source === 'imds' ? sdkFromInstanceMetadata() : sdkFromContainerMetadata()),
    },
  ];
}

/** Every variable either chain reads before it reaches the remote sources, or that picks one of them. */
const CHAIN_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_EC2_METADATA_V1_DISABLED',
];

/**
 * The process's environment as on an instance or in a container with nothing else configured: no keys, no
 * profile, and shared config files that do not exist (so neither chain finds a profile on this machine), then
 * the variables of `source`, pointing at sts-local: what EC2 (`AWS_EC2_METADATA_SERVICE_ENDPOINT` standing in
 * for the link-local address), ECS or EKS Pod Identity set.
 */
export function useSourceEnvironment(sts: StsLocal, source: Source): void {
  const env = process.env;
  for (const name of CHAIN_VARIABLES) delete env[name];
  const home = mkdtempSync(path.join(os.tmpdir(), 'credchain-bench-sources-'));
  env.AWS_CONFIG_FILE = path.join(home, 'no-config');
  env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, 'no-credentials');
  const vars = source === 'imds' ? sts.imds?.env : sts.container?.env;
  if (vars === undefined) throw new Error(`sts-local was started without its ${source} endpoint`);
  Object.assign(env, vars);
}

/** HTTP requests of this process in flight (node's diagnostics channels): to IMDS, the container endpoint, STS. */
export class HttpInFlight {
  readonly #open = new Set<ClientRequest>();
  constructor() {
    const done = ({ request }: { request: ClientRequest }): void => void this.#open.delete(request);
    subscribe('http.client.request.start', (m) => this.#open.add((m as { request: ClientRequest }).request));
    subscribe('http.client.response.finish', (m) => done(m as { request: ClientRequest }));
    subscribe('http.client.request.error', (m) => done(m as { request: ClientRequest }));
  }
  get count(): number {
    return this.#open.size;
  }
}

/** An SDK client holding `credentials`, as an application builds one: it wraps them in its identity cache. */
export function sourceClient(sts: StsLocal, handler: TrackingHandler, credentials: Provider): STSClient {
  return new STSClient({ endpoint: sts.endpoint, region: REGION, requestHandler: handler, credentials });
}

/** Idle checks (each an event-loop turn and 1 ms) before a wait with nothing in flight counts as a timer's. */
const QUIET_CHECKS = 10;

/**
 * Waits until nothing is in flight: no HTTP request, no fetch of ours (its `onEvent`), for the SDK no timer
 * its providers armed, and `callers`, if given, have their answers. Something waiting with no request out
 * is waiting on a timer of 1 s or more, which the warp clock fires only when it moves (`fromHttp` sleeps its
 * `timeout`, 1 s, between attempts; ours' engine backs off 1 s and more): one second of the warped clock
 * then passes, as it would.
 */
export async function settleSources(
  warp: WarpClock,
  http: HttpInFlight,
  handler: TrackingHandler,
  ours: boolean,
  callers?: Promise<unknown>,
): Promise<void> {
  let answered = callers === undefined;
  const done = (): void => void (answered = true);
  callers?.then(done, done);
  const waiting = (): boolean => !answered || (ours ? handler.fetches > 0 : warp.pendingTimers > 0);
  for (let quiet = 0; ;) {
    await nextTurn();
    if (http.count > 0 || handler.inFlight > 0) {
      quiet = 0;
      await sleep(1);
    } else if (!waiting()) {
      await nextTurn();
      if (http.count === 0 && handler.inFlight === 0 && !waiting()) return;
    } else if (++quiet >= QUIET_CHECKS) {
      quiet = 0;
      await warp.runTo(warp.now() + 1_000);
    } else {
      await sleep(1);
    }
  }
}

/**
 * Credentials as issued: `expiration` is the first one seen for that access key ID. `@smithy/credential-provider-imds`'
 * `fromInstanceMetadata`, when IMDS fails after a success, hands the credentials it last got back with an
 * expiration moved 5 to 10 minutes ahead (its "static stability"), also past their real one: judged by what a
 * caller is told, they would never look expired. `@aws-sdk/credential-providers`' `fromInstanceMetadata` and the
 * default chain build a new one for each call, so it does not engage with these versions; the check stays so
 * that one which does is judged by the real expiry. `moved` counts such answers.
 */
export class IssuedExpirations {
  readonly #first = new Map<string, number>();
  moved = 0;
  wrap(identity: () => Promise<AwsCredentialIdentity>): () => Promise<AwsCredentialIdentity> {
    return async () => {
      const creds = await identity();
      const told = creds.expiration?.getTime();
      if (told === undefined) return creds;
      const first = this.#first.get(creds.accessKeyId);
      if (first === undefined) {
        this.#first.set(creds.accessKeyId, told);
        return creds;
      }
      if (told !== first) this.moved++;
      return { ...creds, expiration: new Date(first) };
    };
  }
}

/** console.warn muted (the SDK's IMDS provider warns there when it moves an expiration), its lines counted. */
export function muteWarnings(): { readonly count: () => number; readonly restore: () => void } {
  const original = console.warn;
  let lines = 0;
  console.warn = () => void lines++;
  return { count: () => lines, restore: () => (console.warn = original) };
}
