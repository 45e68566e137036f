import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `aws sso login` keeps of a sign-in (the fields of its cache file; times in epoch ms). */
export interface TokenCacheEntry {
  readonly startUrl: string;
  readonly region: string;
  readonly accessToken: string;
  readonly expiresAt: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly registrationExpiresAt: number;
  /** Only refreshable (sso-session) sign-ins have one. */
  readonly refreshToken: string | undefined;
}

/** `2026-12-06T12:00:00Z`: how the AWS CLI writes times in the cache (strftime `%Y-%m-%dT%H:%M:%SZ`). */
function utcSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The file's name: the SHA-1 (hex) of the sso-session name, or of the start URL for a legacy
 * `sso_start_url` profile — the key both the AWS CLI and the JS SDK look the token up by.
 */
export function tokenCachePath(home: string, cacheKey: string): string {
  return join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(cacheKey).digest('hex')}.json`);
}

/**
 * The file's text, byte for byte as the AWS CLI writes it: Python's `json.dumps` of its dict, keys in
 * the CLI's order, `", "` and `": "` separators, one line, no trailing newline.
 */
export function tokenCacheText(entry: TokenCacheEntry): string {
  const fields: Array<[string, string]> = [
    ['startUrl', entry.startUrl],
    ['region', entry.region],
    ['accessToken', entry.accessToken],
    ['expiresAt', utcSeconds(entry.expiresAt)],
    ['clientId', entry.clientId],
    ['clientSecret', entry.clientSecret],
    ['registrationExpiresAt', utcSeconds(entry.registrationExpiresAt)],
  ];
  if (entry.refreshToken !== undefined) fields.push(['refreshToken', entry.refreshToken]);
  return `{${fields.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ')}}`;
}

/** Writes the cache file under `home` (its `.aws/sso/cache` created as needed), readable by its owner only. */
export function writeTokenCacheFile(home: string, cacheKey: string, entry: TokenCacheEntry): string {
  const path = tokenCachePath(home, cacheKey);
  mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
  // Like the CLI's os.open(O_CREAT, 0o600) then truncate: the mode applies when the file is created.
  writeFileSync(path, tokenCacheText(entry), { mode: 0o600 });
  return path;
}
