import { InvalidParameterError } from '../../errors';
import {
  checkArray,
  checkKeys,
  checkObject,
  checkString,
  excerpt,
  isAbsent,
  type Fields,
  type StringRule,
} from './check';

// Lengths, counts and character sets below are the STS API reference's (see /shared/seeds and the
// SDK's model docs). Each rule's text is what the error says, so it reads as the reference does.

const ARN_CHAR = /^[\t\n\r\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]$/u;
const NAME_CHAR = /^[\w+=,.@-]$/u;
const TAG_CHAR = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]$/u;
const TAG_SET = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]';

export const RULES = {
  arn: { min: 20, max: 2048, char: ARN_CHAR, rule: 'must be an ARN of 20–2048 characters' },
  roleSessionName: { min: 2, max: 64, char: NAME_CHAR, rule: 'must match [\\w+=,.@-]{2,64}' },
  sourceIdentity: { min: 2, max: 64, char: NAME_CHAR, rule: 'must match [\\w+=,.@-]{2,64}' },
  federatedName: { min: 2, max: 32, char: NAME_CHAR, rule: 'must match [\\w+=,.@-]{2,32}' },
  // Often handed out like a passphrase, so kept out of messages although STS does not call it secret.
  externalId: {
    min: 2,
    max: 1224,
    char: /^[\w+=,.@:/-]$/u,
    rule: 'must match [\\w+=,.@:/-]{2,1224}',
    secret: true,
  },
  serialNumber: { min: 9, max: 256, char: /^[\w+=/:,.@-]$/u, rule: 'must match [\\w+=/:,.@-]{9,256}' },
  tokenCode: { min: 6, max: 6, char: /^\d$/u, rule: 'must be exactly 6 digits', secret: true },
  policy: {
    min: 1,
    max: 2048,
    char: /^[\t\n\r\u0020-\u00FF]$/u,
    rule: 'must be 1–2048 characters of tab, LF, CR and \\u0020–\\u00FF',
    secret: true,
  },
  tagKey: { min: 1, max: 128, char: TAG_CHAR, rule: `must be 1–128 characters of ${TAG_SET}` },
  tagValue: { min: 0, max: 256, char: TAG_CHAR, rule: `must be 0–256 characters of ${TAG_SET}` },
  providerId: { min: 4, max: 2048, rule: 'must be 4–2048 characters' },
  contextAssertion: { min: 4, max: 2048, rule: 'must be 4–2048 characters', secret: true },
  samlAssertion: { min: 4, max: 100_000, rule: 'must be 4–100000 characters', secret: true },
  webIdentityToken: { min: 4, max: 20_000, rule: 'must be 4–20000 characters', secret: true },
  targetPrincipal: {
    min: 12,
    max: 2048,
    rule: 'must be a 12-digit account ID or a root user ARN (arn:aws:iam::123456789012:root)',
  },
} as const satisfies Record<string, StringRule>;

// partition:service:region:account:resource — region and account may be empty (IAM ARNs).
const ARN_SHAPE = /^arn:[^:\s]+:[^:\s]+:[^:]*:[^:]*:.+$/su;

/** RoleArn, PrincipalArn, PolicyArns[i].arn, ProviderArn: the reference's length and set, plus ARN form. */
export function checkArn(name: string, value: unknown): void {
  const arn = checkString(name, value, RULES.arn);
  if (!ARN_SHAPE.test(arn)) {
    throw new InvalidParameterError(
      name,
      `must be an ARN (arn:partition:service:region:account:resource) (got ${excerpt(arn)})`,
    );
  }
}

export function checkSourceIdentity(name: string, value: unknown): void {
  // Checked before the pattern, which also refuses ':', so the message says why.
  if (typeof value === 'string' && value.toLowerCase().startsWith('aws:')) {
    throw new InvalidParameterError(name, 'must not begin with aws: (reserved for AWS)');
  }
  checkString(name, value, RULES.sourceIdentity);
}

/** PolicyArns: up to 10 `{ arn }` descriptors. */
export function checkPolicyArns(name: string, value: unknown): void {
  const items = checkArray(name, value, 10, 'ARNs');
  items.forEach((item, i) => checkPolicyDescriptor(`${name}[${i}]`, item));
}

export function checkPolicyDescriptor(name: string, value: unknown): string {
  const descriptor = checkObject(name, value, 'an object { arn }');
  checkKeys(`${name}.`, descriptor, ['arn'], 'a field of PolicyDescriptorType');
  if (isAbsent(descriptor.arn)) throw new InvalidParameterError(`${name}.arn`, 'is required');
  checkArn(`${name}.arn`, descriptor.arn);
  return descriptor.arn as string;
}

/**
 * Tags: up to 50 `{ Key, Value }`. Keys are compared case-insensitively because STS stores
 * `Department` and `department` as one tag, and refuses a request that names both.
 */
