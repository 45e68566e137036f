/**
 * STS errors a retry cannot fix: the engine does not retry them in the background (docs/ARCHITECTURE.md,
 * engine rule 5). The SDK names modelled errors `<Code>Exception`, unmodelled ones `<Code>`.
 */
const FINAL_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'InvalidIdentityToken',
  'IDPRejectedClaim',
  'MalformedPolicyDocument',
  'PackedPolicyTooLarge',
  'RegionDisabled',
  'ValidationError',
]);

/** True when retrying `error` cannot succeed: STS's final codes, and errors marked `final: true`. */
export function isFinalError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { final?: unknown; name?: unknown; Code?: unknown; code?: unknown };
  if (e.final === true) return true;
  for (const candidate of [e.Code, e.code, e.name]) {
    if (typeof candidate !== 'string') continue;
    const code = candidate.endsWith('Exception') ? candidate.slice(0, -'Exception'.length) : candidate;
    if (FINAL_CODES.has(code)) return true;
  }
  return false;
}
