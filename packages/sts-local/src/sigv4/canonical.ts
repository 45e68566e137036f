import { createHash, createHmac } from 'node:crypto';

/** RFC 3986 encoding as SigV4 specifies it (encodeURIComponent plus `!'()*`). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The canonical query string: every pair decoded as sent (no `+` → space: SigV4 signers encode
 * spaces as %20), re-encoded, sorted by key then value. `exclude` drops X-Amz-Signature for
 * presigned requests.
 */
export function canonicalQuery(rawQuery: string, exclude?: string): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : safeDecode(part.slice(eq + 1));
    if (key === exclude) continue;
    pairs.push([uriEncode(key), uriEncode(value)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * The canonical URI for non-S3 services: the path as sent on the wire, dot segments and empty
 * segments removed, then URI-encoded once more (SigV4 double-encodes paths outside S3).
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`;
  return uriEncode(normalized).replace(/%2F/g, '/') || '/';
}

/** Header values of each signed header, lower-cased, trimmed, runs of spaces collapsed. */
export function canonicalHeaders(rawHeaders: readonly string[], signed: readonly string[]): string {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const list = values.get(name) ?? [];
    list.push((rawHeaders[i + 1] ?? '').trim().replace(/ +/g, ' '));
    values.set(name, list);
  }
  return signed.map((name) => `${name}:${(values.get(name) ?? []).join(',')}\n`).join('');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** kSigning = HMAC chain over date, region, service and `aws4_request`. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}
