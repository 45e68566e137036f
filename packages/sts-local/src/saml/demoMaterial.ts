// DEMO ONLY. A fixed RSA 2048 key and self-signed certificate (CN=sts-local-demo-idp, valid until
// 2126) for the demo SAML identity provider of sts-local. The private key is public by design, being
// in this file: anything signed with it proves nothing outside sts-local. Never configure a real AWS
// account, or anything else, to trust this certificate.
// Embedded rather than generated at run time so the demo config is the same on every machine and
// starts without openssl. Made with:
//   openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=sts-local-demo-idp -sha256

/** The demo SAML provider's signing material. DEMO ONLY: the private key is published in this package. */
export const demoSamlSigningMaterial: { readonly privateKeyPem: string; readonly certificatePem: string } =
  Object.freeze({
    privateKeyPem: `-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCjjpfJdVQLCP2v
zsBmCPEP4YkcGM0DiNNEuXGoxw8lZalDFIfp2OzY8p6G0i5c6ElCwTX9SgUk5v3G
P40T/3kICgZfxRbNntrlnYuVT/0n57XtYv5RbO490+D9QWJAi3Lm3vldSLLhDvZ2
LhcZmnIVz/hmvblrVplYw4u1H+B+kfTTe7jfiwjucMY6G9ub47uYZR/7HT3zog9m
Lu+57pvWCRKjjuWKk/bZ4+lRCgRRsFr5bTtFnFkpP1D5UFFpFshos/T/OB1ypHib
81Av7HCXpVcfCjuxVVuWHOpQhd+h1brA3B2iJkl9wK5cESFIXNa1ocmOA4R25FKj
i79Ydo6vAgMBAAECggEAAMvN41Yl3ZPioDtyZky+16PyZeec/9pnpNr+OaMWaMkw
5Lmx26qJpJixuthFD4C18pQ8LgpxMffJ3nAqwKEqtqZN16N+8+tFB38X0dc81Tfk
g85KjJzqH/TrEHCECOpk2cjWD+Utsbi/7F1XEXHWAlMr01wzDdmzD2KMSIpqLlOH
jLxlr6DZQacMkILgaFF4p6gJxv6Kl7SomNoEi2AQu4Dh06jvfyfs+W9Oku43y9FR
jjVKzogk5EzY7HmaNGCSrDUbepJ9t7qN/BXud4rSN9dFvIWToB+ZnmWVLZKQfHml
N/fDejq7dwsOTpNUYweUtd0XKAyU6su5OPiSdpqeiQKBgQDe0f4wIWJegBrNRtgJ
S03Esaqbe+f71o88lgbBQIjPM/eLOQ/Z4HV7/u1e7xn5/wMTNbEcICSJ9QVUOkDa
ZDf7mAPJOVIOBMXMUafLPLEctcVJyDpQMJSEtflSjdAOl0F4XSiOH5vxsdRab63C
8i3zugiIXIDSglajKJ0T0lH7TQKBgQC76XUroaRYLEj1SmJhzq1CPAprl9R8f5SW
Ny/jho0JKs3acRtorphbRKsZCdQr/+0udtD5kdiSqMyqob94o/IFKr7eL9qXrdoW
gomr5I4tohVbWPftWT/XrjjMmf0xT307ei+XimWsPXYUBMFKycUqDJxy1jwZ+nWY
c9/gWSLb6wKBgB8i7QhAwgQ+loA09B9oXHet9A9CI0q30tA+jrcWk4eQ1XipAqQJ
j6FCIF1xwAmFLyLSD+vEOhblHFeGxGVAN+p6dZz625KF7DX++xmVY5KFfAoxZqSq
BTb+TtbQZlCDpmxxaCdkF2CQ3wG8NWXWfcFfL64Obxn7iKvIExsf+sDJAoGACsW2
ZtrsXfWj9RPfkfXULuDcRBC/KKfzr6zYPPXgre7bQDONu7GOoGTOXjAXDrKsOSas
kjIPNVEh8oI1RMg5PpyVto0NvfZEc1fmZolCsVECYms2Q1ADfezJ6sjFIAeLiVZW
1hwj+fzIARvIrO3mNKPmcBrh9SdLiILUCbtyaSMCgYBePmi1xeBMOs7k80lZuIBN
KAu0V2LtQvUPavypgOeEJEk5v1KRQA1z58mLlSfF3HyXPYojVGfXizScOpEhYovm
zoMmlrH9FSQarvbY9l9OMabCbJUtDtIqLZSXwJqQgp6TIEJRJpbQyqI8yyNJSiu6
EGjWJfcEnjv5ifwdiGGMxg==
-----END PRIVATE KEY-----
`,
    certificatePem: `-----BEGIN CERTIFICATE-----
MIIDHTCCAgWgAwIBAgIUakCZZnCophnoeuv990IPfDlhih8wDQYJKoZIhvcNAQEL
BQAwHTEbMBkGA1UEAwwSc3RzLWxvY2FsLWRlbW8taWRwMCAXDTI2MTEyMzA4MTEy
MFoYDzIxMjYxMDMwMDgxMTIwWjAdMRswGQYDVQQDDBJzdHMtbG9jYWwtZGVtby1p
ZHAwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCjjpfJdVQLCP2vzsBm
CPEP4YkcGM0DiNNEuXGoxw8lZalDFIfp2OzY8p6G0i5c6ElCwTX9SgUk5v3GP40T
/3kICgZfxRbNntrlnYuVT/0n57XtYv5RbO490+D9QWJAi3Lm3vldSLLhDvZ2LhcZ
mnIVz/hmvblrVplYw4u1H+B+kfTTe7jfiwjucMY6G9ub47uYZR/7HT3zog9mLu+5
7pvWCRKjjuWKk/bZ4+lRCgRRsFr5bTtFnFkpP1D5UFFpFshos/T/OB1ypHib81Av
7HCXpVcfCjuxVVuWHOpQhd+h1brA3B2iJkl9wK5cESFIXNa1ocmOA4R25FKji79Y
do6vAgMBAAGjUzBRMB0GA1UdDgQWBBQPKDdWm4M/OqJttTecOhHlw8BMGzAfBgNV
HSMEGDAWgBQPKDdWm4M/OqJttTecOhHlw8BMGzAPBgNVHRMBAf8EBTADAQH/MA0G
CSqGSIb3DQEBCwUAA4IBAQBJlYL276Y485ZXTFylSTJVdhv4XMP4LHxrbwaz5gT/
h7toOzs4YTs+sBfucFKiEf1m+D1RjQ+eEbr03RPQjwJ7Zkv/CGY7P48GKmq6zw0L
YeiBNBNE2p99ipQZ+7TqSc6F40sbIv7Uf8EZxHsaS4Xi+5he1Ywk1p9UaPk5Zqor
VerP5EM9r7oL9WUL42jzD2HIJ1Vt8MpPdbOP9X8MJhMXaYzC2f36odmRZ4Na33MR
I9QJh85oKo+SZ/lsYLdVGAAGsvHc5KGtfKhW0pucck1NHU5iypC5pcLm/ldX+Goq
rdDCfqsMZhWoWhKETU2/d23+Ii6tg4mvXV/bkwO+OqZ/
-----END CERTIFICATE-----
`,
  });
