// DEMO ONLY. A fixed RSA 2048 key pair for the demo OIDC provider of sts-local. The private key is
// public by design, being in this file: a token signed with it proves nothing outside sts-local.
// Never register this key with a real AWS account or anything else.
// Embedded rather than generated at run time so the demo config is the same on every machine.
// Made once with node:crypto generateKeyPairSync('rsa', { modulusLength: 2048 }), exported as JWK.

const kid = 'sts-local-demo-oidc-1';
// The modulus, in both the private key and the published JWKS.
const n =
  'tH6bf7FkCXp7aiTfJKIYgP02dXwb2ClfqggXWc_jmyOYEyjvjQfrUEjQ2gvtL1Ir4toLm9N9SBPp1xp2WeSWkAq-CDATDiHHVsoiK0SXuFqRlc' +
  'raVeqTAzSTFy9N6yNinzSdxbgo_Ex_-0LnBOHoniStA55cke0bVyTV5PtEqaV-QvlCZemLO-kOHNzEKxHEclf6NyIKWg_Cf-Rl39dl46uAw9qQ' +
  'bCOFoghWV2JmGVngY2bpNbAKtON_xkptY0hPhBM19tQ-8Mx07iKXCfA2tsjMXo5V22JyZUdKToJXMl-L7IlyfsFfTvInEET4Su5Hn6DVZgGc71' +
  'GdfsTaW6JlXw';

/** The demo OIDC provider's signing material. DEMO ONLY: the private key is published in this package. */
export const demoOidcSigningMaterial: {
  readonly privateJwk: object;
  readonly publicJwks: { readonly keys: readonly object[] };
  readonly kid: string;
} = Object.freeze({
  kid,
  privateJwk: Object.freeze({
    kty: 'RSA',
    n,
    e: 'AQAB',
    d:
      'Cf7Y7awNNi5_lyk456EdFPJGNHYNtLLV3BIGo6_3ktKDIXcq4kyF-N7kx1knEW_OLl8_iqmeToI2ePW7iCQ4klGF-ejE-rYJgVeVp3_CRzCn' +
      'efwkizgqXAsVT5C3EpvVt6taRrt5dD9oTFSFe_0RZ3CbLuVziuvuj6zii4O-vFuYlv-EyQKyzSwWHhapfX3Z6yHLW04eiIHMjvOdOr6lQO11' +
      '3_HmvnaHpTAHt4hRSlEOSoSNYWQAiRBJN_kI_Rm8HNiR7XuSN5SB7jaAMXwHUqxa9r31M1qT1KN8KLLAQwXgk94M2pq10CCJ3c2zo0O9U1qK' +
      'kyB--TZn8tfwtwtBgQ',
    p:
      '7dIHZPHaGwcrDFOhcfIBA6_QTL_K8vn2G3auPEMYg-pMUVIq6aix8hZY5zkxalrRQ3og9FTcNcsJmsRMJMQ130qpOiHAG3Y1C8ez9d-0f8sr' +
      'BxMwp4eqsR97a5keC1rG4c8-kUHzf3nqSgNNfArpijgLqAjmyR224QBlkOE0ktk',
    q:
      'wkrA4Y3dsy18IQt7HaOTJVKJ2nAWoeljN6EuiCcZi6rumYaUqG49azgBSVde0i1YatA-cJphtYUpTHFgNuI3-OH-qrY4Fhb9cNu6KzqtFH8D' +
      'UlY15wowAag4KFXqV3kdZSXaiPlO4SME5sKy6phHqSdzd0MecPKEpaVQ7cIwpvc',
    dp:
      'NUnzqDXdNmMzzS5MJbkhaw8RMLFlK27BK8Q7JHuwWZa9hRdRUEwhm2pQf3c8UGWLMICEM9t0AIW_YDOOEEr6-07CfqkjX8Pr_PjBpV18F4qR' +
      '2KL_KvrmT4wLXr_PkKHFoMGMdoX9ptnNmsoEqb_UNsl6KyvbcsM6wE4TdBRScHk',
    dq:
      'G4O8lvShPdumJYPbtpHQp8ttjEqtWdaUX29rCIsI-heF3KYLbWLXPdTbkchWvEsBp3bAMPAcADnQZGv15S_aH1vZ1dEiVjaBQ7dKQQ75Ldri' +
      '3Ikq7wIpVEK_WS75ldOoDwfyT82Glyl_azKNZd2U4Gae2nfd2r7tfAvSTyld_Hc',
    qi:
      'MuZ2pBc6wbViCiz_qnvBbOClt98cfB1VZ-YB8tVQxxBHViZfrE17F7znK-xzLPqXIE0TnF3ZPUSnkbUucTTBtjJF5enZ3JcYS7M22WJhbRfA' +
      'nO_gfm6QjwF98LqURmPYo_McNq5AiLIwfEK1W5tQJdW1pQcVHkWay6p5Qm6POrE',
    alg: 'RS256',
    use: 'sig',
    kid,
  }),
  publicJwks: Object.freeze({
    keys: Object.freeze([
      Object.freeze({
        kty: 'RSA',
        n,
        e: 'AQAB',
        alg: 'RS256',
        use: 'sig',
        kid,
      }),
    ]),
  }),
});
