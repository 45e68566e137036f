import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { StsLocalConfig } from '../config/types';
import type { IdentityStore } from '../model/IdentityStore';
import type { SessionStore } from '../model/SessionStore';
import type { Clock } from '../server/clock';
import { type FaultInjector, type FaultKind, GARBAGE_BODY as GARBAGE } from '../server/faults';
import { close, listen, readBody } from '../server/http';
import type { StsCall } from '../server/StsCall';

/** What an endpoint shares with sts-local. */
export interface EndpointShared {
  readonly config: StsLocalConfig;
  readonly identities: IdentityStore;
  readonly sessions: SessionStore;
  readonly timeScale: number;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly calls: StsCall[];
  readonly host: string;
  /** `127.0.0.1` or `[::1]`: the host as a URL writes it. */
  readonly urlHost: string;
}

/** An endpoint's answer to one request, with what the call log records of it. */
export interface EndpointAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A short name of the refusal, for the log (`MissingToken`); the client sees only the status and body. */
  readonly errorCode?: string;
  /** Why it was refused, for the log; never quotes a token. */
  readonly errorMessage?: string;
  /** The role session whose credentials were handed out. */
  readonly callerArn?: string;
  /** Their access key ID (key IDs are not secret). */
  readonly accessKeyId?: string;
}

/** One request, as an endpoint's router sees it. */
export interface EndpointRequest {
  readonly method: string;
  /** The request target as sent: path and query. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

/** What a router decides for a request before faults apply. */
export interface EndpointRoute {
  /** The operation fault rules name (`imds:credentials`). */
  readonly operation: string;
  /** What the log keeps of the request: never a header value that is a token. */
  readonly params: Readonly<Record<string, string>>;
  /** The answer, computed after any injected latency, at the server's time then. */
  answer(now: number): EndpointAnswer;
}

/** What one endpoint listener needs. */
export interface EndpointOptions {
  readonly name: 'imds' | 'container';
  readonly host: string;
  readonly port: number;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly calls: StsCall[];
  readonly route: (request: EndpointRequest) => EndpointRoute;
  /** The endpoint's own wording of throttling and server failures. */
  readonly faultAnswer: (kind: Exclude<FaultKind, 'latency' | 'drop' | 'garbage'>) => EndpointAnswer;
}

/** A listening endpoint. */
export interface RunningEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

/** No metadata request has a body worth keeping; larger ones are read and dropped. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Starts an HTTP listener for a credentials endpoint (IMDS, container) that shares sts-local's clock, fault rules
 * and call log: every request is logged as an {@link StsCall} of `endpoint: options.name`.
 */
export async function startEndpoint(options: EndpointOptions): Promise<RunningEndpoint> {
  const { clock, faults, calls, name } = options;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const requestId = randomUUID();
    const time = clock.now();
    const route = options.route({ method: req.method ?? 'GET', target: req.url ?? '/', headers: req.headers });
    const decision = faults.decide(route.operation);
    const log = (status: number, outcome: StsCall['outcome'], answer?: EndpointAnswer) =>
      calls.push({
        requestId,
        time,
        operation: route.operation,
        endpoint: name,
        region: undefined,
        callerArn: answer?.callerArn,
        accessKeyId: answer?.accessKeyId,
        params: route.params,
        status,
        outcome,
        ...(answer?.errorCode === undefined ? {} : { errorCode: answer.errorCode }),
        ...(answer?.errorMessage === undefined ? {} : { errorMessage: answer.errorMessage }),
        faults: decision.fired,
      });
    const send = (answer: EndpointAnswer) => {
      res.writeHead(answer.status, {
        ...answer.headers,
        'Content-Type': answer.contentType,
        'Content-Length': Buffer.byteLength(answer.body),
        Date: new Date(clock.now()).toUTCString(),
      });
      res.end(answer.body);
    };
    void (async () => {
      await readBody(req, MAX_BODY_BYTES);
      if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
      if (decision.terminal === 'drop') {
        log(0, 'dropped');
        req.socket.destroy();
        return;
      }
      let answer: EndpointAnswer;
      if (decision.terminal === 'garbage') answer = { status: 200, contentType: 'text/html', body: GARBAGE };
      else if (decision.terminal !== undefined) answer = options.faultAnswer(decision.terminal);
      else answer = route.answer(clock.now());
      const failed = answer.status !== 200 || decision.terminal !== undefined;
      log(answer.status, failed ? 'error' : 'success', answer);
      send(answer);
    })().catch(() => req.socket.destroy());
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const port = await listen(server, options.port, options.host);
  return { port, close: () => close(server) };
}
