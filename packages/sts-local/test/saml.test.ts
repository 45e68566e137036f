import { createPrivateKey, X509Certificate } from 'node:crypto';

import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import {
  demoSamlSigningMaterial,
  mintSamlResponse,
  SamlVerificationError,
  verifySamlResponse,
  type MintSamlResponseOptions,
} from '../src/saml';

// A second IdP's key pair, so a response signed by someone else can carry a certificate that
// matches its signature. Test-only, like the demo material.
const OTHER_IDP = {
  privateKeyPem: `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCl3473pDNNryWE
b+MFtLcfcuMDO1A91dMII/6WaSrHCS0i/SaXsUPKcVWMndmOM/ZpAIYSb13ad9+a
a15M7y5mPdfVjUKAVO5gDoA2e4bOXYmiqrAqNCeERycQWiyn67FGDK40cc8dDJ5z
D84HC3Y6+PDYW7CasH5OEqiMnD9PiB5vJuYFeidchUu7BPZvczhuU8/SxAzYTDdq
ZOsju4ldmwwYIIh4IBAMR9KZtqSWpwqbbtop967DD+38JTJO8Y+GAQhbZT6u8BBF
+HSRG98Vc2Yl3iVo4G/yT+E7f3T/3uTBGw9z+z4Jiiv/IeC6ol9cCezY22OAQSOv
Ev2KM4jhAgMBAAECggEABLSWcou5yVm/OZYvdV9apQWeLz6o4HIvA/96ZsOpux71
ZPVTuZClpMnphH1LWUN72V9yjjYSzmJhaVjjolDUKwIU2/nfgbK3Fuo+ZJ1FNhg0
8fR/3hif6NqYXvhB5UsUOrGcJQB4AMHVglvXyz8d3d8nPOn/9OluEdKpbaC2ko/V
FyiNWwfCK7eoWfq0XwXqcuKlbYyupVgIlNfBHvWwjwBr6sDcRv7+h1NLX6L++oHx
oYbn3uEms9WoMBouWrd4amJ9oyyRuEYbjdnn/t3/V9g4h7QeG7PrjJ4SJAkLDtvv
SB0wU5GGhRFxA0RWJjf05yCgA34OKdF6dFXHiZbAGQKBgQDjAdNBoFGKzDm+s/ms
h328myKsY9Rzg0ryRXyF/7DcXNNnfPxy5k0LWjiMGUOSyUiNg4UGRNgV48NBDhHa
ykI2kZx0NOkLZ/EzOgRWgQz7R8hyjX61wngit8yqM86haVRx/ALQi3Tt4sW7avd0
h1ApkUGnL/vCbQ1FWi9fI050+QKBgQC7DuoPNDVE+Rua2PELDKr5n5N7OVsUp8Ey
2OLSwRizjUUqwKkC6fdMdi9U+Ds3dmNo1qOQR6TpwVoh69+J3IbYgFNLXu461oTi
u4IfpJ6MzJvob00HDsv2D09jJePvOjbqFFyjh+6Ocoqp76uc/XLub2XZckQuBwxh
TyjdVNV1KQKBgQC1HJyurDjCcyPTCYY2ZzcjBebJATDcJDDkUBoEUraJaank1CwZ
g7KOTyH0bKej8eFnvjmggcag2EHMomwOUfY30T6w3BHeXsRqaWxSk82GoYPEGS2x
2AC/OkMYvBKsZvvPoQ+h0NGuhZHacIITP23ubAykVb0YJqdC4KwQzHtpCQKBgG2J
gURf9SWrnh+iFBy9UU2VxX4uCwjgZ0EIQmLZ0kYqXqt3YEElkrwCpRrjtYF34SSe
M++kFI0RvV8Jyb/oFEqpcp07PNPVlMFUvhEbjAC1PELzEi8k2gj/1CQiJwSKmWef
ftQAIJDnwA1dHKh0vh2jvAeGYyh01ioRecOKDulpAoGAfkl8c5Y4prNewPmaGwGz
9qNq7uRknBzkO7oDEWrBnS8qA5AC+goIbomEL5l/IS9ny67sgcdl4H/540ELAat/
1twvDiT6Sr/xfnDZnxUFuts3506Vdprs9fSPf1+/LrACkcu/yABIZWFxA7OMLSQZ
cwVNhMiwjj7a5MlCHow4exQ=
-----END PRIVATE KEY-----
`,
  certificatePem: `-----BEGIN CERTIFICATE-----
MIIDFTCCAf2gAwIBAgIUDdKUPlg19dfbOtbWMyOJudOj1K0wDQYJKoZIhvcNAQEL
BQAwGTEXMBUGA1UEAwwOc29tZS1vdGhlci1pZHAwIBcNMjYxMTIzMDgxNzAxWhgP
MjEyNjEwMzAwODE3MDFaMBkxFzAVBgNVBAMMDnNvbWUtb3RoZXItaWRwMIIBIjAN
BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApd+O96QzTa8lhG/jBbS3H3LjAztQ
PdXTCCP+lmkqxwktIv0ml7FDynFVjJ3ZjjP2aQCGEm9d2nffmmteTO8uZj3X1Y1C
gFTuYA6ANnuGzl2JoqqwKjQnhEcnEFosp+uxRgyuNHHPHQyecw/OBwt2Ovjw2Fuw
mrB+ThKojJw/T4gebybmBXonXIVLuwT2b3M4blPP0sQM2Ew3amTrI7uJXZsMGCCI
eCAQDEfSmbaklqcKm27aKfeuww/t/CUyTvGPhgEIW2U+rvAQRfh0kRvfFXNmJd4l
aOBv8k/hO390/97kwRsPc/s+CYor/yHguqJfXAns2NtjgEEjrxL9ijOI4QIDAQAB
o1MwUTAdBgNVHQ4EFgQUzyMIoXPYtijz8Esrm37+TMg2cD8wHwYDVR0jBBgwFoAU
zyMIoXPYtijz8Esrm37+TMg2cD8wDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0B
AQsFAAOCAQEAWoaCrBnYGRYsoHoCn8EcJik00QJhkmPVT8ClVughDc9OTUEV3OVA
bYUA+PiM6UK6v9BYkBg+j3ZeiMq7NepJj6ldMPiKc6TDbqCr2Pw6akVDOhpR1jCY
y+W/+W/i5T9zWw1l2uCwQ7YYxMayarrmmiazQ+9WAUgZmqrZSKQh0S+3sDTTkLy1
pBpffmzGjmAQsCQoLPtyX9KK7slEggcEzvToWprWjLBM29EvXjL0gf7d8cc1YD+V
rhA9p98fzQJrf9+A48AIrusp+8ecXxkqj1kZyuOUna7PfoOlLw/Gaqu98au2Gp1G
Xiu9HuHSnEsetL1khTXMa3SgfxxmfFarlQ==
-----END CERTIFICATE-----
`,
};

