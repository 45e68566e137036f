import { MalformedPolicy } from './policyErrors';
import { StsErrorResponse, validationError } from '../protocol/StsErrorResponse';
import { readList, type Params } from '../protocol/params';

/** Parameters whose values are secrets: never echoed in messages, redacted in the call log. */
export const SECRET_PARAMS: ReadonlySet<string> = new Set(['TokenCode', 'SAMLAssertion', 'WebIdentityToken']);

/** STS's validator names members in camelCase (`roleSessionName`, `sAMLAssertion`). */
function member(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** ProvidedContexts' assertions are signed tokens from a context provider: never echoed either. */
function isSecretField(name: string, field: string): boolean {
  return SECRET_PARAMS.has(name) || field.endsWith('.contextAssertion');
}

function quote(name: string, value: string, field: string): string {
  if (isSecretField(name, field)) return 'Value';
  const shown = value.length > 128 ? `${value.slice(0, 128)}…` : value;
  return `Value '${shown}'`;
}

function constraint(name: string, value: string | null, rule: string, field = member(name)): StsErrorResponse {
  const shown = value === null ? 'Value null' : quote(name, value, field);
  return validationError(`1 validation error detected: ${shown} at '${field}' failed to satisfy constraint: ${rule}`);
}

/** A required parameter's value, or STS's "must not be null". */
export function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw constraint(name, null, 'Member must not be null');
  return value;
}

