/**
 * What the provider scenarios are made of: a real sts-local (demo config), our providers and the
 * SDK's (`fromTemporaryCredentials`, `fromWebToken`) aimed at it, and real SDK clients wrapping them.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials, fromWebToken } from '@aws-sdk/credential-providers';
import { fromAssumeRole } from '@credchain/assume-role';
import {
  DEMO_ACCOUNT,
  DEMO_OIDC_ISSUER,
  demoConfig,
  demoOidcSigningMaterial,
  mintWebIdentityToken,
  startStsLocal,
} from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import type { CredentialEvent } from '@credchain/core';
import { fromWebIdentity } from '@credchain/web-identity';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export const REGION = 'us-east-1';
export const DEMO_ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`;
export const WEB_IDENTITY_ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/web-identity-role`;

const aliceKey = demoConfig.users?.find((u) => u.name === 'alice')?.accessKeys?.[0];
if (aliceKey === undefined) throw new Error('sts-local demoConfig has no alice with access keys');
/** alice's long-term keys: the source credentials of every AssumeRole here. */
export const ALICE: AwsCredentialIdentity = {
  accessKeyId: aliceKey.accessKeyId,
  secretAccessKey: aliceKey.secretAccessKey,
};

/** A credential provider as an SDK client takes it; ours also have `close()`. */
export type Provider = AwsCredentialIdentityProvider & { close?: () => void };

/** sts-local on the (warpable) global `Date`: it reads `Date.now()` at each request. */
export function startBenchSts(): Promise<StsLocal> {
  return startStsLocal({ clock: { now: () => Date.now() }, region: REGION });
}

/**
 * The SDK's Node HTTP handler, counting requests in flight, and ours' fetches in flight (through
 * its `onEvent`), so a scenario can wait for background refreshes to land, retries between two
 * requests included, before it moves the clock again ({@link settle}).
 */
export class TrackingHandler extends NodeHttpHandler {
  inFlight = 0;
  fetches = 0;
  constructor() {
    // The 10,000-caller scenario queues requests on purpose: no "socket usage at capacity" warning.
    super({ socketAcquisitionWarningTimeout: 10 * 60_000 });
  }
  readonly onEvent = (event: CredentialEvent): void => {
    if (event.type === 'refresh-start') this.fetches++;
    else if (event.type === 'refresh-success' || event.type === 'refresh-failure') this.fetches--;
  };
  /** A request or a fetch of ours is in flight. A method, not a getter: its answer changes across awaits. */
  isBusy(): boolean {
    return this.inFlight > 0 || this.fetches > 0;
  }
  override async handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    this.inFlight++;
    try {
      return await super.handle(...args);
    } finally {
      this.inFlight--;
    }
  }
}

const realSetTimeout = setTimeout;
const realSetImmediate = setImmediate;
/** One macrotask: callers arrive in a new event-loop turn, as real ones do. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));
/** Waits real `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => realSetTimeout(resolve, ms));

/** Waits until no request of `handler` is in flight, and the promise chains behind them have run. */
export async function settle(handler: TrackingHandler): Promise<void> {
  do {
    await nextTurn();
    while (handler.isBusy()) await sleep(1);
    await nextTurn();
  } while (handler.isBusy());
}

export type Kind = 'assume-role' | 'web-identity';

/** The STS operation each kind calls: what sts-local's `calls` are filtered by. */
export const OPERATION: Record<Kind, string> = {
  'assume-role': 'AssumeRole',
  'web-identity': 'AssumeRoleWithWebIdentity',
};

export interface MakeOptions {
  readonly sts: StsLocal;
  readonly handler: TrackingHandler;
  readonly sessionName: string;
  /** For web identity: the token (the SDK's fromWebToken takes a string, so ours gets the same). */
  readonly token?: string;
}

export interface Impl {
  readonly id: string;
  readonly label: string;
  readonly ours: boolean;
  readonly kind: Kind;
  readonly make: (options: MakeOptions) => Provider;
}

