import { DOMParser } from '@xmldom/xmldom';
import { SamlVerificationError } from './SamlVerificationError';

const ELEMENT_NODE = 1;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes the SAMLAssertion parameter. IdPs wrap base64 at 64 or 76 columns, so whitespace is
 * dropped first; anything else outside the base64 alphabet is refused rather than skipped, as
 * Buffer.from would silently do.
 */
export function decodeBase64Xml(samlResponseBase64: string): string {
  const compact = samlResponseBase64.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new SamlVerificationError('InvalidIdentityToken', 'The SAML response is not valid base64.');
  }
  const xml = Buffer.from(compact, 'base64').toString('utf8');
  if (!xml.trimStart().startsWith('<')) {
    throw new SamlVerificationError('InvalidIdentityToken', 'The SAML response is not an XML document.');
  }
  return xml;
}

/**
 * Parses XML strictly: any parser error or warning refuses the document, and so does a DOCTYPE,
 * which a SAML response never needs and which carries entity-expansion attacks.
 */
export function parseXml(xml: string, what: string): Element {
  if (/<!DOCTYPE/i.test(xml)) {
    throw new SamlVerificationError('InvalidIdentityToken', `The ${what} must not contain a DOCTYPE.`);
  }
  let failed = false;
  const onError = (): void => {
    failed = true;
  };
  let doc: Document;
  try {
    doc = new DOMParser({ errorHandler: { warning: onError, error: onError, fatalError: onError } }).parseFromString(
      xml,
      'text/xml',
    );
  } catch {
    failed = true;
  }
  // `doc!` is safe: `failed` is set on every path that leaves doc unassigned.
  const root = failed ? null : doc!.documentElement;
  if (!root) {
    throw new SamlVerificationError('InvalidIdentityToken', `The ${what} is not well-formed XML.`);
  }
  return root;
}

/** The element children of `parent` with the given namespace and local name, in document order. */
export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) {
      const el = node as Element;
      if (el.namespaceURI === ns && el.localName === localName) found.push(el);
    }
  }
  return found;
}

/** All element descendants of `root` (and root itself), in document order. */
export function allElements(root: Element): Element[] {
  const found: Element[] = [];
  const walk = (el: Element): void => {
    found.push(el);
    for (let node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === ELEMENT_NODE) walk(node as Element);
    }
  };
  walk(root);
  return found;
}

export function isElement(el: Element, ns: string, localName: string): boolean {
  return el.namespaceURI === ns && el.localName === localName;
}

/**
 * The element's whole text. Comments are skipped but the text around them is joined, so a comment
 * slipped into a signed value (`alice<!---->.evil`) cannot truncate it.
 */
export function textOf(el: Element): string {
  return el.textContent.trim();
}

/** Escapes text for an XML attribute value or text node. */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Parses an xs:dateTime with an explicit zone, as SAML requires; undefined if it is not one. */
export function parseDateTime(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Formats epoch milliseconds as the xs:dateTime SAML IdPs write. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString();
}
