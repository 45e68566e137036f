import { timingSafeEqual } from 'node:crypto';
import { StsErrorResponse } from '../protocol/StsErrorResponse';
import { canonicalHeaders, canonicalQuery, canonicalUri, hmacHex, sha256Hex, signingKey } from './canonical';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 'sts';

/** The parts of an HTTP request SigV4 covers, as they came off the wire. */
export interface SignedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Node's `req.rawHeaders`: name, value, name, value, … */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** What the signature proves, once verified. */
export interface VerifiedSignature {
  readonly accessKeyId: string;
  readonly region: string;
  readonly sessionToken: string | undefined;
  /** Header auth or a presigned URL. */
  readonly style: 'header' | 'query';
}

export interface VerifySigV4Options {
  /** Returns the secret of a key, or throws the StsErrorResponse STS answers for an unknown key or token. */
  readonly resolveSecret: (accessKeyId: string, sessionToken: string | undefined) => string;
  readonly now: number;
  /** @default 900000 (15 minutes) */
  readonly maxSkewMs?: number;
}

interface AuthParts {
  credential: string;
  signedHeaders: string;
  signature: string;
  amzDate: string | undefined;
  sessionToken: string | undefined;
  expires: number | undefined;
  style: 'header' | 'query';
}

function header(rawHeaders: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] ?? '').toLowerCase() === name) return rawHeaders[i + 1];
  }
  return undefined;
}

function incomplete(message: string): StsErrorResponse {
  return new StsErrorResponse('IncompleteSignature', message);
}

function mismatch(message: string): StsErrorResponse {
  return new StsErrorResponse('SignatureDoesNotMatch', message);
}

function readAuth(req: SignedRequest): AuthParts {
  const authorization = header(req.rawHeaders, 'authorization');
  if (authorization !== undefined) {
    const space = authorization.indexOf(' ');
    const algorithm = space === -1 ? authorization : authorization.slice(0, space);
    if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm.slice(0, 40)}'`);
    const fields = new Map<string, string>();
    for (const part of authorization.slice(space + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((f) => !fields.get(f));
    if (missing.length > 0) {
      throw incomplete(missing.map((f) => `Authorization header requires '${f}' parameter.`).join(' '));
    }
    return {
      credential: fields.get('Credential') ?? '',
      signedHeaders: fields.get('SignedHeaders') ?? '',
      signature: fields.get('Signature') ?? '',
      amzDate: header(req.rawHeaders, 'x-amz-date'),
      sessionToken: header(req.rawHeaders, 'x-amz-security-token'),
      expires: undefined,
      style: 'header',
    };
  }
  const query = new URLSearchParams(req.rawQuery);
  const algorithm = query.get('X-Amz-Algorithm');
  if (algorithm === null) {
    throw new StsErrorResponse('MissingAuthenticationToken', 'Request is missing Authentication Token');
  }
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm.slice(0, 40)}'`);
  const missing = ['X-Amz-Credential', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Date'].filter(
    (f) => !query.get(f),
  );
  if (missing.length > 0) throw incomplete(`AWS query-string parameters missing: ${missing.join(', ')}.`);
  const expires = query.get('X-Amz-Expires');
  return {
    credential: query.get('X-Amz-Credential') ?? '',
    signedHeaders: query.get('X-Amz-SignedHeaders') ?? '',
    signature: query.get('X-Amz-Signature') ?? '',
    amzDate: query.get('X-Amz-Date') ?? undefined,
    sessionToken: query.get('X-Amz-Security-Token') ?? undefined,
    expires: expires === null ? undefined : Number(expires),
    style: 'query',
  };
}

/** Parses `YYYYMMDDTHHMMSSZ`; NaN when malformed. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** Formats epoch ms as `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Verifies a SigV4-signed STS request (Authorization header or presigned query string) written
 * from the SigV4 specification with node:crypto only, so it judges any signer independently.
 * Throws the StsErrorResponse STS answers with; returns the verified key, region and session token.
 */