const clientConfig = (o: MakeOptions) => ({ endpoint: o.sts.endpoint, region: REGION, requestHandler: o.handler });
/** What ours gets beside its params: the same client config as the SDK's, and the event hook. */
const oursOptions = (o: MakeOptions) => ({ clientConfig: clientConfig(o), onEvent: o.handler.onEvent });

function needToken(o: MakeOptions): string {
  if (o.token === undefined) throw new Error('web identity needs a token');
  return o.token;
}

/** Each pair: ours and the SDK's provider for the same STS operation, same inputs, same endpoint. */
export const IMPLEMENTATIONS: readonly Impl[] = [
  {
    id: 'ours-assume-role',
    label: 'ours: fromAssumeRole',
    ours: true,
    kind: 'assume-role',
    make: (o) =>
      fromAssumeRole({
        params: { RoleArn: DEMO_ROLE_ARN, RoleSessionName: o.sessionName },
        sourceCredentials: ALICE,
        ...oursOptions(o),
      }),
  },
  {
    id: 'sdk-fromTemporaryCredentials',
    label: 'SDK: fromTemporaryCredentials',
    ours: false,
    kind: 'assume-role',
    make: (o) =>
      fromTemporaryCredentials({
        params: { RoleArn: DEMO_ROLE_ARN, RoleSessionName: o.sessionName },
        masterCredentials: ALICE,
        clientConfig: clientConfig(o),
      }),
  },
  {
    id: 'ours-web-identity',
    label: 'ours: fromWebIdentity',
    ours: true,
    kind: 'web-identity',
    make: (o) =>
      fromWebIdentity({
        params: { RoleArn: WEB_IDENTITY_ROLE_ARN, RoleSessionName: o.sessionName },
        webIdentityToken: needToken(o),
        ...oursOptions(o),
      }),
  },
  {
    id: 'sdk-fromWebToken',
    label: 'SDK: fromWebToken',
    ours: false,
    kind: 'web-identity',
    make: (o) =>
      fromWebToken({
        roleArn: WEB_IDENTITY_ROLE_ARN,
        roleSessionName: o.sessionName,
        webIdentityToken: needToken(o),
        clientConfig: clientConfig(o),
      }),
  },
];

/** A demo OIDC token valid for two days from the (warped) now: longer than any scenario's walk. */
export function mintToken(): Promise<string> {
  return mintWebIdentityToken({
    issuer: DEMO_OIDC_ISSUER,
    subject: 'system:serviceaccount:bench:worker',
    audience: 'sts.amazonaws.com',
    privateJwk: demoOidcSigningMaterial.privateJwk,
    kid: demoOidcSigningMaterial.kid,
    now: Date.now(),
    lifetimeSeconds: 48 * 3600,
  });
}

/** An SDK client holding `credentials`, as an application builds one: it wraps them in its identity cache. */
export function sdkClient(o: MakeOptions, credentials: Provider): STSClient {
  return new STSClient({ endpoint: o.sts.endpoint, region: REGION, requestHandler: o.handler, credentials });
}

/**
 * The client's `credentials`, read and called at each lookup as its auth middleware does before signing
 * each request: the SDK's cache around a provider not marked `memoized` (the SDK's), the provider itself
 * once a provider of ours was handed back to the client.
 */
export function identityOf(client: STSClient): () => Promise<AwsCredentialIdentity> {
  return () => client.config.credentials();
}

/** A GetCallerIdentity the client signs and sts-local verifies: the assumed-role ARN it names. */
export async function callerArn(client: STSClient): Promise<string | undefined> {
  return (await client.send(new GetCallerIdentityCommand({}))).Arn;
}

/** The session ARN sts-local names for `sessionName` of the pair's role. */
export function sessionArn(kind: Kind, sessionName: string): string {
  const role = kind === 'assume-role' ? 'demo-role' : 'web-identity-role';
  return `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/${role}/${sessionName}`;
}

/** Calls of the pair's operation sts-local received (successful or not). */
export function stsCalls(sts: StsLocal, kind: Kind): number {
  return sts.calls.filter((c) => c.operation === OPERATION[kind]).length;
}
