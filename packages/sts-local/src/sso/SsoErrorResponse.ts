/**
 * An error answer of the SSO portal or SSO OIDC (restJson1): the type goes in `x-amzn-errortype`,
 * which the SDKs read first. Portal errors carry `{"message"}`; OIDC errors carry OAuth's
 * `{"error", "error_description"}` and no `message`, as the service sends them.
 */
export class SsoErrorResponse extends Error {
  override readonly name = 'SsoErrorResponse';

  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    /** The OAuth `error` code of an OIDC error (`invalid_grant`); undefined for portal errors. */
    readonly oauthError?: string,
  ) {
    super(message);
  }

  /** The JSON body. */
  body(): Record<string, string> {
    return this.oauthError === undefined
      ? { message: this.message }
      : { error: this.oauthError, error_description: this.message };
  }
}

/** Portal (GetRoleCredentials) errors. */
export const portalError = {
  invalidRequest: (message: string) => new SsoErrorResponse('InvalidRequestException', 400, message),
  unauthorized: () => new SsoErrorResponse('UnauthorizedException', 401, 'Session token not found or invalid'),
  /** Not in the API model (the SDK names it from the header); what the service answers without an assignment. */
  forbidden: () => new SsoErrorResponse('ForbiddenException', 403, 'No access'),
};

/** SSO OIDC (CreateToken, RegisterClient) errors. */
export const oidcError = {
  invalidRequest: (description: string) =>
    new SsoErrorResponse('InvalidRequestException', 400, description, 'invalid_request'),
  invalidClient: (description: string) =>
    new SsoErrorResponse('InvalidClientException', 401, description, 'invalid_client'),
  invalidGrant: (description: string) =>
    new SsoErrorResponse('InvalidGrantException', 400, description, 'invalid_grant'),
  unsupportedGrantType: (description: string) =>
    new SsoErrorResponse('UnsupportedGrantTypeException', 400, description, 'unsupported_grant_type'),
  invalidScope: (description: string) =>
    new SsoErrorResponse('InvalidScopeException', 400, description, 'invalid_scope'),
};