export function verifySigV4(req: SignedRequest, options: VerifySigV4Options): VerifiedSignature {
  const auth = readAuth(req);
  const scope = auth.credential.split('/');
  if (scope.length !== 5) {
    throw incomplete(`Credential should have exactly 5 slash-separated components.`);
  }
  const [accessKeyId = '', scopeDate = '', region = '', service = '', terminator = ''] = scope;
  const secret = options.resolveSecret(accessKeyId, auth.sessionToken);
  if (terminator !== 'aws4_request') {
    throw mismatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  if (service !== SERVICE) throw mismatch(`Credential should be scoped to correct service: '${SERVICE}'.`);
  if (!/^[a-z0-9-]{1,32}$/.test(region)) throw mismatch('Credential should be scoped to a valid region.');
  const amzDate = auth.amzDate;
  if (amzDate === undefined) {
    throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt))
    throw incomplete(`X-Amz-Date must be in the ISO8601 Long Format: '${amzDate.slice(0, 40)}'`);
  if (amzDate.slice(0, 8) !== scopeDate) {
    throw mismatch(
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const signed = auth.signedHeaders.split(';').filter((h) => h !== '');
  if (!signed.includes('host')) {
    throw mismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const bodyHash = sha256Hex(req.body);
  const declared = header(req.rawHeaders, 'x-amz-content-sha256');
  if (declared !== undefined && declared !== 'UNSIGNED-PAYLOAD' && declared !== bodyHash) {
    throw mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const payloadHashes =
    declared !== undefined ? [declared] : auth.style === 'query' ? [bodyHash, 'UNSIGNED-PAYLOAD'] : [bodyHash];
  const key = signingKey(secret, scopeDate, region, service);
  const stringToSign = (payloadHash: string): string => {
    const canonicalRequest = [
      req.method,
      canonicalUri(req.rawPath),
      canonicalQuery(req.rawQuery, auth.style === 'query' ? 'X-Amz-Signature' : undefined),
      canonicalHeaders(req.rawHeaders, signed),
      signed.join(';'),
      payloadHash,
    ].join('\n');
    return [ALGORITHM, amzDate, `${scopeDate}/${region}/${service}/aws4_request`, sha256Hex(canonicalRequest)].join(
      '\n',
    );
  };
  const provided = Buffer.from(auth.signature.toLowerCase(), 'utf8');
  const matches = payloadHashes.some((hash) => {
    const expected = Buffer.from(hmacHex(key, stringToSign(hash)), 'utf8');
    return expected.length === provided.length && timingSafeEqual(expected, provided);
  });
  if (!matches) {
    throw mismatch(
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }

  const maxSkew = options.maxSkewMs ?? 15 * 60_000;
  const now = options.now;
  if (auth.style === 'query') {
    const expires = auth.expires ?? 900;
    if (!Number.isFinite(expires) || expires < 1 || expires > 604_800) {
      throw incomplete('X-Amz-Expires must be between 1 and 604800 seconds.');
    }
    if (now > signedAt + expires * 1000) {
      throw mismatch(
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - expires * 1000)} ` +
          `(${formatAmzDate(now)} - ${expires} sec.)`,
      );
    }
    if (signedAt - now > maxSkew) {
      throw mismatch(
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + maxSkew)} ` +
          `(${formatAmzDate(now)} + 15 min.)`,
      );
    }
  } else if (now - signedAt > maxSkew) {
    throw mismatch(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - maxSkew)} ` +
        `(${formatAmzDate(now)} - 15 min.)`,
    );
  } else if (signedAt - now > maxSkew) {
    throw mismatch(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + maxSkew)} ` +
        `(${formatAmzDate(now)} + 15 min.)`,
    );
  }
  return { accessKeyId, region, sessionToken: auth.sessionToken, style: auth.style };
}
