import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../server/clock';
import { type FaultInjector, GARBAGE_BODY } from '../server/faults';
import { readBody } from '../server/http';
import { REDACTED, type StsCall } from '../server/StsCall';
import { createToken, registerClient } from './createToken';
import { getRoleCredentials } from './getRoleCredentials';
import { ssoLogin } from './ssoHelpers';
import { SsoErrorResponse, oidcError } from './SsoErrorResponse';
import type { SsoState } from './SsoState';
import { tokenCacheText } from './tokenCacheFile';

/** What the SSO listener needs to answer requests. */
export interface SsoRequestHandlerOptions {
  readonly state: SsoState;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly calls: StsCall[];
  readonly maxBodyBytes: number;
}

/** An answer and what the log keeps of it. */
interface Answer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
  readonly error?: SsoErrorResponse;
  readonly callerArn?: string;
  readonly accessKeyId?: string;
}

/** Request members that are secrets: the log shows {@link REDACTED} instead. */
const SECRET_MEMBERS = new Set(['clientSecret', 'refreshToken', 'deviceCode', 'code', 'codeVerifier']);
export const BEARER_HEADER = 'x-amz-sso_bearer_token';
/** sts-local's own sign-in route, for the `sts-local --sso` command (no AWS API has it). */
export const LOGIN_PATH = '/sts-local/sso/login';

const INTERNAL = 'Unexpected error';
const FAULT_ERRORS = {
  throttle: () => new SsoErrorResponse('TooManyRequestsException', 429, 'Too many requests'),
  'server-error': () => new SsoErrorResponse('InternalServerException', 500, INTERNAL),
  unavailable: () => new SsoErrorResponse('ServiceUnavailableException', 503, 'Service unavailable'),
} as const;

/** The operation a method and path name: the portal's and OIDC's REST routes, which do not collide. */
function operationOf(method: string, path: string): string | undefined {
  if (method === 'GET' && path === '/federation/credentials') return 'sso:GetRoleCredentials';
  if (method === 'POST' && path === '/token') return 'sso-oidc:CreateToken';
  if (method === 'POST' && path === '/client/register') return 'sso-oidc:RegisterClient';
  if (method === 'POST' && path === LOGIN_PATH) return 'sts-local:SsoLogin';
  return undefined;
}

/** A JSON body member as the log shows it: secrets redacted, non-strings as (short) JSON. */
function loggedMembers(body: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (SECRET_MEMBERS.has(key)) out[key] = REDACTED;
    else out[key] = typeof value === 'string' ? value : JSON.stringify(value).slice(0, 256);
  }
  return out;
}

function jsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw oidcError.invalidRequest('The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw oidcError.invalidRequest('The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

const json = (value: unknown): Answer => ({ status: 200, body: JSON.stringify(value) });

/**
 * The HTTP side of the SSO endpoint: routes, injected faults (operations `sso:GetRoleCredentials`,
 * `sso-oidc:CreateToken`, `sso-oidc:RegisterClient`; `sso:*`, `sso-oidc:*`), JSON answers, and the
 * call log, with bearer tokens, refresh tokens and client secrets redacted.
 */
export function createSsoRequestHandler(
  options: SsoRequestHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { state, clock, faults, calls, maxBodyBytes } = options;
  return async (req, res) => {
    const requestId = randomUUID();
    const time = clock.now();
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    const path = mark === -1 ? target : target.slice(0, mark);
    const query = new URLSearchParams(mark === -1 ? '' : target.slice(mark + 1));
    const method = req.method ?? 'GET';
    const operation = operationOf(method, path);
    let params: Record<string, string> = Object.fromEntries(query);
    const bearer = req.headers[BEARER_HEADER];
    if (bearer !== undefined) params[BEARER_HEADER] = REDACTED;
    const decision = faults.decide(operation ?? '');
    const log = (status: number, outcome: StsCall['outcome'], answer?: Answer) => {
      const error = answer?.error;
      calls.push({
        requestId,
        time,
        operation,
        endpoint: 'sso',
        region: state.center.region,
        callerArn: answer?.callerArn,
        accessKeyId: answer?.accessKeyId,
        params,
        status,
        outcome,
        ...(error === undefined ? {} : { errorCode: error.type, errorMessage: error.message }),
        faults: decision.fired,
      });
    };
    const finish = (answer: Answer) => {
      const { error } = answer;
      const ok = answer.status === 200 && error === undefined && decision.terminal === undefined;
      log(answer.status, ok ? 'success' : 'error', answer);
      res.writeHead(answer.status, {
        'Content-Type': answer.contentType ?? 'application/json',
        'Content-Length': Buffer.byteLength(answer.body),
        'x-amzn-RequestId': requestId,
        ...(error === undefined ? {} : { 'x-amzn-ErrorType': error.type }),
        // The server's clock, so SDK clients correct their skew against it when tests move time.
        Date: new Date(clock.now()).toUTCString(),
      });
      res.end(answer.body);
    };
    const fail = (error: SsoErrorResponse): Answer => ({
      status: error.status,
      body: JSON.stringify(error.body()),
      error,
    });
    try {
      const { body, tooLarge } = await readBody(req, maxBodyBytes);
      if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
      if (decision.terminal === 'drop') {
        log(0, 'dropped');
        req.socket.destroy();
        return;
      }
      if (decision.terminal === 'garbage') return finish({ status: 200, body: GARBAGE_BODY, contentType: 'text/html' });
      if (decision.terminal !== undefined) return finish(fail(FAULT_ERRORS[decision.terminal]()));
      if (tooLarge)
        return finish(fail(new SsoErrorResponse('RequestEntityTooLargeException', 413, 'Request too large')));
      if (operation === undefined)
        return finish(
          fail(new SsoErrorResponse('UnknownOperationException', 404, `No operation at ${method} ${path}`)),
        );
      const now = clock.now();
      if (operation === 'sso:GetRoleCredentials') {
        const answer = getRoleCredentials(
          state,
          {
            roleName: query.get('role_name') ?? undefined,
            accountId: query.get('account_id') ?? undefined,
            accessToken: typeof bearer === 'string' ? bearer : undefined,
          },
          now,
        );
        return finish({ ...json(answer.body), callerArn: answer.callerArn, accessKeyId: answer.accessKeyId });
      }
      if (operation === 'sts-local:SsoLogin') {
        const tokens = ssoLogin(state, now, {
          ...(query.has('user') ? { user: query.get('user') ?? '' } : {}),
          ...(query.has('sso_session') ? { sessionName: query.get('sso_session') ?? '' } : {}),
        });
        return finish({ status: 200, body: tokenCacheText(tokens) });
      }
      const members = jsonBody(body.toString('utf8'));
      params = { ...params, ...loggedMembers(members) };
      return finish(
        json(
          operation === 'sso-oidc:CreateToken' ? createToken(state, members, now) : registerClient(state, members, now),
        ),
      );
    } catch (error) {
      if (res.headersSent || req.socket.destroyed) return;
      // A helper's TypeError (an unknown user at the login route) names the option, never a secret.
      if (error instanceof TypeError && operation === 'sts-local:SsoLogin')
        return finish(fail(new SsoErrorResponse('InvalidRequestException', 400, error.message)));
      finish(
        fail(
          error instanceof SsoErrorResponse ? error : new SsoErrorResponse('InternalServerException', 500, INTERNAL),
        ),
      );
    }
  };
}
