export { fromSamlAssertion, SamlAssertionError } from './fromSamlAssertion';
export type { AssumeRoleWithSamlParams, FromSamlAssertionInit, SamlAssertionSource } from './fromSamlAssertion';
