import { type Server, createServer } from 'node:http';
import { inspect } from 'node:util';
import type { StsLocalConfig } from '../config/types';
import { MfaVerifier } from '../mfa/MfaVerifier';
import { totp } from '../mfa/totp';
import { IdentityStore } from '../model/IdentityStore';
import { Revocations } from '../model/Revocations';
import { SessionStore } from '../model/SessionStore';
import { AuthorizationMessageCodec, DEFAULT_AUTHORIZATION_MESSAGE_SEED } from '../operations/authorizationMessage';
import { AdjustableClock, type Clock } from './clock';
import { FaultInjector, type FaultRule } from './faults';
import { createRequestHandler } from './createRequestHandler';
import { GLOBAL_REGION, type StsState } from './handleStsRequest';
import { answerClientError, close, listen } from './http';
import { loadConfig } from './loadConfig';
import {
  type MintIdentityTokenOptions,
  type MintSamlAssertionOptions,
  type SigningKeys,
  createMintHelpers,
} from './mintHelpers';
import type { StsCall } from './StsCall';
import { type ContainerOptions, type StsLocalContainer, startContainer } from '../container/startContainer';
import type { RunningEndpoint } from '../endpoints/startEndpoint';
import { type ImdsOptions, type StsLocalImds, startImds } from '../imds/startImds';
import type { StsLocalSso } from '../sso/ssoHelpers';
import { type SsoOptions, startSso } from '../sso/startSso';

/** Options of {@link startStsLocal}. */
export interface StartStsLocalOptions {
  /** Port of the Regional endpoint; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Port of the global endpoint (behaves like sts.amazonaws.com); 0 picks a free one. @default 0 */
  readonly globalPort?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** The identity model, or the path of a JSON file holding one. @default demoConfig */
  readonly config?: StsLocalConfig | string;
  /**
   * Time source, any `{ now(): number }` (core's `Clock` fits: sts-local shares no type with the clients,
   * so it exports no clock type of its own); `advanceTime` moves the server's time relative to it.
   * @default `Date.now()`, read on every call
   */
  readonly clock?: Clock;
  /** Issued lifetimes are multiplied by this (0.01 makes a 1-hour session last 36 s). @default 1 */
  readonly timeScale?: number;
  /** Fault rules, checked in order for every request. @default [] */
  readonly faults?: readonly FaultRule[];
  /** Seed of the generator behind `rate` faults. @default 1 */
  readonly faultSeed?: number;
  /** Region of unsigned requests (SAML, web identity) on the Regional endpoint. @default 'us-east-1' */
  readonly region?: string;
  /** Bodies larger than this answer 413. @default 1048576 */
  readonly maxBodyBytes?: number;
  /** Allowed difference between X-Amz-Date and the server clock. @default 900000 (15 min) */
  readonly maxSkewMs?: number;
  /** Key seed of DecodeAuthorizationMessage payloads. @default 'credchain-sts-local' */
  readonly authorizationMessageSeed?: string;
  /**
   * Private keys of the config's SAML/OIDC providers, for `mintSamlAssertion`/`mintWebIdentityToken`.
   * @default {} (the demo providers' keys are built in)
   */
  readonly signingKeys?: SigningKeys;
  /**
   * An EC2 instance metadata service (IMDSv2) on a port of its own, serving `config.instance`'s role credentials
   * (`true` takes the defaults). @default off
   */
  readonly imds?: boolean | ImdsOptions;
  /**
   * A container credentials endpoint (ECS / EKS Pod Identity style) on a port of its own, serving
   * `config.container`'s role credentials to requests carrying its authorization token. @default off
   */
  readonly container?: boolean | ContainerOptions;
  /**
   * An IAM Identity Center endpoint on a port of its own — the SSO portal's GetRoleCredentials and SSO OIDC's
   * CreateToken — serving `config.identityCenter` (`true` takes the defaults). @default off
   */
  readonly sso?: boolean | SsoOptions;
}

