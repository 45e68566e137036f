import type {
  AssumeRootCommandInput,
  GetFederationTokenCommandInput,
  GetSessionTokenCommandInput,
} from '@aws-sdk/client-sts';

import { RULES, checkPolicyArns, checkTags, checkTargetPrincipal, checkTaskPolicyArn, field, str } from './fields';
import { allKeys, checkMfaPair, duration, fieldsOf, tokenSize } from './operation';

const ASSUME_ROOT_KEYS = allKeys<AssumeRootCommandInput>()([
  'TargetPrincipal',
  'TaskPolicyArn',
  'DurationSeconds',
  'MinimumSessionTokenSize',
]);

/**
 * Checks AssumeRoot's input: TargetPrincipal (account ID or root user ARN) and TaskPolicyArn (one
 * of AWS's root-task policies) are required; DurationSeconds is 0–900.
 * @throws InvalidParameterError naming the first parameter that breaks a rule
 */
export function validateAssumeRootParams(params: AssumeRootCommandInput): void {
  const f = fieldsOf('AssumeRoot', params, ASSUME_ROOT_KEYS);
  field(f, 'TargetPrincipal', checkTargetPrincipal, true);
  field(f, 'TaskPolicyArn', checkTaskPolicyArn, true);
  field(f, 'DurationSeconds', duration(0, 900));
  field(f, 'MinimumSessionTokenSize', tokenSize);
}

const SESSION_TOKEN_KEYS = allKeys<GetSessionTokenCommandInput>()([
  'DurationSeconds',
  'SerialNumber',
  'TokenCode',
  'MinimumSessionTokenSize',
]);

/**
 * Checks GetSessionToken's input: DurationSeconds 900–129600, SerialNumber, TokenCode (only with
 * SerialNumber). Nothing is required.
 * @throws InvalidParameterError naming the first parameter that breaks a rule
 */
export function validateGetSessionTokenParams(params: GetSessionTokenCommandInput = {}): void {
  const f = fieldsOf('GetSessionToken', params, SESSION_TOKEN_KEYS);
  field(f, 'DurationSeconds', duration(900, 129_600));
  field(f, 'SerialNumber', str(RULES.serialNumber));
  field(f, 'TokenCode', str(RULES.tokenCode));
  checkMfaPair(f);
  field(f, 'MinimumSessionTokenSize', tokenSize);
}

const FEDERATION_TOKEN_KEYS = allKeys<GetFederationTokenCommandInput>()([
  'Name',
  'Policy',
  'PolicyArns',
  'DurationSeconds',
  'Tags',
  'MinimumSessionTokenSize',
]);

/**
 * Checks GetFederationToken's input: Name (2–32 of `[\w+=,.@-]`) is required; DurationSeconds is
 * 900–129600. A request without any session policy is valid (its session has no permissions;
 * providers warn about it).
 * @throws InvalidParameterError naming the first parameter that breaks a rule
 */
export function validateGetFederationTokenParams(params: GetFederationTokenCommandInput): void {
  const f = fieldsOf('GetFederationToken', params, FEDERATION_TOKEN_KEYS);
  field(f, 'Name', str(RULES.federatedName), true);
  field(f, 'DurationSeconds', duration(900, 129_600));
  field(f, 'Policy', str(RULES.policy));
  field(f, 'PolicyArns', checkPolicyArns);
  field(f, 'Tags', checkTags);
  field(f, 'MinimumSessionTokenSize', tokenSize);
}
