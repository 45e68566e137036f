import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StsLocalConfig } from '../config/types';
import { demoConfig } from '../config/demoConfig';
import { checkConfig } from '../config/checkConfig';
import { MfaVerifier } from '../mfa/MfaVerifier';
import { totp } from '../mfa/totp';
import { IdentityStore } from '../model/IdentityStore';
import { SessionStore } from '../model/SessionStore';
import { AuthorizationMessageCodec, DEFAULT_AUTHORIZATION_MESSAGE_SEED } from '../operations/authorizationMessage';
import { parseParams } from '../protocol/params';
import { StsError } from '../protocol/StsError';
import { errorXml, successXml } from '../protocol/xml';
import { SECRET_PARAMS } from '../validate/rules';
import { AdjustableClock, type Clock } from './clock';
import { FaultInjector, type FaultRule } from './faults';
import { GLOBAL_REGION, type RequestTrace, type StsState, handleStsRequest } from './handleStsRequest';
import { REDACTED, type StsCall } from './StsCall';

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
  /** Time source; `advanceTime` moves the server's time relative to it. @default Date */
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
}

/** A running sts-local. */
export interface StsLocal {
  /** `http://127.0.0.1:PORT` — a Regional endpoint (the region comes from each request's credential scope). */
  readonly endpoint: string;
  /** `http://127.0.0.1:PORT` — the global endpoint: requests must be scoped to us-east-1; AssumeRoot is unknown here. */
  readonly globalEndpoint: string;
  /** The request log, oldest first; secrets redacted. */
  readonly calls: readonly StsCall[];
  readonly config: StsLocalConfig;
  /** The server's current time (epoch ms). */
  now(): number;
  /** Moves the server's time forward (or back, with a negative value). */
  advanceTime(ms: number): void;
  /** The current TOTP code of an MFA device in the config (at the server's time, or `atMs`). */
  totp(serialNumber: string, atMs?: number): string;
  /** An EncodedMessage this server's DecodeAuthorizationMessage decodes to `message`. */
  encodeAuthorizationMessage(message: string | object): string;
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  clearCalls(): void;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const HARD_BODY_LIMIT = 64 * 1024 * 1024;

function loadConfig(config: StsLocalConfig | string | undefined): StsLocalConfig {
  if (config === undefined) return demoConfig;
  const loaded = typeof config === 'string' ? (JSON.parse(readFileSync(config, 'utf8')) as StsLocalConfig) : config;
  checkConfig(loaded);
  return loaded;
}

function loggedParams(params: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version' || key.startsWith('X-Amz-')) continue;
    out[key] = SECRET_PARAMS.has(key) ? REDACTED : value;
  }
  return out;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Reads a body up to `limit` bytes; past it, drains (to answer cleanly) and reports `tooLarge`. */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > HARD_BODY_LIMIT) {
        req.destroy();
        reject(new Error('body beyond hard limit'));
        return;
      }
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
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
  const clock = new AdjustableClock(options.clock ?? Date);
  const faults = new FaultInjector(options.faults ?? [], options.faultSeed ?? 1);
  const identities = new IdentityStore(config);
  const codec = new AuthorizationMessageCodec(options.authorizationMessageSeed ?? DEFAULT_AUTHORIZATION_MESSAGE_SEED);
  const state: StsState = {
    identities,
    sessions: new SessionStore(),
    mfa: new MfaVerifier(),
    authorizationMessages: codec,
    timeScale,
    defaultRegion: options.region ?? GLOBAL_REGION,
    maxSkewMs: options.maxSkewMs ?? 15 * 60_000,
  };
  const calls: StsCall[] = [];

  const handler = (global: boolean) => async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const time = clock.now();
    const trace: RequestTrace = {};
    let params: Map<string, string> = new Map();
    let fired: string[] = [];
    const log = (status: number, outcome: StsCall['outcome'], error?: StsError) => {
      calls.push({
        requestId,
        time,
        operation: params.get('Action'),
        endpoint: global ? 'global' : 'regional',
        region: trace.region,
        callerArn: trace.caller?.arn,
        accessKeyId: trace.accessKeyId,
        params: loggedParams(params),
        status,
        outcome,
        ...(error === undefined ? {} : { errorCode: error.code, errorMessage: error.message }),
        faults: fired,
      });
    };
    const send = (status: number, xml: string) => {
      res.writeHead(status, {
        'Content-Type': 'text/xml',
        'Content-Length': Buffer.byteLength(xml),
        'x-amzn-RequestId': requestId,
        // The server's clock, so SDK clients correct their skew against it when tests move time.
        Date: new Date(clock.now()).toUTCString(),
      });
      res.end(xml);
    };
    const fail = (error: StsError) => {
      log(error.status, 'error', error);
      send(error.status, errorXml(error.type, error.code, error.message, requestId));
    };
    try {
      const { body, tooLarge } = await readBody(req, maxBodyBytes);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : '';
      if (tooLarge) {
        res.setHeader('Connection', 'close');
        return fail(new StsError('RequestEntityTooLarge', `Request body exceeds ${maxBodyBytes} bytes.`, { status: 413 }));
      }
      if (req.method !== 'POST' && req.method !== 'GET') {
        return fail(new StsError('InvalidAction', `Unsupported HTTP method ${String(req.method).slice(0, 16)}.`, { status: 405 }));
      }
      params = parseParams(rawQuery, req.method === 'POST' ? body.toString('utf8') : undefined);
      const decision = faults.decide(params.get('Action') ?? '');
      fired = decision.fired;
      if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
      if (decision.terminal === 'drop') {
        log(0, 'dropped');
        req.socket.destroy();
        return;
      }
      if (decision.terminal === 'throttle') return fail(new StsError('Throttling', 'Rate exceeded'));
      if (decision.terminal === 'server-error') {
        return fail(new StsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.'));
      }
      if (decision.terminal === 'unavailable') return fail(new StsError('ServiceUnavailable', 'Service is unavailable. Please retry later.'));
      const hostHeader = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
      const { action, result } = await handleStsRequest(
        state,
        {
          method: req.method,
          rawPath: url.pathname,
          rawQuery,
          rawHeaders: req.rawHeaders,
          body,
          params,
          global: global || hostHeader === 'sts.amazonaws.com',
          now: clock.now(),
        },
        trace,
      );
      log(200, 'success');
      send(200, successXml(action, result, requestId));
    } catch (error) {
      if (res.headersSent || req.socket.destroyed) return;
      fail(error instanceof StsError ? error : new StsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.'));
    }
  };

  const regional = createServer((req, res) => void handler(false)(req, res));
  const globalServer = createServer((req, res) => void handler(true)(req, res));
  const [port, globalPort] = await Promise.all([listen(regional, options.port ?? 0, host), listen(globalServer, options.globalPort ?? 0, host)]);
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const stop = async () => {
    await Promise.all([close(regional), close(globalServer)]);
  };
  return {
    endpoint: `http://${host}:${port}`,
    globalEndpoint: `http://${host}:${globalPort}`,
    calls,
    config,
    now: () => clock.now(),
    advanceTime: (ms) => clock.advance(ms),
    totp(serialNumber, atMs) {
      const device = identities.mfaDevice(serialNumber);
      if (device === undefined) throw new TypeError(`No MFA device ${serialNumber} in the config`);
      return totp(device.device.secretBase32, atMs ?? clock.now());
    },
    encodeAuthorizationMessage: (message) => codec.encode(message),
    injectFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    clearCalls: () => {
      calls.length = 0;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