const NOW = Date.UTC(2030, 0, 15, 12, 0, 0);
const ROLE = 'arn:aws:iam::111122223333:role/SamlDemoRole';
const PROVIDER = 'arn:aws:iam::111122223333:saml-provider/sts-local-demo-idp';
const ISSUER = 'https://idp.sts-local.example/saml';
const NS_DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const NS_SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const { certificatePem } = demoSamlSigningMaterial;

function mint(overrides: Partial<MintSamlResponseOptions> = {}): string {
  return mintSamlResponse({
    issuer: ISSUER,
    ...demoSamlSigningMaterial,
    subject: 'alice@example.com',
    roles: [{ roleArn: ROLE, principalArn: PROVIDER }],
    roleSessionName: 'alice@example.com',
    now: NOW,
    ...overrides,
  });
}

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
const encode = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
const parse = (xml: string): Document => new DOMParser().parseFromString(xml, 'text/xml');
const serialize = (doc: Document): string => new XMLSerializer().serializeToString(doc);
const verify = (b64: string, now = NOW) => verifySamlResponse(b64, { certificatePem, now });

function first(doc: Document, ns: string, localName: string): Element {
  const el = doc.getElementsByTagNameNS(ns, localName)[0];
  if (!el) throw new Error(`test fixture has no ${localName}`);
  return el;
}

