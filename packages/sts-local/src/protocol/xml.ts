/** The namespace of every STS Query response. */
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

// Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other
// than tab/LF/CR, lone surrogates, U+FFFE and U+FFFF. Built from text: it must match control
// characters, which a regular expression literal may not name (no-control-regex).
const NOT_XML_CHAR = new RegExp(
  String.raw`[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]` +
    String.raw`|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]`,
  'g',
);

/**
 * Escapes text for an XML element body or attribute. A character XML cannot hold (a request may
 * put one in a parameter that an error message quotes) becomes U+FFFD, so the document stays
 * well-formed and clients still read the error.
 */
export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/[&<>"']/g, (c) =>
      c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
    );
}

/** A result body: element name → text, nested object, or undefined (omitted). */
export interface XmlTree {
  readonly [element: string]: string | number | XmlTree | undefined;
}

function render(tree: XmlTree, indent: string): string {
  let out = '';
  for (const [name, value] of Object.entries(tree)) {
    if (value === undefined) continue;
    if (typeof value === 'object') {
      out += `${indent}<${name}>\n${render(value, indent + '  ')}${indent}</${name}>\n`;
    } else {
      out += `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;
    }
  }
  return out;
}

/** `<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata>…` exactly as STS shapes it. */
export function successXml(operation: string, result: XmlTree, requestId: string): string {
  return (
    `<${operation}Response xmlns="${STS_NAMESPACE}">\n` +
    `  <${operation}Result>\n${render(result, '    ')}  </${operation}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${escapeXml(requestId)}</RequestId>\n  </ResponseMetadata>\n` +
    `</${operation}Response>\n`
  );
}

/** The Query protocol's `ErrorResponse`. */
export function errorXml(type: string, code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}">\n` +
    `  <Error>\n    <Type>${escapeXml(type)}</Type>\n    <Code>${escapeXml(code)}</Code>\n` +
    `    <Message>${escapeXml(message)}</Message>\n  </Error>\n` +
    `  <RequestId>${escapeXml(requestId)}</RequestId>\n` +
    `</ErrorResponse>\n`
  );
}