/** A running sts-local. */
export interface StsLocal {
  /**
   * What JSON.stringify and util.inspect show: where it listens and how many calls it logged, never the config's
   * secrets.
   */
  toJSON(): {
    endpoint: string;
    globalEndpoint: string;
    calls: number;
    imdsEndpoint?: string;
    containerEndpoint?: string;
    ssoEndpoint?: string;
  };
  [inspect.custom](): string;
  /** `http://127.0.0.1:PORT` — a Regional endpoint (the region comes from each request's credential scope). */
  readonly endpoint: string;
  /** `http://127.0.0.1:PORT` — the global endpoint: requests must be scoped to us-east-1; AssumeRoot is unknown here. */
  readonly globalEndpoint: string;
  /** The request log, oldest first; secrets redacted. */
  readonly calls: readonly StsCall[];
  readonly config: StsLocalConfig;
  /** The IMDS endpoint, when started with `imds`. */
  readonly imds: StsLocalImds | undefined;
  /** The container credentials endpoint, when started with `container`. */
  readonly container: StsLocalContainer | undefined;
  /** The IAM Identity Center endpoint and its helpers (sign-ins, token cache files), when started with `sso`. */
  readonly sso: StsLocalSso | undefined;
  /** The server's current time (epoch ms). */
  now(): number;
  /** Moves the server's time forward (or back, with a negative value). */
  advanceTime(ms: number): void;
  /** The current TOTP code of an MFA device in the config (at the server's time, or `atMs`). */
  totp(serialNumber: string, atMs?: number): string;
  /** An EncodedMessage this server's DecodeAuthorizationMessage decodes to `message`. */
  encodeAuthorizationMessage(message: string | object): string;
  /**
   * A signed, base64 SAML Response for `roleArn` from one of the config's SAML providers, dated by
   * the server's clock; pass it as SAMLAssertion.
   */
  mintSamlAssertion(options: MintSamlAssertionOptions): string;
  /** A signed OIDC ID token from one of the config's OIDC providers, dated by the server's clock. */
  mintWebIdentityToken(options: MintIdentityTokenOptions): Promise<string>;
  /**
   * Revokes one session sts-local issued (from any endpoint): later requests signed with it answer
   * `InvalidClientTokenId` ("The security token included in the request is invalid."), as STS answers for a
   * token it no longer accepts. Returns false when no such session is known (long-term keys are not sessions).
   */
  revokeSession(accessKeyId: string): boolean;
  /**
   * IAM's "Revoke active sessions" for `roleArn`: its sessions issued before `issuedBefore` (epoch ms, the
   * server's time; default now) are denied every action but GetCallerIdentity — `AccessDenied`, "… with an
   * explicit deny in an identity-based policy" — as the `aws:TokenIssueTime` policy IAM attaches does.
   * Sessions issued later are not affected. Returns how many unexpired sessions it caught.
   */
  revokeRoleSessions(roleArn: string, issuedBefore?: number): number;
  /** Adds a fault rule after those already set. */
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  clearCalls(): void;
  /** Stops listening and closes open connections. Calling it again is harmless. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts sts-local: a Regional and a global STS endpoint on 127.0.0.1 speaking the Query protocol.
 * Resolves once both listen.
 */
export async function startStsLocal(options: StartStsLocalOptions = {}): Promise<StsLocal> {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new TypeError('timeScale must be a positive number');
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  if (!(maxBodyBytes > 0)) throw new TypeError('maxBodyBytes must be a positive number');
  const host = options.host ?? '127.0.0.1';
  const config = loadConfig(options.config);
  const clock = new AdjustableClock(options.clock);
  const faults = new FaultInjector(options.faults ?? [], options.faultSeed ?? 1);
  const identities = new IdentityStore(config);
  const codec = new AuthorizationMessageCodec(options.authorizationMessageSeed ?? DEFAULT_AUTHORIZATION_MESSAGE_SEED);
  const state: StsState = {
    identities,
    sessions: new SessionStore(),
    revocations: new Revocations(),
    mfa: new MfaVerifier(),
    authorizationMessages: codec,
    timeScale,
    defaultRegion: options.region ?? GLOBAL_REGION,
    maxSkewMs: options.maxSkewMs ?? 15 * 60_000,
  };
  const calls: StsCall[] = [];

  const serve = (global: boolean): Server => {
    const handle = createRequestHandler({ state, clock, faults, calls, maxBodyBytes, global });
    // Node's 5 s keep-alive timeout closes an idle socket while a loaded client may be sending on it
    // (ECONNRESET with 1,000 requests in flight on a busy machine); AWS endpoints keep idle
    // connections far longer, so clients never meet that race there.
    const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void handle(req, res));
    server.on('clientError', answerClientError);
    return server;
  };
  const regional = serve(false);
  const globalServer = serve(true);
  let port: number;
  let globalPort: number;
  try {
    [port, globalPort] = await Promise.all([
      listen(regional, options.port ?? 0, host),
      listen(globalServer, options.globalPort ?? 0, host),
    ]);
  } catch (error) {
    // One may have started (the other's port was taken): leave nothing listening behind.
    await Promise.all([close(regional), close(globalServer)]);
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  // The IMDS and container endpoints: ports of their own, sharing the clock, faults, call log and sessions.
  const shared = { config, identities, sessions: state.sessions, timeScale, clock, faults, calls, host, urlHost };
  const endpoints: RunningEndpoint[] = [];
  let imds: StsLocalImds | undefined;
  let container: StsLocalContainer | undefined;
  let sso: StsLocalSso | undefined;
  try {
    if (options.imds !== undefined && options.imds !== false) {
      const started = await startImds(shared, options.imds === true ? {} : options.imds);
      endpoints.push(started.endpoint);
      imds = started.imds;
    }
    if (options.container !== undefined && options.container !== false) {
      const started = await startContainer(shared, options.container === true ? {} : options.container);
      endpoints.push(started.endpoint);
      container = started.container;
    }
    if (options.sso !== undefined && options.sso !== false) {
      const started = await startSso({ ...shared, maxBodyBytes }, options.sso === true ? {} : options.sso);
      endpoints.push(started.endpoint);
      sso = started.sso;
    }
  } catch (error) {
    await Promise.all([close(regional), close(globalServer), ...endpoints.map((e) => e.close())]);
    throw error;
  }
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= Promise.all([close(regional), close(globalServer), ...endpoints.map((e) => e.close())]).then(
      () => undefined,
    );
    return stopped;
  };
  const mint = createMintHelpers(identities, clock, options.signingKeys);
  return {
    endpoint: `http://${urlHost}:${port}`,
    globalEndpoint: `http://${urlHost}:${globalPort}`,
    calls,
    config,
    imds,
    container,
    sso,
    now: () => clock.now(),
    advanceTime: (ms) => clock.advance(ms),
    totp(serialNumber, atMs) {
      const device = identities.mfaDevice(serialNumber);
      if (device === undefined) throw new TypeError(`No MFA device ${serialNumber} in the config`);
      return totp(device.device.secretBase32, atMs ?? clock.now());
    },
    encodeAuthorizationMessage: (message) => codec.encode(message),
    mintSamlAssertion: (opts) => mint.mintSamlAssertion(opts),
    mintWebIdentityToken: (opts) => mint.mintWebIdentityToken(opts),
    revokeSession(accessKeyId) {
      if (state.sessions.get(accessKeyId) === undefined) return false;
      state.revocations.revokeSession(accessKeyId);
      return true;
    },
    revokeRoleSessions(roleArn, issuedBefore) {
      const now = clock.now();
      const before = issuedBefore ?? now;
      if (!Number.isFinite(before)) throw new TypeError('revokeRoleSessions: issuedBefore must be epoch milliseconds');
      state.revocations.revokeRoleSessions(roleArn, before);
      let caught = 0;
      for (const session of state.sessions.values()) {
        if (session.caller.roleArn === roleArn && session.issuedAt < before && session.expiration > now) caught++;
      }
      return caught;
    },
    injectFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    clearCalls: () => {
      calls.length = 0;
    },
    stop,
    [Symbol.asyncDispose]: stop,
    // The config holds the users' secret keys and TOTP seeds: a logged server shows where it
    // listens and how busy it was, not them.
    toJSON: () => ({
      endpoint: `http://${urlHost}:${port}`,
      globalEndpoint: `http://${urlHost}:${globalPort}`,
      calls: calls.length,
      ...(imds === undefined ? {} : { imdsEndpoint: imds.endpoint }),
      ...(container === undefined ? {} : { containerEndpoint: container.endpoint }),
      ...(sso === undefined ? {} : { ssoEndpoint: sso.endpoint }),
    }),
    [inspect.custom](this: StsLocal) {
      return `StsLocal ${JSON.stringify(this.toJSON())}`;
    },
  };
}