/** Removes every signature, then signs the assertion again with the demo key (to test structure checks). */
function resign(xml: string, signatureAlgorithm = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'): string {
  const doc = parse(xml);
  for (const sig of Array.from(doc.getElementsByTagNameNS(NS_DSIG, 'Signature'))) sig.parentNode?.removeChild(sig);
  const signer = new SignedXml({
    privateKey: demoSamlSigningMaterial.privateKeyPem,
    publicCert: certificatePem,
    signatureAlgorithm,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(serialize(doc), {
    prefix: 'ds',
    location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
  });
  return encode(signer.getSignedXml());
}

/** Asserts a refusal with the given STS code and message, and that the message quotes nothing of the response. */
function expectRefusal(run: () => unknown, code: SamlVerificationError['code'], message: RegExp, b64?: string): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SamlVerificationError);
  const error = caught as SamlVerificationError;
  expect(error.name).toBe('SamlVerificationError');
  expect({ code: error.code, message: error.message }).toEqual({
    code,
    message: expect.stringMatching(message) as unknown,
  });
  if (b64 !== undefined) {
    expect(error.message).not.toContain(b64.slice(0, 24));
    const signatureValue = /<ds:SignatureValue>([^<]{16})/.exec(decode(b64))?.[1];
    if (signatureValue) expect(error.message).not.toContain(signatureValue);
    expect(error.message).not.toContain('alice@example.com');
  }
}

