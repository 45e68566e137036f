import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseParams } from '../protocol/params';
import { StsErrorResponse } from '../protocol/StsErrorResponse';
import { errorXml, successXml } from '../protocol/xml';
import { SECRET_PARAMS } from '../validate/rules';
import type { Clock } from './clock';
import { type FaultInjector, GARBAGE_BODY } from './faults';
import { type RequestTrace, type StsState, handleStsRequest } from './handleStsRequest';
import { hasBadPercentEncoding, readBody } from './http';
import { REDACTED, type StsCall } from './StsCall';

/** What one listener needs to answer requests. */
export interface RequestHandlerOptions {
  readonly state: StsState;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly calls: StsCall[];
  readonly maxBodyBytes: number;
  /** This listener plays the global endpoint (sts.amazonaws.com). */
  readonly global: boolean;
}

const INTERNAL_FAILURE = 'The request processing has failed because of an unknown error, exception or failure.';

/** The fault's answer, as STS words it. */
const FAULT_ERRORS = {
  throttle: () => new StsErrorResponse('Throttling', 'Rate exceeded'),
  'server-error': () => new StsErrorResponse('InternalFailure', INTERNAL_FAILURE),
  unavailable: () => new StsErrorResponse('ServiceUnavailable', 'Service is unavailable. Please retry later.'),
} as const;

/**
 * Parameters as the call log keeps them: no Action/Version/X-Amz-* (signatures, session tokens of
 * presigned requests), and the secret-bearing ones — TokenCode, SAMLAssertion, WebIdentityToken and
 * ProvidedContexts' ContextAssertion — replaced by {@link REDACTED}.
 */
function loggedParams(params: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version' || /^x-amz-/i.test(key)) continue;
    const leaf = key.slice(key.lastIndexOf('.') + 1);
    out[key] = SECRET_PARAMS.has(key) || leaf === 'ContextAssertion' ? REDACTED : value;
  }
  return out;
}

/**
 * The HTTP side of one STS request: body limits, parsing, injected faults, the XML answer and the
 * call log. Every failure becomes an STS `ErrorResponse`; nothing a client sends escapes as a crash.
 */
export function createRequestHandler(
  options: RequestHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { state, clock, faults, calls, maxBodyBytes, global } = options;
  return async (req, res) => {
    const requestId = randomUUID();
    const time = clock.now();
    const trace: RequestTrace = {};
    let params: Map<string, string> = new Map();
    let fired: string[] = [];
    const log = (status: number, outcome: StsCall['outcome'], error?: StsErrorResponse) => {
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
    const fail = (error: StsErrorResponse) => {
      log(error.status, 'error', error);
      send(error.status, errorXml(error.type, error.code, error.message, requestId));
    };
    try {
      const { body, tooLarge } = await readBody(req, maxBodyBytes);
      if (tooLarge) {
        res.setHeader('Connection', 'close');
        return fail(
          new StsErrorResponse('RequestEntityTooLarge', `Request body exceeds ${maxBodyBytes} bytes.`, { status: 413 }),
        );
      }
      if (req.method !== 'POST' && req.method !== 'GET') {
        res.setHeader('Allow', 'GET, POST');
        return fail(
          new StsErrorResponse('InvalidAction', `Unsupported HTTP method ${String(req.method).slice(0, 16)}.`, {
            status: 405,
          }),
        );
      }
      // Split by hand: SigV4 signs the path and query exactly as sent, which URL would normalize.
      const target = req.url ?? '/';
      const mark = target.indexOf('?');
      const rawPath = mark === -1 ? target : target.slice(0, mark);
      const rawQuery = mark === -1 ? '' : target.slice(mark + 1);
      const form = req.method === 'POST' ? body.toString('utf8') : undefined;
      if (hasBadPercentEncoding(rawQuery) || (form !== undefined && hasBadPercentEncoding(form))) {
        return fail(
          new StsErrorResponse('MalformedQueryString', 'The query string contains a malformed percent-encoding.'),
        );
      }
      params = parseParams(rawQuery, form);
      const decision = faults.decide(params.get('Action') ?? '');
      fired = decision.fired;
      if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
      if (decision.terminal === 'drop') {
        log(0, 'dropped');
        req.socket.destroy();
        return;
      }
      if (decision.terminal === 'garbage') {
        log(200, 'error');
        res.writeHead(200, { 'Content-Type': 'text/html', 'x-amzn-RequestId': requestId });
        res.end(GARBAGE_BODY);
        return;
      }
      if (decision.terminal !== undefined) return fail(FAULT_ERRORS[decision.terminal]());
      const hostHeader = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
      const { action, result } = await handleStsRequest(
        state,
        {
          method: req.method,
          rawPath,
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
      fail(error instanceof StsErrorResponse ? error : new StsErrorResponse('InternalFailure', INTERNAL_FAILURE));
    }
  };
}
