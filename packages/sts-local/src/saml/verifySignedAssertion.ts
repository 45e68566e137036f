import { SignedXml } from 'xml-crypto';
import {
  ACCEPTED_CANONICALIZATION,
  ACCEPTED_DIGEST_ALGORITHMS,
  ACCEPTED_SIGNATURE_ALGORITHMS,
  ACCEPTED_TRANSFORMS,
  ALG_ENVELOPED,
  NS_ASSERTION,
  NS_DSIG,
} from './constants';
import { SamlVerificationError } from './SamlVerificationError';
import { allElements, childElements, isElement, parseXml } from './xml';

// The message AWS answers a bad SAML signature with.
const BAD_SIGNATURE = 'Response signature invalid';
const ID_ATTRIBUTES = ['ID', 'Id', 'id'];

const refuse = (message: string): SamlVerificationError => new SamlVerificationError('InvalidIdentityToken', message);

/**
 * Checks the XML signature of a parsed `<samlp:Response>` and returns its one Assertion, re-parsed
 * from the bytes the signature covers, so nothing outside the signed element can be read by the
 * caller. Signature wrapping is refused on several fronts before the signature is even checked:
 * exactly one Assertion (nested ones count), no encrypted assertion, unique IDs, and every Signature
 * an enveloped signature of the Response or the Assertion whose single Reference names its parent.
 */
export function verifySignedAssertion(xml: string, response: Element, certificatePem: string): Element {
  const elements = allElements(response);
  if (elements.some((el) => isElement(el, NS_ASSERTION, 'EncryptedAssertion'))) {
    throw refuse('Encrypted SAML assertions are not supported by sts-local.');
  }
  const assertions = elements.filter((el) => isElement(el, NS_ASSERTION, 'Assertion'));
  const assertion = assertions[0];
  if (assertions.length !== 1 || assertion === undefined || assertion.parentNode !== response) {
    throw refuse('The SAML response must contain exactly one Assertion, directly inside the Response.');
  }
  const seenIds = new Set<string>();
  for (const el of elements) {
    for (const name of ID_ATTRIBUTES) {
      const id = el.getAttribute(name);
      if (!id) continue;
      if (seenIds.has(id)) throw refuse('The SAML response contains two elements with the same ID.');
      seenIds.add(id);
    }
  }

  const signatures = elements.filter((el) => isElement(el, NS_DSIG, 'Signature'));
  if (signatures.length === 0) throw refuse('The SAML response is not signed.');
  let responseSignature: Element | undefined;
  let assertionSignature: Element | undefined;
  for (const signature of signatures) {
    if (signature.parentNode === response && responseSignature === undefined) responseSignature = signature;
    else if (signature.parentNode === assertion && assertionSignature === undefined) assertionSignature = signature;
    else throw refuse('The SAML response carries a signature outside the Response and the Assertion.');
  }

  // Every signature present must hold, not just one of them: an IdP never sends a broken one, and
  // ignoring it would let a forger pick which signature is checked.
  const signedResponse = responseSignature && verifyEnveloped(xml, responseSignature, response, certificatePem);
  const signedAssertion = assertionSignature && verifyEnveloped(xml, assertionSignature, assertion, certificatePem);

  if (signedResponse !== undefined) {
    const root = parseXml(signedResponse, 'signed SAML response');
    const [only, ...more] = childElements(root, NS_ASSERTION, 'Assertion');
    if (only === undefined || more.length > 0)
      throw refuse('The signed SAML response must contain exactly one Assertion.');
    return only;
  }
  // One of the two is defined: signatures.length > 0 and each was assigned or refused.
  const root = parseXml(signedAssertion!, 'signed SAML assertion');
  if (!isElement(root, NS_ASSERTION, 'Assertion') || root.getAttribute('ID') !== assertion.getAttribute('ID')) {
    throw refuse(BAD_SIGNATURE);
  }
  return root;
}

/** Verifies an enveloped signature of `parent`; returns the canonical XML of what it signs. */
function verifyEnveloped(xml: string, signature: Element, parent: Element, certificatePem: string): string {
  const [signedInfo, ...extraSignedInfo] = childElements(signature, NS_DSIG, 'SignedInfo');
  if (signedInfo === undefined || extraSignedInfo.length > 0) throw refuse(BAD_SIGNATURE);
  const c14n = childElements(signedInfo, NS_DSIG, 'CanonicalizationMethod')[0]?.getAttribute('Algorithm') ?? '';
  const method = childElements(signedInfo, NS_DSIG, 'SignatureMethod')[0]?.getAttribute('Algorithm') ?? '';
  if (!ACCEPTED_CANONICALIZATION.has(c14n) || !ACCEPTED_SIGNATURE_ALGORITHMS.has(method)) {
    throw refuse('The SAML response must be signed with RSA-SHA256 (or RSA-SHA512) and exclusive canonicalization.');
  }
  const [reference, ...extraReferences] = childElements(signedInfo, NS_DSIG, 'Reference');
  const parentId = parent.getAttribute('ID');
  if (
    reference === undefined ||
    extraReferences.length > 0 ||
    !parentId ||
    reference.getAttribute('URI') !== `#${parentId}`
  ) {
    throw refuse('The SAML signature must reference the element that contains it.');
  }
  const transforms = childElements(reference, NS_DSIG, 'Transforms').flatMap((t) =>
    childElements(t, NS_DSIG, 'Transform'),
  );
  const algorithms = transforms.map((t) => t.getAttribute('Algorithm') ?? '');
  const digest = childElements(reference, NS_DSIG, 'DigestMethod')[0]?.getAttribute('Algorithm') ?? '';
  if (
    !algorithms.includes(ALG_ENVELOPED) ||
    algorithms.some((a) => !ACCEPTED_TRANSFORMS.has(a)) ||
    !ACCEPTED_DIGEST_ALGORITHMS.has(digest)
  ) {
    throw refuse('The SAML signature must be an enveloped signature with a SHA-256 (or SHA-512) digest.');
  }

  // The key comes only from the provider's certificate: KeyInfo in the document is ignored, or a
  // forger could sign with a key of their own and enclose its certificate.
  const verifier = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  let valid: boolean;
  try {
    verifier.loadSignature(signature);
    valid = verifier.checkSignature(xml);
  } catch {
    valid = false;
  }
  const signed = verifier.getSignedReferences();
  if (!valid || signed.length !== 1 || signed[0] === undefined) throw refuse(BAD_SIGNATURE);
  return signed[0];
}