/** Length and pattern checks of one string parameter, in STS's wording. */
export function checkString(
  name: string,
  value: string,
  rule: { min?: number; max?: number; pattern?: RegExp; patternText?: string },
  field?: string,
): string {
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min) {
    throw constraint(name, value, `Member must have length greater than or equal to ${rule.min}`, field);
  }
  if (rule.max !== undefined && length > rule.max) {
    throw constraint(name, value, `Member must have length less than or equal to ${rule.max}`, field);
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    throw constraint(
      name,
      value,
      `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
      field,
    );
  }
  return value;
}

/** An optional string parameter checked like {@link checkString}. */
export function optionalString(
  params: Params,
  name: string,
  rule: { min?: number; max?: number; pattern?: RegExp; patternText?: string },
): string | undefined {
  const value = params.get(name);
  return value === undefined ? undefined : checkString(name, value, rule);
}

/** DurationSeconds: an integer within the operation's documented range, or its default. */
export function durationSeconds(params: Params, min: number, max: number, fallback: number): number {
  const raw = params.get('DurationSeconds');
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw constraint('DurationSeconds', raw, 'Member must be an integer');
  const value = Number(raw);
  if (value < min) throw constraint('DurationSeconds', raw, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint('DurationSeconds', raw, `Member must have value less than or equal to ${max}`);
  return value;
}

const WORD_CHARS = /^[\w+=,.@-]*$/;
export const PATTERNS = {
  roleSessionName: { min: 2, max: 64, pattern: WORD_CHARS, patternText: '[\\w+=,.@-]*' },
  federatedName: { min: 2, max: 32, pattern: WORD_CHARS, patternText: '[\\w+=,.@-]*' },
  sourceIdentity: { min: 2, max: 64, pattern: WORD_CHARS, patternText: '[\\w+=,.@-]*' },
  externalId: { min: 2, max: 1224, pattern: /^[\w+=,.@:/-]*$/, patternText: '[\\w+=,.@:\\/-]*' },
  serialNumber: { min: 9, max: 256, pattern: /^[\w+=/:,.@-]*$/, patternText: '[\\w+=/:,.@-]*' },
  tokenCode: { min: 6, max: 6, pattern: /^\d*$/, patternText: '[\\d]*' },
  arn: { min: 20, max: 2048 },
  tagKey: {
    min: 1,
    max: 128,
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
    patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
  },
  tagValue: {
    min: 0,
    max: 256,
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
  },
} as const;

/** SourceIdentity: the word pattern, and never the reserved `aws:` prefix. */
export function sourceIdentity(params: Params): string | undefined {
  const value = optionalString(params, 'SourceIdentity', PATTERNS.sourceIdentity);
  if (value !== undefined && value.toLowerCase().startsWith('aws:')) {
    throw validationError("SourceIdentity must not begin with the reserved prefix 'aws:'");
  }
  return value;
}

// STS's pattern for a policy, as its error message quotes it. The RegExp is built from that text: it
// must match tab, LF and CR, control characters a regular expression literal may not name (no-control-regex).
const POLICY_PATTERN_TEXT = String.raw`[\u0009\u000A\u000D\u0020-\u00FF]+`;
const POLICY_PATTERN = new RegExp(`^${POLICY_PATTERN_TEXT}$`);

/** The inline session policy: ≤ 2048 characters of \u0009\u000A\u000D\u0020-\u00FF, valid JSON. */
export function policy(params: Params): string | undefined {
  const value = params.get('Policy');
  if (value === undefined) return undefined;
  checkString('Policy', value, {
    min: 1,
    max: 2048,
    pattern: POLICY_PATTERN,
    patternText: POLICY_PATTERN_TEXT,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new MalformedPolicy('Syntax errors in policy.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('Statement' in parsed)) {
    throw new MalformedPolicy('Policy document must contain a Statement.');
  }
  return value;
}

/** PolicyArns.member.N.arn: at most 10 managed policy ARNs. */
export function policyArns(params: Params): string[] {
  const list = readList(params, 'PolicyArns');
  if (list.length > 10) {
    throw constraint('PolicyArns', `[${list.length} items]`, 'Member must have length less than or equal to 10');
  }
  return list.map((entry, i) =>
    checkString('PolicyArns', entry['arn'] ?? '', PATTERNS.arn, `policyArns.${i + 1}.member.arn`),
  );
}

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** Tags.member.N: ≤ 50, key ≤ 128, value ≤ 256, keys unique ignoring case. */
export function tags(params: Params): Tag[] {
  const list = readList(params, 'Tags');
  if (list.length > 50)
    throw constraint('Tags', `[${list.length} items]`, 'Member must have length less than or equal to 50');
  const seen = new Set<string>();
  return list.map((entry, i) => {
    const Key = checkString('Tags', entry['Key'] ?? '', PATTERNS.tagKey, `tags.${i + 1}.member.key`);
    const Value = checkString('Tags', entry['Value'] ?? '', PATTERNS.tagValue, `tags.${i + 1}.member.value`);
    const lower = Key.toLowerCase();
    if (seen.has(lower)) {
      throw validationError('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }
    seen.add(lower);
    return { Key, Value };
  });
}

/** TransitiveTagKeys.member.N: ≤ 50 keys, each one of the session tags passed. */
export function transitiveTagKeys(params: Params, sessionTags: readonly Tag[]): string[] {
  const list = readList(params, 'TransitiveTagKeys');
  if (list.length > 50) {
    throw constraint('TransitiveTagKeys', `[${list.length} items]`, 'Member must have length less than or equal to 50');
  }
  const keys = new Set(sessionTags.map((t) => t.Key.toLowerCase()));
  return list.map((entry, i) => {
    const key = checkString('TransitiveTagKeys', entry[''] ?? '', PATTERNS.tagKey, `transitiveTagKeys.${i + 1}.member`);
    if (!keys.has(key.toLowerCase())) {
      throw validationError(`Transitive tag key ${key} is not one of the session tag keys passed in the request.`);
    }
    return key;
  });
}

/** ProvidedContexts.member.N: at most 5 trusted context assertions. */
export function providedContexts(params: Params): Array<{ ProviderArn: string; ContextAssertion: string }> {
  const list = readList(params, 'ProvidedContexts');
  if (list.length > 5) {
    throw constraint('ProvidedContexts', `[${list.length} items]`, 'Member must have length less than or equal to 5');
  }
  return list.map((entry, i) => ({
    ProviderArn: checkString(
      'ProvidedContexts',
      entry['ProviderArn'] ?? '',
      PATTERNS.arn,
      `providedContexts.${i + 1}.member.providerArn`,
    ),
    ContextAssertion: checkString(
      'ProvidedContexts',
      entry['ContextAssertion'] ?? '',
      { min: 4, max: 2048 },
      `providedContexts.${i + 1}.member.contextAssertion`,
    ),
  }));
}
