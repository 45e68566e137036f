import { InvalidParameterError } from '../errors';

/**
 * For an operation STS takes unsigned (AssumeRoleWithSAML, AssumeRoleWithWebIdentity): source
 * credentials would sign nothing, so passing them is a mistake, refused by the option's name.
 * @param proof what proves the caller's identity instead, e.g. `the SAML assertion`
 * @throws InvalidParameterError naming `sourceCredentials` or `masterCredentials`
 */
export function refuseSourceCredentials(init: object, operation: string, proof: string): void {
  for (const key of ['sourceCredentials', 'masterCredentials'] as const) {
    if ((init as Partial<Record<typeof key, unknown>>)[key] !== undefined) {
      throw new InvalidParameterError(key, `is not accepted: ${operation} is an unsigned call, ${proof} is the proof`);
    }
  }
}
