// XML namespaces, algorithm URIs and the attribute names AWS reads from a SAML response. Kept in one
// place so the verifier and the minter cannot drift apart.

export const NS_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const NS_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const NS_DSIG = 'http://www.w3.org/2000/09/xmldsig#';

export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const CM_BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
export const NAMEID_FORMAT_PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
/** AWS reports a NameID Format with this prefix without it (`…:transient` → `transient`). */
export const NAMEID_FORMAT_20_PREFIX = 'urn:oasis:names:tc:SAML:2.0:nameid-format:';
/** The SAML default when a NameID carries no Format. */
export const NAMEID_FORMAT_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
export const ATTRNAME_FORMAT_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
export const AC_PASSWORD_PROTECTED_TRANSPORT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

export const ALG_EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ALG_ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const ALG_RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const ALG_RSA_SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';
export const ALG_SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const ALG_SHA512 = 'http://www.w3.org/2001/04/xmlenc#sha512';

// SHA-1 is left out on purpose: a local STS that accepted it would pass IdP set-ups that new AWS
// accounts are told to move away from.
export const ACCEPTED_SIGNATURE_ALGORITHMS: ReadonlySet<string> = new Set([ALG_RSA_SHA256, ALG_RSA_SHA512]);
export const ACCEPTED_DIGEST_ALGORITHMS: ReadonlySet<string> = new Set([ALG_SHA256, ALG_SHA512]);
export const ACCEPTED_CANONICALIZATION: ReadonlySet<string> = new Set([ALG_EXC_C14N]);
export const ACCEPTED_TRANSFORMS: ReadonlySet<string> = new Set([ALG_ENVELOPED, ALG_EXC_C14N]);

/** The audience AWS documents for SAML federation, and the one `mintSamlResponse` writes. */
export const AWS_SAML_AUDIENCE = 'https://signin.aws.amazon.com/saml';
/** The older audience AWS still accepts. */
export const AWS_SAML_AUDIENCE_URN = 'urn:amazon:webservices';
// Regional sign-in endpoints (`https://us-east-1.signin.aws.amazon.com/saml`) are accepted as the
// audience too, as AWS accepts them.
export const AWS_SAML_AUDIENCE_PATTERN = /^https:\/\/([a-z0-9-]+\.)?signin\.aws\.amazon\.com\/saml$/;
// Recipient is the assertion consumer URL: the sign-in endpoint, optionally regional, `/static/saml`,
// or `/saml/acs/<IdP id>` for providers with encryption set up.
export const AWS_SAML_RECIPIENT_PATTERN =
  /^https:\/\/([a-z0-9-]+\.)?signin\.aws\.amazon\.com\/(static\/saml|saml(\/acs\/[A-Za-z0-9-]+)?)$/;

export const ATTR_PREFIX = 'https://aws.amazon.com/SAML/Attributes/';
export const ATTR_ROLE = `${ATTR_PREFIX}Role`;
export const ATTR_ROLE_SESSION_NAME = `${ATTR_PREFIX}RoleSessionName`;
export const ATTR_SESSION_DURATION = `${ATTR_PREFIX}SessionDuration`;
export const ATTR_SOURCE_IDENTITY = `${ATTR_PREFIX}SourceIdentity`;
export const ATTR_PRINCIPAL_TAG_PREFIX = `${ATTR_PREFIX}PrincipalTag:`;
export const ATTR_TRANSITIVE_TAG_KEYS = `${ATTR_PREFIX}TransitiveTagKeys`;

/** AWS refuses an assertion presented more than five minutes after its IssueInstant. */
export const MAX_ASSERTION_AGE_MS = 5 * 60 * 1000;
