// The STS parameter rules live in ./rules/ (one file per group of operations); this is their entry point.
export { defaultRoleSessionName, validateAssumeRoleParams } from './rules/assumeRole';
export { validateAssumeRoleWithSamlParams, validateAssumeRoleWithWebIdentityParams } from './rules/federated';
export type { AssumeRoleWithSamlRuleInput, AssumeRoleWithWebIdentityRuleInput } from './rules/federated';
export {
  validateAssumeRootParams,
  validateGetFederationTokenParams,
  validateGetSessionTokenParams,
} from './rules/tokens';
