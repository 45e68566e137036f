import {
  ATTR_PRINCIPAL_TAG_PREFIX,
  ATTR_ROLE,
  ATTR_ROLE_SESSION_NAME,
  ATTR_SESSION_DURATION,
  ATTR_SOURCE_IDENTITY,
  ATTR_TRANSITIVE_TAG_KEYS,
  NS_ASSERTION,
} from './constants';
import { SamlVerificationError } from './SamlVerificationError';
import { childElements, textOf } from './xml';

/** The AWS attributes of an assertion, checked the way STS checks them. */
export interface AwsSamlAttributes {
  roles: Array<{ roleArn: string; principalArn: string }>;
  roleSessionName: string;
  sessionDuration?: number;
  sourceIdentity?: string;
  tags: Array<{ Key: string; Value: string }>;
  transitiveTagKeys: string[];
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const SAML_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:saml-provider\/[\w.-]{1,128}$/;
// The pattern and wording AWS reports for a bad RoleSessionName attribute.
const ROLE_SESSION_NAME = /^[a-zA-Z_0-9+=,.@-]{2,64}$/;
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const MAX_TAGS = 50;

const refuse = (message: string): SamlVerificationError => new SamlVerificationError('InvalidIdentityToken', message);

/** Reads the `https://aws.amazon.com/SAML/Attributes/…` attributes of a (signed) Assertion. */
export function readAwsAttributes(assertion: Element): AwsSamlAttributes {
  const values = new Map<string, string[]>();
  for (const statement of childElements(assertion, NS_ASSERTION, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS_ASSERTION, 'Attribute')) {
      const name = attribute.getAttribute('Name') ?? '';
      const list = values.get(name) ?? [];
      list.push(...childElements(attribute, NS_ASSERTION, 'AttributeValue').map(textOf));
      values.set(name, list);
    }
  }

  const single = (name: string, label: string): string | undefined => {
    const list = values.get(name);
    if (list === undefined) return undefined;
    if (list.length !== 1) throw refuse(`${label} in AuthnResponse must have exactly one value`);
    return list[0];
  };

  const roleValues = values.get(ATTR_ROLE);
  if (roleValues === undefined || roleValues.length === 0) {
    throw refuse(`The SAML assertion has no ${ATTR_ROLE} attribute`);
  }
  const roles = roleValues.flatMap(parseRoleValue);
  if (roles.length === 0) {
    throw refuse(`No value of ${ATTR_ROLE} is a "role ARN,SAML provider ARN" pair`);
  }

  const roleSessionName = single(ATTR_ROLE_SESSION_NAME, 'RoleSessionName');
  if (roleSessionName === undefined) throw refuse('RoleSessionName is required in AuthnResponse');
  if (!ROLE_SESSION_NAME.test(roleSessionName)) {
    throw refuse('RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}');
  }

  const durationText = single(ATTR_SESSION_DURATION, 'SessionDuration');
  let sessionDuration: number | undefined;
  if (durationText !== undefined) {
    sessionDuration = /^\d{1,6}$/.test(durationText) ? Number(durationText) : Number.NaN;
    if (!(sessionDuration >= 900 && sessionDuration <= 43200)) {
      throw refuse('SessionDuration in AuthnResponse must be an integer from 900 to 43200');
    }
  }

  const sourceIdentity = single(ATTR_SOURCE_IDENTITY, 'SourceIdentity');
  if (sourceIdentity !== undefined && (!SOURCE_IDENTITY.test(sourceIdentity) || /^aws:/i.test(sourceIdentity))) {
    throw refuse('SourceIdentity in AuthnResponse must match [\\w+=,.@-]{2,64} and must not start with "aws:"');
  }

  const tags: Array<{ Key: string; Value: string }> = [];
  const tagKeys = new Set<string>();
  for (const [name] of values) {
    if (!name.startsWith(ATTR_PRINCIPAL_TAG_PREFIX)) continue;
    const key = name.slice(ATTR_PRINCIPAL_TAG_PREFIX.length);
    const value = single(name, `PrincipalTag:${key}`) ?? '';
    if (!TAG_KEY.test(key) || !TAG_VALUE.test(value)) {
      throw refuse(
        'PrincipalTag attributes in AuthnResponse must have a key of 1-128 and a value of 0-256 allowed characters',
      );
    }
    // Tag keys are case-insensitive in AWS: two spellings of one key would be one tag twice.
    if (tagKeys.has(key.toLowerCase()))
      throw refuse('PrincipalTag keys in AuthnResponse must be unique (case-insensitively)');
    tagKeys.add(key.toLowerCase());
    tags.push({ Key: key, Value: value });
  }
  if (tags.length > MAX_TAGS) throw refuse(`AuthnResponse may carry at most ${MAX_TAGS} PrincipalTag attributes`);

  const transitiveTagKeys = values.get(ATTR_TRANSITIVE_TAG_KEYS) ?? [];
  const result: AwsSamlAttributes = { roles, roleSessionName, tags, transitiveTagKeys };
  if (sessionDuration !== undefined) result.sessionDuration = sessionDuration;
  if (sourceIdentity !== undefined) result.sourceIdentity = sourceIdentity;
  return result;
}

/**
 * A Role value is "roleArn,principalArn" in either order, as IdPs differ; spaces around the comma
 * are tolerated. A value that is not such a pair is skipped, as AWS offers only the usable ones.
 */
function parseRoleValue(value: string): Array<{ roleArn: string; principalArn: string }> {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 2) return [];
  const [a = '', b = ''] = parts;
  if (ROLE_ARN.test(a) && SAML_PROVIDER_ARN.test(b)) return [{ roleArn: a, principalArn: b }];
  if (ROLE_ARN.test(b) && SAML_PROVIDER_ARN.test(a)) return [{ roleArn: b, principalArn: a }];
  return [];
}
