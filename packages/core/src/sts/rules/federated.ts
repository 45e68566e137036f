import type { AssumeRoleWithSAMLCommandInput, AssumeRoleWithWebIdentityCommandInput } from '@aws-sdk/client-sts';

import { RULES, checkArn, checkPolicyArns, field, str } from './fields';
import { allKeys, duration, fieldsOf, tokenSize } from './operation';

/**
 * AssumeRoleWithSAML's input as the rules read it: the assertion usually travels beside a provider's
 * `params`, so it is optional here (users write `AssumeRoleWithSamlParams`, without it).
 */
export type AssumeRoleWithSamlRuleInput = Omit<AssumeRoleWithSAMLCommandInput, 'SAMLAssertion'> & {
  SAMLAssertion?: string | undefined;
};

/**
 * AssumeRoleWithWebIdentity's input as the rules read it: the token usually travels beside a
 * provider's `params`, so it is optional here (users write `WebIdentityParams`, without it).
 */
export type AssumeRoleWithWebIdentityRuleInput = Omit<AssumeRoleWithWebIdentityCommandInput, 'WebIdentityToken'> & {
  WebIdentityToken?: string | undefined;
};

const SAML_KEYS = allKeys<AssumeRoleWithSAMLCommandInput>()([
  'RoleArn',
  'PrincipalArn',
  'SAMLAssertion',
  'PolicyArns',
  'Policy',
  'DurationSeconds',
  'MinimumSessionTokenSize',
]);

/**
 * Checks AssumeRoleWithSAML's input. RoleArn and PrincipalArn are required; SAMLAssertion is
 * checked (4–100000 characters) only when present, and never appears in a message.
 * @throws InvalidParameterError naming the first parameter that breaks a rule
 */
export function validateAssumeRoleWithSamlParams(params: AssumeRoleWithSamlRuleInput): void {
  const f = fieldsOf('AssumeRoleWithSAML', params, SAML_KEYS);
  field(f, 'RoleArn', checkArn, true);
  field(f, 'PrincipalArn', checkArn, true);
  field(f, 'SAMLAssertion', str(RULES.samlAssertion));
  // The current reference allows up to the role's maximum session (12 h); older pages said 1 h.
  field(f, 'DurationSeconds', duration(900, 43_200));
  field(f, 'Policy', str(RULES.policy));
  field(f, 'PolicyArns', checkPolicyArns);
  field(f, 'MinimumSessionTokenSize', tokenSize);
}

const WEB_IDENTITY_KEYS = allKeys<AssumeRoleWithWebIdentityCommandInput>()([
  'RoleArn',
  'RoleSessionName',
  'WebIdentityToken',
  'ProviderId',
  'PolicyArns',
  'Policy',
  'DurationSeconds',
  'MinimumSessionTokenSize',
]);

/**
 * Checks AssumeRoleWithWebIdentity's input. RoleArn and RoleSessionName are required;
 * WebIdentityToken is checked (4–20000 characters) only when present, and never appears in a message.
 * @throws InvalidParameterError naming the first parameter that breaks a rule
 */
export function validateAssumeRoleWithWebIdentityParams(params: AssumeRoleWithWebIdentityRuleInput): void {
  const f = fieldsOf('AssumeRoleWithWebIdentity', params, WEB_IDENTITY_KEYS);
  field(f, 'RoleArn', checkArn, true);
  field(f, 'RoleSessionName', str(RULES.roleSessionName), true);
  field(f, 'WebIdentityToken', str(RULES.webIdentityToken));
  field(f, 'ProviderId', str(RULES.providerId));
  // The current reference allows up to the role's maximum session (12 h); older pages said 1 h.
  field(f, 'DurationSeconds', duration(900, 43_200));
  field(f, 'Policy', str(RULES.policy));
  field(f, 'PolicyArns', checkPolicyArns);
  field(f, 'MinimumSessionTokenSize', tokenSize);
}