export function checkTags(name: string, value: unknown): void {
  const items = checkArray(name, value, 50, 'tags');
  const seen = new Map<string, { key: string; index: number }>();
  items.forEach((item, i) => {
    const at = `${name}[${i}]`;
    const tag = checkObject(at, item, 'an object { Key, Value }');
    checkKeys(`${at}.`, tag, ['Key', 'Value'], 'a field of Tag');
    if (isAbsent(tag.Key)) throw new InvalidParameterError(`${at}.Key`, 'is required');
    if (isAbsent(tag.Value)) throw new InvalidParameterError(`${at}.Value`, 'is required');
    const key = checkString(`${at}.Key`, tag.Key, RULES.tagKey);
    checkString(`${at}.Value`, tag.Value, RULES.tagValue);
    const folded = key.toLowerCase();
    const first = seen.get(folded);
    if (first !== undefined) {
      throw new InvalidParameterError(
        name,
        `has duplicate keys (case-insensitive): ${first.key} (${name}[${first.index}] and ${at}${
          key === first.key ? '' : ` ${JSON.stringify(key)}`
        })`,
      );
    }
    seen.set(folded, { key, index: i });
  });
}

/**
 * TransitiveTagKeys: up to 50 tag keys. The reference sets no rule tying them to `Tags` (a key may
 * name a tag inherited from the calling session), so only the key rules apply.
 */
export function checkTransitiveTagKeys(name: string, value: unknown): void {
  const items = checkArray(name, value, 50, 'tag keys');
  items.forEach((item, i) => checkString(`${name}[${i}]`, item, RULES.tagKey));
}

/** ProvidedContexts: up to 5 `{ ProviderArn, ContextAssertion }`. */
export function checkProvidedContexts(name: string, value: unknown): void {
  const items = checkArray(name, value, 5, 'contexts');
  items.forEach((item, i) => {
    const at = `${name}[${i}]`;
    const context = checkObject(at, item, 'an object { ProviderArn, ContextAssertion }');
    checkKeys(`${at}.`, context, ['ProviderArn', 'ContextAssertion'], 'a field of ProvidedContext');
    if (isAbsent(context.ProviderArn)) throw new InvalidParameterError(`${at}.ProviderArn`, 'is required');
    if (isAbsent(context.ContextAssertion)) {
      throw new InvalidParameterError(`${at}.ContextAssertion`, 'is required');
    }
    checkArn(`${at}.ProviderArn`, context.ProviderArn);
    checkString(`${at}.ContextAssertion`, context.ContextAssertion, RULES.contextAssertion);
  });
}

const ROOT_TASKS = [
  'IAMAuditRootUserCredentials',
  'IAMCreateRootUserPassword',
  'IAMDeleteRootUserCredentials',
  'S3UnlockBucketPolicy',
  'SQSUnlockQueuePolicy',
] as const;
// The `aws` account's root-task policies, in any partition (aws, aws-cn, aws-us-gov, …).
const ROOT_TASK_ARN = new RegExp(`^arn:aws(?:-[a-z]+)*:iam::aws:policy/root-task/(?:${ROOT_TASKS.join('|')})$`);

/** AssumeRoot's TaskPolicyArn: `{ arn }`, one of AWS's root-task managed policies. */
export function checkTaskPolicyArn(name: string, value: unknown): void {
  const arn = checkPolicyDescriptor(name, value);
  if (!ROOT_TASK_ARN.test(arn)) {
    throw new InvalidParameterError(
      `${name}.arn`,
      `must be arn:aws:iam::aws:policy/root-task/ followed by one of ${ROOT_TASKS.join(', ')} (got ${excerpt(arn)})`,
    );
  }
}

const TARGET_PRINCIPAL = /^(?:\d{12}|arn:aws(?:-[a-z]+)*:iam::\d{12}:root)$/;

/** AssumeRoot's TargetPrincipal: the member account's ID or its root user's ARN. */
export function checkTargetPrincipal(name: string, value: unknown): void {
  const principal = checkString(name, value, RULES.targetPrincipal);
  if (!TARGET_PRINCIPAL.test(principal)) {
    throw new InvalidParameterError(name, `${RULES.targetPrincipal.rule} (got ${excerpt(principal)})`);
  }
}

/** A check applied to one parameter. */
export type Check = (name: string, value: unknown) => void;

/** Adapts a string rule to a `Check`. */
export const str =
  (rule: StringRule): Check =>
  (name, value) => {
    checkString(name, value, rule);
  };

/** Runs `check` on `fields[key]` when present; a required one that is absent is an error. */
export function field(fields: Fields, key: string, check: Check, required = false): void {
  const value = fields[key];
  if (isAbsent(value)) {
    if (required) throw new InvalidParameterError(key, 'is required');
    return;
  }
  check(key, value);
}
