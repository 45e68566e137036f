import { AssumeRoleWithSAMLCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleWithSAMLCommandInput } from '@aws-sdk/client-sts';
import {
  CredchainError,
  InvalidParameterError,
  createRefreshingProvider,
  describeError,
  providerKit,
  sendSts,
  toTemporaryCredentials,
  unsignedStsClientGetter,
  validateAssumeRoleWithSamlParams,
} from '@credchain/core';
import type { CredentialProvider, StsProviderOptions, TemporaryCredentials } from '@credchain/core';

/** AssumeRoleWithSAML's input as `@aws-sdk/client-sts` types it, without the assertion. */
export type AssumeRoleWithSamlParams = Omit<AssumeRoleWithSAMLCommandInput, 'SAMLAssertion'>;

/** A base64 SAML response, or a function that fetches a fresh one from the identity provider. */
export type SamlAssertionSource = string | (() => Promise<string>);

export interface FromSamlAssertionInit extends Omit<StsProviderOptions, 'sourceCredentials' | 'masterCredentials'> {
  /** AssumeRoleWithSAML's parameters: RoleArn, PrincipalArn, Policy, PolicyArns, DurationSeconds. */
  readonly params: AssumeRoleWithSamlParams;
  /**
   * The base64-encoded SAML response of the identity provider, or an async function returning a
   * fresh one, called once per fetch. IdPs make assertions valid for minutes only (often 5), so a
   * string serves the first fetch and typically fails every refresh after it; pass a function in
   * anything that runs longer than the credentials last.
   */
  readonly samlAssertion: SamlAssertionSource;
  /** Refused: AssumeRoleWithSAML is an unsigned call, the assertion is the proof. */
  readonly sourceCredentials?: never;
  /** Refused, like `sourceCredentials`. */
  readonly masterCredentials?: never;
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
 *   params: { RoleArn: 'arn:aws:iam::123456789012:role/analyst', PrincipalArn: 'arn:aws:iam::123456789012:saml-provider/corp' },
 *   samlAssertion: () => idp.fetchSamlResponse(),
 * });
 * ```
 */
export function fromSamlAssertion(init: FromSamlAssertionInit): CredentialProvider {
  if (typeof init !== 'object' || init === null) {
    throw new InvalidParameterError('init', 'must be an options object with params and samlAssertion');
  }
  if (typeof init.params !== 'object' || init.params === null) {
    throw new InvalidParameterError('params', 'must be the AssumeRoleWithSAML input object (RoleArn, PrincipalArn, …)');
  }
  for (const key of ['sourceCredentials', 'masterCredentials'] as const) {
    if ((init as unknown as Record<string, unknown>)[key] !== undefined) {
      throw new InvalidParameterError(
        key,
        'is not accepted: AssumeRoleWithSAML is an unsigned call, the SAML assertion is the proof',
      );
    }
  }
  const source: unknown = init.samlAssertion;
  if (typeof source !== 'string' && typeof source !== 'function') {
    throw new InvalidParameterError(
      'samlAssertion',
      'must be a base64 SAML response or an async function returning one',
    );
  }
  if ('SAMLAssertion' in init.params) {
    throw new InvalidParameterError('params.SAMLAssertion', 'is not accepted: pass the assertion as samlAssertion');
  }
  const params: AssumeRoleWithSamlParams = { ...init.params };
  validateAssumeRoleWithSamlParams(typeof source === 'string' ? { ...params, SAMLAssertion: source } : params);
  const getClient = unsignedStsClientGetter(init);
  const { logger, engine } = providerKit(NAME, init, init.params.DurationSeconds);

  const assertion = async (): Promise<string> => {
    if (typeof source === 'string') return source;
    logger.debug(`credchain:${NAME} - asking the samlAssertion callback for a fresh assertion`);
    let value: unknown;
    try {
      value = await (source as () => Promise<unknown>)();
    } catch (error) {
      throw new SamlAssertionError(`the samlAssertion callback failed: ${describeError(error)}`, { cause: error });
    }
    if (typeof value !== 'string' || value === '') {
      throw new SamlAssertionError('the samlAssertion callback must resolve to a non-empty base64 SAML response');
    }
    // The value itself never goes into the message: it is a bearer credential.
    validateAssumeRoleWithSamlParams({ ...params, SAMLAssertion: value });
    return value;
  };

  const fetch = async (): Promise<TemporaryCredentials> => {
    const input: AssumeRoleWithSAMLCommandInput = { ...params, SAMLAssertion: await assertion() };
    const out = await sendSts(OPERATION, () => getClient().send(new AssumeRoleWithSAMLCommand(input)));
    return toTemporaryCredentials(OPERATION, out.Credentials, 'role-session', out.AssumedRoleUser?.Arn);
  };

  return createRefreshingProvider(fetch, engine);
}
