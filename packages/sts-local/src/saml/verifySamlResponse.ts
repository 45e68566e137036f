import { X509Certificate } from 'node:crypto';
import {
  AWS_SAML_AUDIENCE,
  AWS_SAML_AUDIENCE_PATTERN,
  AWS_SAML_AUDIENCE_URN,
  AWS_SAML_RECIPIENT_PATTERN,
  CM_BEARER,
  MAX_ASSERTION_AGE_MS,
  NAMEID_FORMAT_20_PREFIX,
  NAMEID_FORMAT_UNSPECIFIED,
  NS_ASSERTION,
  NS_PROTOCOL,
  STATUS_SUCCESS,
} from './constants';
import { readAwsAttributes } from './readAwsAttributes';
import { SamlVerificationError } from './SamlVerificationError';
import { verifySignedAssertion } from './verifySignedAssertion';
import { childElements, decodeBase64Xml, isElement, parseDateTime, parseXml, textOf } from './xml';

/** Options of {@link verifySamlResponse}. */
export interface VerifySamlResponseOptions {
  /** The SAML provider's signing certificate: PEM, or the bare base64 body found in IdP metadata. */
  readonly certificatePem: string;
  /** The current time in epoch milliseconds; every time check uses it, never the wall clock. */
  readonly now: number;
}

/** What STS takes from a verified SAML response. Every value comes from the signed bytes. */
export interface SamlAssertionInfo {
  /** The Assertion's Issuer (STS returns it as `Issuer`). */
  issuer: string;
  /** The Subject's NameID (STS returns it as `Subject`). */
  subject: string;
  /** The NameID Format, without the `urn:oasis:names:tc:SAML:2.0:nameid-format:` prefix, as STS reports it. */
  subjectType: string;
  /** Every Audience of the assertion's conditions. */
  audiences: string[];
  /**
   * When the assertion stops being accepted (epoch ms): the earlier of the confirmation's and the conditions'
   * NotOnOrAfter.
   */
  notOnOrAfter: number;
  /** The role/provider pairs of the Role attribute; the caller picks the one matching RoleArn and PrincipalArn. */
  roles: Array<{ roleArn: string; principalArn: string }>;
  /** The RoleSessionName attribute; always present, since STS refuses an assertion without it. */
  roleSessionName: string;
  /** The SessionDuration attribute in seconds (900–43200), if present. */
  sessionDuration?: number;
  /** AuthnStatement/@SessionNotOnOrAfter (epoch ms), which caps the credentials' expiration. */
  sessionNotOnOrAfter?: number;
  /** The SourceIdentity attribute, if present. */
  sourceIdentity?: string;
  /** The PrincipalTag:* attributes as session tags. */
  tags: Array<{ Key: string; Value: string }>;
  /** The TransitiveTagKeys attribute's values. */
  transitiveTagKeys: string[];
}

const refuse = (message: string): SamlVerificationError => new SamlVerificationError('InvalidIdentityToken', message);

/**
 * Verifies a base64 SAML 2.0 Response the way STS's AssumeRoleWithSAML does: the XML signature
 * (Response or Assertion, enveloped, RSA-SHA256, exclusive c14n) against the provider's certificate,
 * the bearer confirmation's Recipient and NotOnOrAfter, the conditions' audience and validity window,
 * the five-minute redemption limit, and the AWS attributes.
 *
 * @throws SamlVerificationError with the STS error code to answer with.
 * @throws TypeError when an option is unusable (a configuration mistake, not a bad assertion).
 */
