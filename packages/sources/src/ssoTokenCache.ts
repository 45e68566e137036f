import { readFile } from 'node:fs/promises';

/** What locates a token cache file: the fromSso options that name a profile, a session or a start URL. */
export interface TokenCacheLookup {
  readonly profile?: string;
  readonly filepath?: string;
  readonly configFilepath?: string;
  readonly ssoSession?: string;
  readonly ssoStartUrl?: string;
}

/** The cache id `aws sso login` files a token under: the sso-session name, else (legacy) the start URL. */
async function cacheIdOf(lookup: TokenCacheLookup): Promise<string | undefined> {
  if (lookup.ssoSession !== undefined) return lookup.ssoSession;
  try {
    const { getProfileName, parseKnownFiles } = await import('@smithy/shared-ini-file-loader');
    const profiles = await parseKnownFiles({ ...lookup, ignoreCache: true });
    const profile = profiles[getProfileName({ ...(lookup.profile === undefined ? {} : { profile: lookup.profile }) })];
    return profile?.sso_session ?? lookup.ssoStartUrl ?? profile?.sso_start_url;
  } catch {
    return lookup.ssoStartUrl;
  }
}

/**
 * Why the SDK found no usable SSO token, read from the cache file itself (the SDK says "not found or
 * is invalid" for all of these): missing, not JSON, or without a field it needs. Names the file,
 * never its content.
 */
export async function diagnoseTokenCache(lookup: TokenCacheLookup): Promise<string> {
  const id = await cacheIdOf(lookup);
  if (id === undefined) return 'no SSO session or start URL to find a cached token for';
  // Loaded on first use, as the SDK's SSO provider is (fromSso.ts).
  const { getSSOTokenFilepath } = await import('@smithy/shared-ini-file-loader');
  const path = getSSOTokenFilepath(id);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOENT'
      ? `no SSO token cached for ${id} (${path} does not exist)`
      : `the SSO token cache file ${path} cannot be read (${String(code)})`;
  }
  let token: unknown;
  try {
    token = JSON.parse(text);
  } catch {
    return `the SSO token cache file ${path} is malformed (not valid JSON)`;
  }
  if (typeof token !== 'object' || token === null) return `the SSO token cache file ${path} is malformed (no object)`;
  const fields = token as Record<string, unknown>;
  for (const field of ['accessToken', 'expiresAt']) {
    if (typeof fields[field] !== 'string') return `the SSO token cache file ${path} is malformed (no ${field})`;
  }
  const refresh = ['clientId', 'clientSecret', 'refreshToken'].filter((f) => typeof fields[f] !== 'string');
  return refresh.length > 0
    ? `the SSO token in ${path} is due for a refresh but has no ${refresh.join(', ')}`
    : `the SSO token in ${path} could not be used`;
}
