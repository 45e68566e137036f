import { InvalidParameterError } from '../errors';
import type { StsProviderOptions } from '../sts/stsClient';

/**
 * The options of a provider whose STS call is unsigned (AssumeRoleWithSAML,
 * AssumeRoleWithWebIdentity): those of every STS provider but a source, which would sign nothing.
 */
export interface UnsignedStsProviderOptions extends Omit<
  StsProviderOptions,
  'sourceCredentials' | 'masterCredentials'
> {
  /** Refused: the call is unsigned, the assertion or token is the proof. */
  readonly sourceCredentials?: never;
  /** Refused, like `sourceCredentials`. */
  readonly masterCredentials?: never;
}

/**
 * For an operation STS takes unsigned (AssumeRoleWithSAML, AssumeRoleWithWebIdentity): source
 * credentials would sign nothing, so passing them is a mistake, refused by the option's name.
 * @param proof what proves the caller's identity instead, e.g. `the SAML assertion`
 * @throws InvalidParameterError naming `sourceCredentials` or `masterCredentials`
 */
export function refuseSourceCredentials(init: UnsignedStsProviderOptions, operation: string, proof: string): void {
  for (const key of ['sourceCredentials', 'masterCredentials'] as const) {
    if ((init as Partial<Record<typeof key, unknown>>)[key] !== undefined) {
      throw new InvalidParameterError(key, `is not accepted: ${operation} is an unsigned call, ${proof} is the proof`);
    }
  }
}
