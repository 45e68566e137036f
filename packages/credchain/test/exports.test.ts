import * as core from '@credchain/core';
import * as providerKit from '@credchain/core/provider-kit';
import * as credchain from '../src';

// The public API is a promise (docs/ARCHITECTURE.md, "Contracts"): these lists are that promise, run-time
// names only (types leave nothing at run time). A name added to or dropped from either root shows here
// as a diff to review, not as a side effect of an `export *`.

const runTimeNames = (module: object): string[] => Object.keys(module).sort();

/** `@credchain/core`: what users pass, receive or catch. */
const CORE_ROOT = [
  'ChainExhaustedError',
  'CredchainError',
  'CredentialsExpiredError',
  'InvalidCredentialsError',
  'InvalidMfaCodeError',
  'InvalidParameterError',
  'InvalidSourceCredentialsError',
  'MFA_CODE_PERIOD_SECONDS',
  'MfaCodeRejectedError',
  'MfaCodeReusedError',
  'MfaPromptUnavailableError',
  'StsError',
  'chain',
  'createProviderPool',
  'createRefreshingProvider',
  'credentialRecoveryPlugin',
  'defaultAdvisoryWindowMs',
  'isFinalError',
  'promptCodeProvider',
  'totpCodeProvider',
  'withCredentialRecovery',
];

/** `credchain`: core's root and every provider, with the errors users catch from them. */
const UMBRELLA = [
  ...CORE_ROOT,
  'CredentialProcessError',
  'CredentialSourceError',
  'ENV_ROLE_ARN',
  'ENV_ROLE_SESSION_NAME',
  'ENV_TOKEN_FILE',
  'ProfileConfigError',
  'ProfileNotFoundError',
  'SamlAssertionError',
  'WebIdentityTokenError',
  'WebIdentityTokenFileError',
  'awsCliCacheStore',
  'fromAssumeRole',
  'fromAssumeRoot',
  'fromContainerMetadata',
  'fromDefaultChain',
  'fromEnv',
  'fromFederationToken',
  'fromInstanceMetadata',
  'fromProcess',
  'fromProfile',
  'fromSamlAssertion',
  'fromSso',
  'fromSessionToken',
  'fromWebIdentity',
].sort();

describe('the public API', () => {
  test("core's root exports exactly what users pass, receive or catch", () => {
    expect(runTimeNames(core)).toEqual(CORE_ROOT);
  });

  test("the umbrella exports exactly the providers and core's root", () => {
    expect(runTimeNames(credchain)).toEqual(UMBRELLA);
  });

  test('plumbing lives only behind @credchain/core/provider-kit, never at a root as well', () => {
    const kit = runTimeNames(providerKit);
    expect(kit).toEqual(expect.arrayContaining(['providerKit', 'sendSts', 'stsClientGetter', 'frozenParams']));
    expect(kit.filter((name) => name in core || name in credchain)).toEqual([]);
  });
});