describe('verifySamlResponse accepts what a real IdP sends', () => {
  test('a minted response round-trips with every AWS attribute', () => {
    const b64 = mint({
      sessionDuration: 7200,
      sessionNotOnOrAfter: NOW + 1800_000,
      sourceIdentity: 'alice',
      tags: [
        { Key: 'Department', Value: 'Engineering' },
        { Key: 'CostCenter', Value: '12345' },
      ],
    });
    expect(verify(b64)).toEqual({
      issuer: ISSUER,
      subject: 'alice@example.com',
      subjectType: 'persistent',
      audiences: ['https://signin.aws.amazon.com/saml'],
      notOnOrAfter: NOW + 300_000,
      roles: [{ roleArn: ROLE, principalArn: PROVIDER }],
      roleSessionName: 'alice@example.com',
      sessionDuration: 7200,
      sessionNotOnOrAfter: NOW + 1800_000,
      sourceIdentity: 'alice',
      tags: [
        { Key: 'Department', Value: 'Engineering' },
        { Key: 'CostCenter', Value: '12345' },
      ],
      transitiveTagKeys: [],
    });
  });

  test.each(['assertion', 'response', 'both'] as const)('a response signed on the %s verifies', (sign) => {
    const info = verify(mint({ sign }));
    expect(info.roleSessionName).toBe('alice@example.com');
    expect(decode(mint({ sign })).match(/<ds:Signature /g)).toHaveLength(sign === 'both' ? 2 : 1);
  });

  test('Role values are read in either order, with spaces, and several roles are all offered', () => {
    const other = 'arn:aws:iam::111122223333:role/ReadOnly';
    // mint writes "roleArn,principalArn" as given, so swapping the fields writes the provider first.
    const info = verify(
      mint({
        roles: [
          { roleArn: PROVIDER, principalArn: ROLE },
          { roleArn: ` ${other}`, principalArn: ` ${PROVIDER}` },
        ],
      }),
    );
    expect(info.roles).toEqual([
      { roleArn: ROLE, principalArn: PROVIDER },
      { roleArn: other, principalArn: PROVIDER },
    ]);
  });

  test('base64 wrapped at 76 columns and a certificate given as bare base64 (as in IdP metadata) are accepted', () => {
    const wrapped = mint().replace(/(.{76})/g, '$1\r\n');
    const bareCert = certificatePem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    expect(verifySamlResponse(wrapped, { certificatePem: bareCert, now: NOW }).subject).toBe('alice@example.com');
  });

  test('the older audience urn:amazon:webservices and a regional sign-in audience are accepted', () => {
    expect(verify(mint({ audience: 'urn:amazon:webservices' })).audiences).toEqual(['urn:amazon:webservices']);
    const regional = 'https://eu-west-1.signin.aws.amazon.com/saml';
    expect(verify(mint({ audience: regional })).audiences).toEqual([regional]);
  });

  test('a comment slipped into a signed value neither breaks the signature nor truncates the value', () => {
    const xml = decode(mint()).replace(
      '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice',
      '$&<!---->',
    );
    expect(xml).toContain('alice<!---->@example.com');
    expect(verify(encode(xml)).subject).toBe('alice@example.com');
  });

  test('a NameID Format outside the SAML 2.0 prefix is reported unchanged', () => {
    const xml = decode(mint()).replace(
      'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    );
    expect(verify(resign(xml)).subjectType).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
  });
});

describe('verifySamlResponse refuses forged and altered responses', () => {
  test('an attribute changed after signing breaks the signature', () => {
    for (const sign of ['assertion', 'response'] as const) {
      const b64 = encode(
        decode(mint({ sign })).replace('>alice@example.com</saml:AttributeValue>', '>admin</saml:AttributeValue>'),
      );
      expect(decode(b64)).toContain('>admin</saml:AttributeValue>');
      expectRefusal(() => verify(b64), 'InvalidIdentityToken', /^Response signature invalid$/, b64);
    }
  });

  test("a response verified against another provider's certificate is refused", () => {
    const b64 = mint();
    expectRefusal(
      () => verifySamlResponse(b64, { certificatePem: OTHER_IDP.certificatePem, now: NOW }),
      'InvalidIdentityToken',
      /^Response signature invalid$/,
      b64,
    );
  });

  test('a response signed by another key is refused even though its KeyInfo encloses the matching certificate', () => {
    const b64 = mint({ ...OTHER_IDP });
    expect(decode(b64)).toContain(OTHER_IDP.certificatePem.split('\n')[2]);
    expectRefusal(() => verify(b64), 'InvalidIdentityToken', /^Response signature invalid$/, b64);
  });

  test('an unsigned response is refused', () => {
    const doc = parse(decode(mint({ sign: 'both' })));
    for (const sig of Array.from(doc.getElementsByTagNameNS(NS_DSIG, 'Signature'))) sig.parentNode?.removeChild(sig);
    const b64 = encode(serialize(doc));
    expectRefusal(() => verify(b64), 'InvalidIdentityToken', /not signed/, b64);
  });

  test('a response signed with RSA-SHA1 is refused', () => {
    const b64 = resign(decode(mint()), 'http://www.w3.org/2000/09/xmldsig#rsa-sha1');
    expectRefusal(() => verify(b64), 'InvalidIdentityToken', /RSA-SHA256/, b64);
  });
});

describe('verifySamlResponse refuses signature wrapping', () => {
  const evilAssertion = (doc: Document): Element => {
    const evil = first(doc, NS_SAML, 'Assertion').cloneNode(true) as Element;
    evil.setAttribute('ID', '_evil');
    const sig = evil.getElementsByTagNameNS(NS_DSIG, 'Signature')[0];
    if (sig) evil.removeChild(sig);
    for (const value of Array.from(evil.getElementsByTagNameNS(NS_SAML, 'AttributeValue'))) {
      if (value.textContent === 'alice@example.com') value.textContent = 'mallory';
    }
    return evil;
  };

  test('a second, unsigned Assertion beside the signed one is refused', () => {
    for (const position of ['before', 'after'] as const) {
      const doc = parse(decode(mint()));
      const signed = first(doc, NS_SAML, 'Assertion');
      const evil = evilAssertion(doc);
      if (position === 'before') signed.parentNode?.insertBefore(evil, signed);
      else signed.parentNode?.appendChild(evil);
      const b64 = encode(serialize(doc));
      expectRefusal(() => verify(b64), 'InvalidIdentityToken', /exactly one Assertion/, b64);
    }
  });

  test('the signed Assertion moved inside an unsigned one that takes its place is refused', () => {
    const doc = parse(decode(mint()));
    const signed = first(doc, NS_SAML, 'Assertion');
    const evil = evilAssertion(doc);
    signed.parentNode?.replaceChild(evil, signed);
    const advice = doc.createElementNS(NS_SAML, 'saml:Advice');
    advice.appendChild(signed);
    evil.appendChild(advice);
    const b64 = encode(serialize(doc));
    expectRefusal(() => verify(b64), 'InvalidIdentityToken', /exactly one Assertion/, b64);
  });

  test("the assertion's signature moved up to the Response, where it does not sign its parent, is refused", () => {
    const doc = parse(decode(mint()));
    const sig = first(doc, NS_DSIG, 'Signature');
    const response = doc.documentElement;
    sig.parentNode?.removeChild(sig);
    response.insertBefore(sig, first(doc, NS_SAML, 'Assertion'));
    const b64 = encode(serialize(doc));
    expectRefusal(() => verify(b64), 'InvalidIdentityToken', /reference the element that contains it/, b64);
  });

  test('another element carrying the signed ID is refused', () => {
    const doc = parse(decode(mint()));
    const id = first(doc, NS_SAML, 'Assertion').getAttribute('ID')!;
    const extensions = doc.createElementNS('urn:oasis:names:tc:SAML:2.0:protocol', 'samlp:Extensions');
    extensions.setAttribute('ID', id);
    doc.documentElement.insertBefore(extensions, first(doc, 'urn:oasis:names:tc:SAML:2.0:protocol', 'Status'));
    const b64 = encode(serialize(doc));
    expectRefusal(() => verify(b64), 'InvalidIdentityToken', /same ID/, b64);
  });
});

describe('verifySamlResponse checks audience, time and attributes', () => {
  test('an assertion for another audience is refused', () => {
    const b64 = mint({ audience: 'https://sp.example.com/saml' });
    expectRefusal(
      () => verify(b64),
      'InvalidIdentityToken',
      /Audience must be https:\/\/signin\.aws\.amazon\.com\/saml/,
      b64,
    );
  });

  test('a Recipient other than the AWS sign-in endpoint is refused', () => {
    const b64 = resign(
      decode(mint()).replace(
        'Recipient="https://signin.aws.amazon.com/saml"',
        'Recipient="https://sp.example.com/acs"',
      ),
    );
    expectRefusal(() => verify(b64), 'InvalidIdentityToken', /Recipient/, b64);
  });

  test('NotOnOrAfter holds up to the last millisecond and is refused from then on', () => {
    const b64 = mint({ lifetimeSeconds: 120 });
    expect(verify(b64, NOW + 119_999).notOnOrAfter).toBe(NOW + 120_000);
    expectRefusal(() => verify(b64, NOW + 120_000), 'ExpiredToken', /expired/, b64);
  });

  test('an assertion redeemed more than five minutes after issuance is refused, whatever its NotOnOrAfter', () => {
    const b64 = mint({ lifetimeSeconds: 3600 });
    expect(verify(b64, NOW + 300_000).roleSessionName).toBe('alice@example.com');
    expectRefusal(
      () => verify(b64, NOW + 300_001),
      'ExpiredToken',
      /^Token must be redeemed within 5 minutes of issuance$/,
      b64,
    );
  });

  test('an assertion used before its NotBefore is refused', () => {
    const b64 = mint();
    expectRefusal(() => verify(b64, NOW - 1), 'InvalidIdentityToken', /not yet valid/, b64);
  });

  test('a response whose IdP reports failure is refused as IDPRejectedClaim', () => {
    const b64 = encode(decode(mint()).replace('status:Success', 'status:Requester'));
    expectRefusal(() => verify(b64), 'IDPRejectedClaim', /authentication failed/, b64);
  });

  test('a missing Role attribute, or one without a provider ARN, is refused', () => {
    const missing = mint({ roles: [] });
    expect(decode(missing)).not.toContain('Attributes/Role"');
    expectRefusal(
      () => verify(missing),
      'InvalidIdentityToken',
      /no https:\/\/aws\.amazon\.com\/SAML\/Attributes\/Role attribute/,
      missing,
    );
    const noProvider = mint({ roles: [{ roleArn: ROLE, principalArn: 'arn:aws:iam::111122223333:user/alice' }] });
    expectRefusal(() => verify(noProvider), 'InvalidIdentityToken', /pair/, noProvider);
  });

  test('RoleSessionName is required and must match the pattern AWS states', () => {
    const missing = mint({ roleSessionName: '' });
    expectRefusal(
      () => verify(missing),
      'InvalidIdentityToken',
      /^RoleSessionName is required in AuthnResponse$/,
      missing,
    );
    const bad = mint({ roleSessionName: 'alice smith' });
    expectRefusal(() => verify(bad), 'InvalidIdentityToken', /^RoleSessionName in AuthnResponse must match/, bad);
  });

  test('SessionDuration outside 900-43200 and a SourceIdentity starting with aws: are refused', () => {
    for (const sessionDuration of [899, 43201]) {
      const b64 = mint({ sessionDuration });
      expectRefusal(() => verify(b64), 'InvalidIdentityToken', /SessionDuration/, b64);
    }
    const b64 = mint({ sourceIdentity: 'aws:admin' });
    expectRefusal(() => verify(b64), 'InvalidIdentityToken', /SourceIdentity/, b64);
  });

  test('PrincipalTag keys differing only in case are refused', () => {
    const b64 = mint({
      tags: [
        { Key: 'team', Value: 'a' },
        { Key: 'Team', Value: 'b' },
      ],
    });
    expectRefusal(() => verify(b64), 'InvalidIdentityToken', /unique/, b64);
  });
});

describe('verifySamlResponse refuses what is not a SAML response', () => {
  test.each([
    ['text outside the base64 alphabet', 'not base64!'],
    ['an empty string', ''],
    ['base64 of plain text', encode('hello world')],
    ['base64 of broken XML', encode('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><unclosed>')],
    ['XML that is not a SAML Response', encode('<html><body>login</body></html>')],
    [
      'a DOCTYPE with entities',
      encode('<!DOCTYPE r [<!ENTITY a "aaaa">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>'),
    ],
  ])('%s', (_what, input) => {
    expectRefusal(() => verify(input), 'InvalidIdentityToken', /./);
  });

  test('options are checked before the response', () => {
    expect(() => verifySamlResponse(mint(), { certificatePem: 'not a certificate', now: NOW })).toThrow(
      /certificatePem/,
    );
    expect(() => verifySamlResponse(mint(), { certificatePem, now: Number.NaN })).toThrow(/now/);
  });
});

describe('demoSamlSigningMaterial', () => {
  test('is an RSA 2048 key whose certificate matches it', () => {
    const key = createPrivateKey(demoSamlSigningMaterial.privateKeyPem);
    const cert = new X509Certificate(demoSamlSigningMaterial.certificatePem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(cert.subject).toBe('CN=sts-local-demo-idp');
  });
});