export function verifySamlResponse(samlResponseBase64: string, opts: VerifySamlResponseOptions): SamlAssertionInfo {
  const { now } = opts;
  if (typeof now !== 'number' || !Number.isFinite(now))
    throw new TypeError('now must be a finite number of epoch milliseconds');
  const certificatePem = readCertificate(opts.certificatePem);
  if (typeof samlResponseBase64 !== 'string') throw refuse('The SAML response is not valid base64.');

  const xml = decodeBase64Xml(samlResponseBase64);
  const response = parseXml(xml, 'SAML response');
  if (!isElement(response, NS_PROTOCOL, 'Response') || response.getAttribute('Version') !== '2.0') {
    throw refuse('The SAML response is not a SAML 2.0 Response.');
  }
  const status = childElements(response, NS_PROTOCOL, 'Status')[0];
  const statusCode = status && childElements(status, NS_PROTOCOL, 'StatusCode')[0]?.getAttribute('Value');
  if (!statusCode) throw refuse('The SAML response has no Status.');
  if (statusCode !== STATUS_SUCCESS) {
    throw new SamlVerificationError('IDPRejectedClaim', 'The identity provider reported that authentication failed.');
  }

  const assertion = verifySignedAssertion(xml, response, certificatePem);

  const issuer = one(assertion, 'Issuer');
  const issueInstant = parseDateTime(assertion.getAttribute('IssueInstant'));
  if (!textOf(issuer) || issueInstant === undefined) throw refuse('The SAML assertion has no Issuer or IssueInstant.');

  const subject = one(assertion, 'Subject');
  const nameId = one(subject, 'NameID');
  const confirmations = childElements(subject, NS_ASSERTION, 'SubjectConfirmation');
  const confirmation = confirmations[0];
  if (confirmations.length !== 1 || confirmation?.getAttribute('Method') !== CM_BEARER) {
    throw refuse('The SAML assertion must have exactly one bearer SubjectConfirmation.');
  }
  const confirmationData = one(confirmation, 'SubjectConfirmationData');
  const confirmationNotOnOrAfter = parseDateTime(confirmationData.getAttribute('NotOnOrAfter'));
  const recipient = confirmationData.getAttribute('Recipient') ?? '';
  if (confirmationNotOnOrAfter === undefined || !AWS_SAML_RECIPIENT_PATTERN.test(recipient)) {
    throw refuse('SubjectConfirmationData must have a NotOnOrAfter and an AWS sign-in Recipient.');
  }

  const conditions = one(assertion, 'Conditions');
  const restrictions = childElements(conditions, NS_ASSERTION, 'AudienceRestriction');
  const audiencesPerRestriction = restrictions.map((r) => childElements(r, NS_ASSERTION, 'Audience').map(textOf));
  // Each AudienceRestriction must be met (SAML core 2.5.1.4), so every one must name AWS.
  if (restrictions.length === 0 || !audiencesPerRestriction.every((list) => list.some(isAwsAudience))) {
    throw refuse(`The SAML assertion's Audience must be ${AWS_SAML_AUDIENCE}.`);
  }

  const notBefore = readOptionalTime(conditions, 'NotBefore');
  const conditionsNotOnOrAfter = readOptionalTime(conditions, 'NotOnOrAfter');
  const notOnOrAfter = Math.min(confirmationNotOnOrAfter, conditionsNotOnOrAfter ?? Number.POSITIVE_INFINITY);
  if (now >= notOnOrAfter) {
    throw new SamlVerificationError('ExpiredToken', 'The SAML assertion has expired (NotOnOrAfter has passed).');
  }
  if (now - issueInstant > MAX_ASSERTION_AGE_MS) {
    // AWS's own wording for an assertion redeemed too late.
    throw new SamlVerificationError('ExpiredToken', 'Token must be redeemed within 5 minutes of issuance');
  }
  if (notBefore !== undefined && now < notBefore)
    throw refuse('The SAML assertion is not yet valid (NotBefore is in the future).');

  const authn = childElements(assertion, NS_ASSERTION, 'AuthnStatement')[0];
  const sessionNotOnOrAfter = authn ? readOptionalTime(authn, 'SessionNotOnOrAfter') : undefined;

  const format = nameId.getAttribute('Format') || NAMEID_FORMAT_UNSPECIFIED;
  const info: SamlAssertionInfo = {
    issuer: textOf(issuer),
    subject: textOf(nameId),
    subjectType: format.startsWith(NAMEID_FORMAT_20_PREFIX) ? format.slice(NAMEID_FORMAT_20_PREFIX.length) : format,
    audiences: audiencesPerRestriction.flat(),
    notOnOrAfter,
    ...readAwsAttributes(assertion),
  };
  if (sessionNotOnOrAfter !== undefined) info.sessionNotOnOrAfter = sessionNotOnOrAfter;
  return info;
}

function isAwsAudience(audience: string): boolean {
  return (
    audience === AWS_SAML_AUDIENCE || audience === AWS_SAML_AUDIENCE_URN || AWS_SAML_AUDIENCE_PATTERN.test(audience)
  );
}

/** The single child `saml:{localName}` of `parent`; refuses the assertion when absent or repeated. */
function one(parent: Element, localName: string): Element {
  const [only, ...more] = childElements(parent, NS_ASSERTION, localName);
  if (only === undefined || more.length > 0) throw refuse(`The SAML assertion must have exactly one ${localName}.`);
  return only;
}

function readOptionalTime(el: Element, attribute: string): number | undefined {
  const raw = el.getAttribute(attribute);
  if (raw === null || raw === '') return undefined;
  const ms = parseDateTime(raw);
  if (ms === undefined) throw refuse(`${el.localName}/@${attribute} is not a valid xs:dateTime.`);
  return ms;
}

/** Accepts a PEM certificate or the bare base64 DER body IdP metadata carries; returns PEM. */
function readCertificate(certificate: string): string {
  const body = typeof certificate === 'string' ? certificate.trim() : '';
  const pem = body.startsWith('-----BEGIN')
    ? body
    : `-----BEGIN CERTIFICATE-----\n${body.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----`;
  try {
    new X509Certificate(pem);
  } catch {
    throw new TypeError('certificatePem must be an X.509 certificate (PEM or base64 DER)');
  }
  return pem;
}
