import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';

import {
  RULES,
  checkArn,
  checkPolicyArns,
  checkProvidedContexts,
  checkSourceIdentity,
  checkTags,
  checkTransitiveTagKeys,
  field,
  str,
} from './fields';
import { allKeys, checkMfaPair, duration, fieldsOf, tokenSize } from './operation';

const ASSUME_ROLE_KEYS = allKeys<AssumeRoleCommandInput>()([
  'RoleArn',
  'RoleSessionName',
  'PolicyArns',
  'Policy',
  'DurationSeconds',
  'Tags',
  'TransitiveTagKeys',
  'ExternalId',
  'SerialNumber',
  'TokenCode',
  'SourceIdentity',
  'ProvidedContexts',
  'MinimumSessionTokenSize',
]);

/**
 * Checks AssumeRole's input against the STS API reference. RoleArn and RoleSessionName are
 * required (see {@link defaultRoleSessionName}); SerialNumber without TokenCode is accepted, since
 * providers ask their `mfaCodeProvider` for the code.
 * @throws InvalidParameterError naming the first parameter that breaks a rule
 */
export function validateAssumeRoleParams(params: AssumeRoleCommandInput): void {
  const f = fieldsOf('AssumeRole', params, ASSUME_ROLE_KEYS);
  field(f, 'RoleArn', checkArn, true);
  field(f, 'RoleSessionName', str(RULES.roleSessionName), true);
  field(f, 'DurationSeconds', duration(900, 43_200));
  field(f, 'ExternalId', str(RULES.externalId));
  field(f, 'SerialNumber', str(RULES.serialNumber));
  field(f, 'TokenCode', str(RULES.tokenCode));
  checkMfaPair(f);
  field(f, 'Policy', str(RULES.policy));
  field(f, 'PolicyArns', checkPolicyArns);
  field(f, 'Tags', checkTags);
  field(f, 'TransitiveTagKeys', checkTransitiveTagKeys);
  field(f, 'SourceIdentity', checkSourceIdentity);
  field(f, 'ProvidedContexts', checkProvidedContexts);
  field(f, 'MinimumSessionTokenSize', tokenSize);
}

/**
 * The RoleSessionName providers use when the caller gives none: `credchain-<ms since epoch>`,
 * valid for any clock reading (a clock gone wrong yields `credchain-0`, not an invalid name).
 */
export function defaultRoleSessionName(now: number): string {
  const ms = Number.isFinite(now) && now > 0 ? Math.floor(now) : 0;
  // Huge readings print as "1.2e+25": still characters of [\w+=,.@-], and never past 64.
  return `credchain-${String(ms)}`;
}
