import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import {
  AC_PASSWORD_PROTECTED_TRANSPORT,
  ALG_ENVELOPED,
  ALG_EXC_C14N,
  ALG_RSA_SHA256,
  ALG_SHA256,
  ATTRNAME_FORMAT_URI,
  ATTR_PRINCIPAL_TAG_PREFIX,
  ATTR_ROLE,
  ATTR_ROLE_SESSION_NAME,
  ATTR_SESSION_DURATION,
  ATTR_SOURCE_IDENTITY,
  AWS_SAML_AUDIENCE,
  CM_BEARER,
  NAMEID_FORMAT_PERSISTENT,
  NS_ASSERTION,
  NS_PROTOCOL,
  STATUS_SUCCESS,
} from './constants';
import { escapeXml, formatDateTime } from './xml';

/** Options of {@link mintSamlResponse}. */
export interface MintSamlResponseOptions {
  /** The IdP's entity ID, written as the Issuer of the Response and the Assertion. */
  readonly issuer: string;
  /** The IdP's RSA private key (PEM) that signs. */
  readonly privateKeyPem: string;
  /** The IdP's certificate (PEM), enclosed in KeyInfo as IdPs do; verifiers must not trust it from there. */
  readonly certificatePem: string;
  /** The NameID (persistent format). */
  readonly subject: string;
  /** The Role attribute's pairs, written "roleArn,principalArn". An empty list leaves the attribute out. */
  readonly roles: ReadonlyArray<{ readonly roleArn: string; readonly principalArn: string }>;
  /** The RoleSessionName attribute. An empty string leaves the attribute out. */
  readonly roleSessionName: string;
  /** The SessionDuration attribute in seconds. @default omitted */
  readonly sessionDuration?: number;
  /** The issue time in epoch milliseconds. */
  readonly now: number;
  /** Seconds from `now` to the NotOnOrAfter of the confirmation and conditions. @default 300 */
  readonly lifetimeSeconds?: number;
  /** The Audience. @default 'https://signin.aws.amazon.com/saml' */
  readonly audience?: string;
  /** AuthnStatement/@SessionNotOnOrAfter in epoch milliseconds. @default omitted */
  readonly sessionNotOnOrAfter?: number;
  /** The SourceIdentity attribute. @default omitted */
  readonly sourceIdentity?: string;
  /** PrincipalTag:* attributes. @default [] */
  readonly tags?: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
  /** Which element carries the enveloped signature; IdPs differ, and STS accepts each. @default 'assertion' */
  readonly sign?: 'assertion' | 'response' | 'both';
}

const DEFAULT_LIFETIME_SECONDS = 300;
const AWS_RECIPIENT = 'https://signin.aws.amazon.com/saml';

/**
 * Mints a signed, base64 SAML 2.0 Response for AssumeRoleWithSAML, shaped like those real IdPs send
 * to AWS (RSA-SHA256, exclusive c14n, enveloped signature after the Issuer). Attribute values are
 * written as given, without validation, so tests can mint assertions STS must refuse.
 */
