import { isoSeconds } from '../operations/context';
import type { EndpointAnswer, EndpointRequest, EndpointRoute } from '../endpoints/startEndpoint';
import type { RotatingRoleCredentials } from '../endpoints/RotatingRoleCredentials';
import { type ImdsTokens, MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS } from './ImdsTokens';

/** The instance an IMDS endpoint describes. */
export interface ImdsInstance {
  readonly account: string;
  readonly instanceId: string;
  readonly roleName: string;
  readonly instanceProfileArn: string;
  readonly instanceProfileId: string;
  readonly availabilityZone: string;
  readonly region: string;
}

/** What the router answers from. */
export interface ImdsRouterInit {
  readonly instance: ImdsInstance;
  readonly credentials: RotatingRoleCredentials;
  readonly tokens: ImdsTokens;
  /** Serve GETs without a token (HttpTokens=optional). */
  readonly allowV1: boolean;
}

const TOKEN_PATH = '/latest/api/token';
const META_DATA = '/latest/meta-data';
const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** IMDS answers errors with a small XHTML page naming the status, whatever the reason. */
export function imdsError(status: number, errorCode: string, errorMessage: string, allow?: string): EndpointAnswer {
  const title = `${status} - ${STATUS_TEXT[status] ?? 'Error'}`;
  const body =
    '<?xml version="1.0" encoding="iso-8859-1"?>\n' +
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n' +
    '\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n' +
    ` <head>\n  <title>${title}</title>\n </head>\n <body>\n  <h1>${title}</h1>\n </body>\n</html>\n`;
  return {
    status,
    contentType: 'text/html',
    body,
    errorCode,
    errorMessage,
    ...(allow === undefined ? {} : { headers: { Allow: allow } }),
  };
}

const text = (body: string): EndpointAnswer => ({ status: 200, contentType: 'text/plain', body });
const json = (value: object): EndpointAnswer => text(JSON.stringify(value, null, 2));
const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** `x-aws-ec2-metadata-token-ttl-seconds` as IMDS reads it: a whole number of seconds from 1 to 21600. */
function ttlSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,6}$/.test(value)) return undefined;
  const ttl = Number(value);
  return ttl >= MIN_TOKEN_TTL_SECONDS && ttl <= MAX_TOKEN_TTL_SECONDS ? ttl : undefined;
}

/** The fault-rule operation of a metadata path. */
function operationOf(path: string): string {
  if (path === TOKEN_PATH) return 'imds:token';
  if (/^\/latest\/meta-data\/iam\/security-credentials\/?$/.test(path)) return 'imds:role-name';
  if (path.startsWith(`${META_DATA}/iam/security-credentials/`)) return 'imds:credentials';
  return 'imds:metadata';
}

/**
 * Routes IMDS requests: the token PUT (TTL header checked, X-Forwarded-For refused), then GETs authorized by a
 * token this endpoint issued (or by nothing, when IMDSv1 is allowed), then the few paths SDKs and the AWS CLI read.
 */
export function createImdsRouter(init: ImdsRouterInit): (request: EndpointRequest) => EndpointRoute {
  const { instance, credentials, tokens, allowV1 } = init;
  const leaves = (now: number): Readonly<Record<string, () => EndpointAnswer>> => ({
    '': () => text('iam/\ninstance-id\nplacement/'),
    'instance-id': () => text(instance.instanceId),
    placement: () => text('availability-zone\nregion'),
    'placement/availability-zone': () => text(instance.availabilityZone),
    'placement/region': () => text(instance.region),
    iam: () => text('info\nsecurity-credentials/'),
    'iam/info': () =>
      json({
        Code: 'Success',
        LastUpdated: isoSeconds(credentials.current(now).issuedAt),
        InstanceProfileArn: instance.instanceProfileArn,
        InstanceProfileId: instance.instanceProfileId,
      }),
    'iam/security-credentials': () => text(instance.roleName),
    [`iam/security-credentials/${instance.roleName}`]: () => {
      const { issued, issuedAt } = credentials.current(now);
      return {
        ...json({
          Code: 'Success',
          LastUpdated: isoSeconds(issuedAt),
          Type: 'AWS-HMAC',
          AccessKeyId: issued.accessKeyId,
          SecretAccessKey: issued.secretAccessKey,
          Token: issued.sessionToken,
          Expiration: isoSeconds(issued.expiration),
        }),
        callerArn: issued.caller.arn,
        accessKeyId: issued.accessKeyId,
      };
    },
  });
  const identityDocument = () =>
    json({
      accountId: instance.account,
      architecture: 'x86_64',
      availabilityZone: instance.availabilityZone,
      imageId: 'ami-0123456789abcdef0',
      instanceId: instance.instanceId,
      instanceType: 't3.micro',
      region: instance.region,
      version: '2017-09-30',
    });

  const putToken = (request: EndpointRequest, now: number): EndpointAnswer => {
    if (request.method !== 'PUT') return imdsError(405, 'MethodNotAllowed', 'the token path takes PUT only', 'PUT');
    // A token PUT that went through a proxy is refused, so a token cannot leak out of the instance that way.
    if (request.headers['x-forwarded-for'] !== undefined)
      return imdsError(403, 'Forbidden', 'token PUT carrying X-Forwarded-For');
    const ttl = ttlSeconds(single(request.headers[TTL_HEADER]));
    if (ttl === undefined)
      return imdsError(400, 'BadRequest', `${TTL_HEADER} missing or not a whole number from 1 to 21600`);
    return { ...text(tokens.issue(now, ttl)), headers: { [TTL_HEADER]: String(ttl) } };
  };

  const get = (request: EndpointRequest, path: string, now: number): EndpointAnswer => {
    if (request.method !== 'GET') return imdsError(405, 'MethodNotAllowed', 'metadata paths take GET only', 'GET');
    const token = single(request.headers[TOKEN_HEADER]);
    if (token === undefined) {
      if (!allowV1) return imdsError(401, 'MissingToken', 'IMDSv1 request (no token) refused: HttpTokens=required');
    } else {
      const check = tokens.check(token, now);
      if (check !== 'valid')
        return imdsError(401, check === 'expired' ? 'ExpiredToken' : 'InvalidToken', `${check} token`);
    }
    if (/^\/latest\/dynamic\/instance-identity\/document\/?$/.test(path)) return identityDocument();
    const rest = path === META_DATA ? '' : path.startsWith(`${META_DATA}/`) ? path.slice(META_DATA.length + 1) : null;
    const table = leaves(now);
    const key = rest?.replace(/\/$/, '');
    if (key === undefined || !Object.hasOwn(table, key)) return imdsError(404, 'NotFound', 'no such metadata path');
    return table[key]?.() ?? imdsError(404, 'NotFound', 'no such metadata path');
  };

  return (request) => {
    const path = request.target.split('?')[0] ?? '/';
    const ttl = single(request.headers[TTL_HEADER]);
    return {
      operation: operationOf(path),
      params: { Method: request.method, Path: path, ...(ttl === undefined ? {} : { TtlSeconds: ttl.slice(0, 16) }) },
      answer: (now) => (path === TOKEN_PATH ? putToken(request, now) : get(request, path, now)),
    };
  };
}
