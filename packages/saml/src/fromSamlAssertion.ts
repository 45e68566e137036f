import { AssumeRoleWithSAMLCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleWithSAMLCommandInput } from '@aws-sdk/client-sts';
import { CredchainError, createRefreshingProvider } from '@credchain/core';
import {
  callbackSource,
  fingerprint,
  frozenParams,
  oncePerFetch,
  providerKit,
  refuseSourceCredentials,
  sendSts,
  toTemporaryCredentials,
  validateAssumeRoleWithSamlParams,
} from '@credchain/core/provider-kit';
import type {
  CredentialProvider,
  FetchContext,
  TemporaryCredentials,
  UnsignedStsProviderOptions,
} from '@credchain/core';

/** AssumeRoleWithSAML's input as `@aws-sdk/client-sts` types it, without the assertion. */
export type AssumeRoleWithSamlParams = Omit<AssumeRoleWithSAMLCommandInput, 'SAMLAssertion'>;

/** A base64 SAML response, or a function that fetches a fresh one from the identity provider. */
export type SamlAssertionSource = string | (() => Promise<string>);

export interface FromSamlAssertionInit extends UnsignedStsProviderOptions {
  /** AssumeRoleWithSAML's parameters: RoleArn, PrincipalArn, Policy, PolicyArns, DurationSeconds. */
  readonly params: AssumeRoleWithSamlParams;
  /**
   * The base64-encoded SAML response of the identity provider, or an async function returning a
   * fresh one, called once per fetch. IdPs make assertions valid for minutes only (often 5), so a
   * string serves the first fetch and typically fails every refresh after it; pass a function in
   * anything that runs longer than the credentials last.
   */
  readonly samlAssertion: SamlAssertionSource;
}

/** The `samlAssertion` callback failed or gave something that is not an assertion. */
export class SamlAssertionError extends CredchainError {
  override name = 'SamlAssertionError';
}

const NAME = 'saml';
const OPERATION = 'AssumeRoleWithSAML';

/**
 * Credentials of an IAM role assumed with a SAML assertion (STS AssumeRoleWithSAML), cached and
 * refreshed in the background; a callback `samlAssertion` is asked for a new assertion at each
 * refresh. The call is unsigned: no source credentials are needed or accepted.
 *
 * ```ts
 * const credentials = fromSamlAssertion({
 *   params: {
 *     RoleArn: 'arn:aws:iam::123456789012:role/analyst',
 *     PrincipalArn: 'arn:aws:iam::123456789012:saml-provider/corp',
 *   },
 *   samlAssertion: () => idp.fetchSamlResponse(),
 * });
 * ```
 */
export function fromSamlAssertion(init: FromSamlAssertionInit): CredentialProvider {
  const params = frozenParams(init, {
    operation: OPERATION,
    fields: 'RoleArn, PrincipalArn, …',
    elsewhere: { SAMLAssertion: 'samlAssertion' },
  });
  refuseSourceCredentials(init, OPERATION, 'the SAML assertion');
  const source: unknown = init.samlAssertion;
  validateAssumeRoleWithSamlParams(typeof source === 'string' ? { ...params, SAMLAssertion: source } : params);
  const { logger, engine, sts } = providerKit(NAME, init, params.DurationSeconds, {
    unsigned: true,
    // A store entry is shared only by processes that present the same assertion (read once per fetch).
    storeKey: {
      operation: OPERATION,
      params,
      principal: async (context: FetchContext): Promise<string> => fingerprint('saml', await assertionOnce(context)),
    },
  });
  const assertion = callbackSource(source, {
    provider: NAME,
    option: 'samlAssertion',
    what: 'a non-empty base64 SAML response',
    error: SamlAssertionError,
    check: (SAMLAssertion) => validateAssumeRoleWithSamlParams({ ...params, SAMLAssertion }),
    logger,
  });

  const assertionOnce: (context: FetchContext) => Promise<string> = oncePerFetch(assertion);

  const fetch = (context: FetchContext): Promise<TemporaryCredentials> =>
    sts.use(context.callerClientConfig, async (client) => {
      const input: AssumeRoleWithSAMLCommandInput = { ...params, SAMLAssertion: await assertionOnce(context) };
      const out = await sendSts(OPERATION, () => client.send(new AssumeRoleWithSAMLCommand(input)));
      return toTemporaryCredentials(OPERATION, out.Credentials, 'role-session', out.AssumedRoleUser?.Arn);
    });

  return createRefreshingProvider(fetch, engine);
}