export function mintSamlResponse(opts: MintSamlResponseOptions): string {
  const { now } = opts;
  if (typeof now !== 'number' || !Number.isFinite(now))
    throw new TypeError('now must be a finite number of epoch milliseconds');
  const lifetimeSeconds = opts.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  if (!Number.isFinite(lifetimeSeconds)) throw new TypeError('lifetimeSeconds must be a finite number');
  let privateKey;
  try {
    privateKey = createPrivateKey(opts.privateKeyPem);
  } catch {
    throw new TypeError('privateKeyPem must be a PEM private key');
  }
  try {
    new X509Certificate(opts.certificatePem);
  } catch {
    throw new TypeError('certificatePem must be a PEM X.509 certificate');
  }

  const responseId = newId();
  const assertionId = newId();
  const issued = formatDateTime(now);
  const expires = formatDateTime(now + lifetimeSeconds * 1000);
  const issuer = escapeXml(opts.issuer);
  const sessionNotOnOrAfter =
    opts.sessionNotOnOrAfter === undefined ? '' : ` SessionNotOnOrAfter="${formatDateTime(opts.sessionNotOnOrAfter)}"`;

  const attributes: string[] = [];
  if (opts.roles.length > 0)
    attributes.push(
      attribute(
        ATTR_ROLE,
        opts.roles.map((r) => `${r.roleArn},${r.principalArn}`),
      ),
    );
  if (opts.roleSessionName !== '') attributes.push(attribute(ATTR_ROLE_SESSION_NAME, [opts.roleSessionName]));
  if (opts.sessionDuration !== undefined)
    attributes.push(attribute(ATTR_SESSION_DURATION, [String(opts.sessionDuration)]));
  if (opts.sourceIdentity !== undefined) attributes.push(attribute(ATTR_SOURCE_IDENTITY, [opts.sourceIdentity]));
  for (const tag of opts.tags ?? []) attributes.push(attribute(`${ATTR_PRINCIPAL_TAG_PREFIX}${tag.Key}`, [tag.Value]));

  let xml =
    `<samlp:Response xmlns:samlp="${NS_PROTOCOL}" xmlns:saml="${NS_ASSERTION}" ID="${responseId}" Version="2.0" ` +
    `IssueInstant="${issued}" Destination="${AWS_RECIPIENT}">` +
    `<saml:Issuer>${issuer}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${STATUS_SUCCESS}"/></samlp:Status>` +
    `<saml:Assertion ID="${assertionId}" Version="2.0" IssueInstant="${issued}">` +
    `<saml:Issuer>${issuer}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${NAMEID_FORMAT_PERSISTENT}">${escapeXml(opts.subject)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${CM_BEARER}">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${expires}" Recipient="${AWS_RECIPIENT}"/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${issued}" NotOnOrAfter="${expires}">` +
    `<saml:AudienceRestriction>` +
    `<saml:Audience>${escapeXml(opts.audience ?? AWS_SAML_AUDIENCE)}</saml:Audience>` +
    `</saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${issued}" SessionIndex="${assertionId}"${sessionNotOnOrAfter}>` +
    `<saml:AuthnContext>` +
    `<saml:AuthnContextClassRef>${AC_PASSWORD_PROTECTED_TRANSPORT}</saml:AuthnContextClassRef>` +
    `</saml:AuthnContext>` +
    `</saml:AuthnStatement>` +
    (attributes.length > 0 ? `<saml:AttributeStatement>${attributes.join('')}</saml:AttributeStatement>` : '') +
    `</saml:Assertion></samlp:Response>`;

  const sign = opts.sign ?? 'assertion';
  // The assertion is signed first, so a response signature covers the assertion's signature too.
  if (sign !== 'response') xml = signEnveloped(xml, assertionId, privateKey, opts.certificatePem);
  if (sign !== 'assertion') xml = signEnveloped(xml, responseId, privateKey, opts.certificatePem);
  return Buffer.from(xml, 'utf8').toString('base64');
}

function attribute(name: string, values: string[]): string {
  const written = values.map((v) => `<saml:AttributeValue>${escapeXml(v)}</saml:AttributeValue>`).join('');
  return `<saml:Attribute Name="${escapeXml(name)}" NameFormat="${ATTRNAME_FORMAT_URI}">${written}</saml:Attribute>`;
}

/** SAML IDs are xs:ID, which must not start with a digit. */
function newId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

/** Adds an enveloped signature of the element with `id`, placed right after its Issuer (SAML's schema order). */
function signEnveloped(
  xml: string,
  id: string,
  privateKey: ReturnType<typeof createPrivateKey>,
  certificatePem: string,
): string {
  const signer = new SignedXml({
    privateKey,
    publicCert: certificatePem,
    signatureAlgorithm: ALG_RSA_SHA256,
    canonicalizationAlgorithm: ALG_EXC_C14N,
  });
  const element = `//*[@ID='${id}']`;
  signer.addReference({ xpath: element, transforms: [ALG_ENVELOPED, ALG_EXC_C14N], digestAlgorithm: ALG_SHA256 });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${element}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}
