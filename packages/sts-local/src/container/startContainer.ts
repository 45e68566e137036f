import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { isoSeconds } from '../operations/context';
import { RotatingRoleCredentials } from '../endpoints/RotatingRoleCredentials';
import {
  type EndpointAnswer,
  type EndpointShared,
  type RunningEndpoint,
  startEndpoint,
} from '../endpoints/startEndpoint';

/** Options of the container credentials endpoint (`startStsLocal({ container })`). */
export interface ContainerOptions {
  /** Its port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /**
   * The `Authorization` header value it accepts (what ECS or EKS would put in `AWS_CONTAINER_AUTHORIZATION_TOKEN` or
   * the token file). @default a random token, new each start
   */
  readonly authorizationToken?: string;
}

/** The running container credentials endpoint of a started sts-local. */
export interface StsLocalContainer {
  /** The full URI, `http://127.0.0.1:PORT/v1/credentials`, for `AWS_CONTAINER_CREDENTIALS_FULL_URI`. */
  readonly endpoint: string;
  /** The token it accepts in `Authorization`: a secret, left out of `JSON.stringify` and `util.inspect`. */
  readonly authorizationToken: string;
  /** `AWS_CONTAINER_CREDENTIALS_FULL_URI` and `AWS_CONTAINER_AUTHORIZATION_TOKEN` (which holds the secret token). */
  readonly env: {
    readonly AWS_CONTAINER_CREDENTIALS_FULL_URI: string;
    readonly AWS_CONTAINER_AUTHORIZATION_TOKEN: string;
  };
  readonly roleArn: string;
  /** The ARN its credentials sign as: `arn:aws:sts::ACCT:assumed-role/ROLE/TASK-ID`. */
  readonly sessionArn: string;
  toJSON(): { endpoint: string; roleArn: string };
  [inspect.custom](): string;
}

/** The path the EKS Pod Identity agent serves; ECS's `/v2/credentials/ID` lives at a link-local address only. */
export const CONTAINER_CREDENTIALS_PATH = '/v1/credentials';
/** A header-safe token: printable ASCII, no leading or trailing space (the SDK refuses CR and LF). */
const TOKEN_SHAPE = /^[\x21-\x7e](?:[\x20-\x7e]{0,4094}[\x21-\x7e])?$/;

const jsonAnswer = (status: number, value: object, log?: { errorCode: string; errorMessage: string }) =>
  ({ status, contentType: 'application/json', body: JSON.stringify(value), ...log }) satisfies EndpointAnswer;
/** The JSON error body `{ Code, Message }`, the fields the SDK's fromHttp copies onto its error. */
const containerError = (status: number, code: string, message: string): EndpointAnswer =>
  jsonAnswer(status, { Code: code, Message: message }, { errorCode: code, errorMessage: message });

/** Compares in constant time, also when the lengths differ (both sides hashed first). */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Starts the container credentials endpoint for `config.container`. */
export async function startContainer(
  shared: EndpointShared,
  options: ContainerOptions,
): Promise<{ container: StsLocalContainer; endpoint: RunningEndpoint }> {
  const task = shared.config.container;
  if (task === undefined) throw new TypeError('container needs config.container, the task whose role it serves');
  const role = shared.identities.role(task.roleArn);
  if (role === undefined) throw new TypeError(`config.container.roleArn names ${task.roleArn}, not in config.roles`);
  const token = options.authorizationToken ?? randomBytes(32).toString('base64url');
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token))
    throw new TypeError('container.authorizationToken must be 1-4096 printable ASCII characters');
  const credentials = new RotatingRoleCredentials(
    shared.sessions,
    role,
    task.sessionName ?? '8f1d2c3b4a5e4f6a9b0c1d2e3f4a5b6c',
    shared.timeScale,
  );

  const answer = (method: string, path: string, authorization: string | undefined, now: number): EndpointAnswer => {
    if (path !== CONTAINER_CREDENTIALS_PATH) return containerError(404, 'NotFound', 'No such path');
    if (method !== 'GET') return { ...containerError(405, 'MethodNotAllowed', 'Use GET'), headers: { Allow: 'GET' } };
    if (authorization === undefined || authorization === '')
      return containerError(400, 'InvalidRequest', 'Authorization token cannot be empty');
    if (!sameToken(authorization, token))
      return containerError(403, 'AccessDenied', 'Access Denied. The authorization token was not accepted');
    const { issued } = credentials.current(now);
    return {
      ...jsonAnswer(200, {
        RoleArn: task.roleArn,
        AccessKeyId: issued.accessKeyId,
        SecretAccessKey: issued.secretAccessKey,
        Token: issued.sessionToken,
        AccountId: role.account,
        Expiration: isoSeconds(issued.expiration),
      }),
      callerArn: issued.caller.arn,
      accessKeyId: issued.accessKeyId,
    };
  };

  const endpoint = await startEndpoint({
    name: 'container',
    host: shared.host,
    port: options.port ?? 0,
    clock: shared.clock,
    faults: shared.faults,
    calls: shared.calls,
    route: (request) => {
      const path = request.target.split('?')[0] ?? '/';
      const authorization = request.headers.authorization;
      return {
        operation: 'container:credentials',
        params: { Method: request.method, Path: path },
        answer: (now) => answer(request.method, path, authorization, now),
      };
    },
    faultAnswer: (kind) =>
      kind === 'throttle'
        ? containerError(429, 'TooManyRequests', 'Too Many Requests')
        : kind === 'server-error'
          ? containerError(500, 'InternalServerError', 'Internal Server Error')
          : containerError(503, 'ServiceUnavailable', 'Service Unavailable'),
  });
  const url = `http://${shared.urlHost}:${endpoint.port}${CONTAINER_CREDENTIALS_PATH}`;
  const view = () => ({ endpoint: url, roleArn: task.roleArn });
  const container: StsLocalContainer = {
    endpoint: url,
    authorizationToken: token,
    env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: url, AWS_CONTAINER_AUTHORIZATION_TOKEN: token },
    roleArn: task.roleArn,
    sessionArn: credentials.arn,
    // The token guards the endpoint: a logged server object shows where it listens, not the token.
    toJSON: view,
    [inspect.custom]: () => `StsLocalContainer ${JSON.stringify(view())}`,
  };
  return { container, endpoint };
}
