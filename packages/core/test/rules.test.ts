import { InvalidParameterError } from '../src/errors';
import {
  defaultRoleSessionName,
  validateAssumeRoleParams,
  validateAssumeRoleWithSamlParams,
  validateAssumeRoleWithWebIdentityParams,
  validateAssumeRootParams,
  validateGetFederationTokenParams,
  validateGetSessionTokenParams,
} from '../src/sts/rules';
import {
  AUDIT_ROOT_TASK,
  MFA_ARN,
  ROLE_ARN,
  SAML_PROVIDER_ARN,
  arnOfLength,
  expectInvalid,
  invalid,
} from './rulesHelpers';

// Plain-JS callers pass anything; the tests do too. A method's parameter is checked both ways, so any
// validator fits this type while it takes any argument.
type Validate = { check(params: unknown): void }['check'];

const ROLE = { RoleArn: ROLE_ARN, RoleSessionName: 'testAR' };
const SAML = { RoleArn: ROLE_ARN, PrincipalArn: SAML_PROVIDER_ARN };
const WEB = { RoleArn: ROLE_ARN, RoleSessionName: 'app1' };
const ROOT = { TargetPrincipal: '111122223333', TaskPolicyArn: { arn: AUDIT_ROOT_TASK } };
const FEDERATION = { Name: 'Bob' };
const SESSION = {};

const OPERATIONS: ReadonlyArray<[string, Validate, Record<string, unknown>]> = [
  ['AssumeRole', validateAssumeRoleParams, ROLE],
  ['AssumeRoot', validateAssumeRootParams, ROOT],
  ['AssumeRoleWithSAML', validateAssumeRoleWithSamlParams, SAML],
  ['AssumeRoleWithWebIdentity', validateAssumeRoleWithWebIdentityParams, WEB],
  ['GetSessionToken', validateGetSessionTokenParams, SESSION],
  ['GetFederationToken', validateGetFederationTokenParams, FEDERATION],
];

describe('valid inputs are accepted', () => {
  test('the AssumeRole sample request from the API reference', () => {
    expect(() =>
      validateAssumeRoleParams({
        RoleSessionName: 'testAR',
        RoleArn: 'arn:aws:iam::123456789012:role/demo',
        PolicyArns: [
          { arn: 'arn:aws:iam::123456789012:policy/demopolicy1' },
          { arn: 'arn:aws:iam::123456789012:policy/demopolicy2' },
        ],
        Policy:
          '{"Version":"2012-10-17","Statement":[{"Sid":"Stmt1",\n"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
        DurationSeconds: 3600,
        Tags: [
          { Key: 'Project', Value: 'Pegasus' },
          { Key: 'Team', Value: 'Engineering' },
          { Key: 'Cost-Center', Value: '12345' },
        ],
        TransitiveTagKeys: ['Project', 'Cost-Center'],
        ExternalId: '123ABC',
        SourceIdentity: 'Alice',
        SerialNumber: MFA_ARN,
        TokenCode: '123456',
        ProvidedContexts: [
          {
            ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter',
            ContextAssertion: 'trusted-context-assertion',
          },
        ],
        MinimumSessionTokenSize: 0,
      }),
    ).not.toThrow();
  });

  test.each(OPERATIONS)('%s with only its required parameters', (_name, validate, base) => {
    expect(() => validate({ ...base })).not.toThrow();
  });

  test('every parameter of the other operations, at once', () => {
    expect(() =>
      validateAssumeRoleWithSamlParams({
        ...SAML,
        SAMLAssertion: 'PHNhbWxwOlJlc3BvbnNlIC8+',
        Policy: '{"Version":"2012-10-17"}',
        PolicyArns: [{ arn: 'arn:aws:iam::123456789012:policy/p' }],
        DurationSeconds: 43_200,
      }),
    ).not.toThrow();
    expect(() =>
      validateAssumeRoleWithWebIdentityParams({
        ...WEB,
        WebIdentityToken: 'eyJhbGciOi.eyJzdWIi.c2ln',
        ProviderId: 'www.amazon.com',
        DurationSeconds: 900,
        Policy: '{}',
      }),
    ).not.toThrow();
    expect(() =>
      validateGetFederationTokenParams({
        Name: 'Bob',
        Policy: '{}',
        PolicyArns: [{ arn: 'arn:aws:iam::123456789012:policy/p' }],
        DurationSeconds: 129_600,
        Tags: [{ Key: 'Team', Value: '' }],
      }),
    ).not.toThrow();
    expect(() =>
      validateGetSessionTokenParams({ DurationSeconds: 129_600, SerialNumber: 'GAHT12345678', TokenCode: '000000' }),
    ).not.toThrow();
    expect(() => validateGetSessionTokenParams()).not.toThrow();
  });

  test('undefined and null optional parameters count as absent, as the SDK treats them', () => {
    expect(() => validateAssumeRoleParams({ ...ROLE, ExternalId: undefined, Tags: undefined })).not.toThrow();
    expect(() => validateAssumeRoleParams({ ...ROLE, Policy: null } as never)).not.toThrow();
  });

  test('validation never mutates the input', () => {
    const params = Object.freeze({ ...ROLE, Tags: Object.freeze([Object.freeze({ Key: 'a', Value: 'b' })]) });
    expect(() => validateAssumeRoleParams(params as never)).not.toThrow();
  });
});

describe('required parameters', () => {
  test.each([
    ['AssumeRole', validateAssumeRoleParams, ROLE, 'RoleArn'],
    ['AssumeRole', validateAssumeRoleParams, ROLE, 'RoleSessionName'],
    ['AssumeRoot', validateAssumeRootParams, ROOT, 'TargetPrincipal'],
    ['AssumeRoot', validateAssumeRootParams, ROOT, 'TaskPolicyArn'],
    ['AssumeRoleWithSAML', validateAssumeRoleWithSamlParams, SAML, 'RoleArn'],
    ['AssumeRoleWithSAML', validateAssumeRoleWithSamlParams, SAML, 'PrincipalArn'],
    ['AssumeRoleWithWebIdentity', validateAssumeRoleWithWebIdentityParams, WEB, 'RoleArn'],
    ['AssumeRoleWithWebIdentity', validateAssumeRoleWithWebIdentityParams, WEB, 'RoleSessionName'],
    ['GetFederationToken', validateGetFederationTokenParams, FEDERATION, 'Name'],
  ] as Array<[string, Validate, Record<string, unknown>, string]>)(
    '%s without %s is refused',
    (_op, validate, base, key) => {
      const { [key]: _dropped, ...rest } = base;
      expectInvalid(() => validate(rest), key, `${key} is required`);
      expectInvalid(() => validate({ ...base, [key]: undefined }), key, 'is required');
    },
  );

  test('SAMLAssertion and WebIdentityToken may be absent: providers pass them beside params', () => {
    expect(() => validateAssumeRoleWithSamlParams({ ...SAML })).not.toThrow();
    expect(() => validateAssumeRoleWithWebIdentityParams({ ...WEB })).not.toThrow();
  });
});

// [operation, validate, base params, parameter, min, max, a value of length n]
const LENGTHS: Array<[string, Validate, Record<string, unknown>, string, number, number, (n: number) => unknown]> = [
  ['AssumeRole', validateAssumeRoleParams, ROLE, 'RoleArn', 20, 2048, arnOfLength],
  ['AssumeRole', validateAssumeRoleParams, ROLE, 'RoleSessionName', 2, 64, (n) => 'a'.repeat(n)],
  ['AssumeRole', validateAssumeRoleParams, ROLE, 'ExternalId', 2, 1224, (n) => 'x'.repeat(n)],
  ['AssumeRole', validateAssumeRoleParams, ROLE, 'SerialNumber', 9, 256, (n) => '9'.repeat(n)],
  ['AssumeRole', validateAssumeRoleParams, ROLE, 'SourceIdentity', 2, 64, (n) => 's'.repeat(n)],
  ['AssumeRole', validateAssumeRoleParams, ROLE, 'Policy', 1, 2048, (n) => ' '.repeat(n)],
  ['AssumeRoleWithSAML', validateAssumeRoleWithSamlParams, SAML, 'RoleArn', 20, 2048, arnOfLength],
  ['AssumeRoleWithSAML', validateAssumeRoleWithSamlParams, SAML, 'PrincipalArn', 20, 2048, arnOfLength],
  ['AssumeRoleWithSAML', validateAssumeRoleWithSamlParams, SAML, 'SAMLAssertion', 4, 100_000, (n) => 'P'.repeat(n)],
  ['AssumeRoleWithSAML', validateAssumeRoleWithSamlParams, SAML, 'Policy', 1, 2048, (n) => '{'.repeat(n)],
  [
    'AssumeRoleWithWebIdentity',
    validateAssumeRoleWithWebIdentityParams,
    WEB,
    'RoleSessionName',
    2,
    64,
    (n) => 'w'.repeat(n),
  ],
  [
    'AssumeRoleWithWebIdentity',
    validateAssumeRoleWithWebIdentityParams,
    WEB,
    'WebIdentityToken',
    4,
    20_000,
    (n) => 'e'.repeat(n),
  ],
  [
    'AssumeRoleWithWebIdentity',
    validateAssumeRoleWithWebIdentityParams,
    WEB,
    'ProviderId',
    4,
    2048,
    (n) => 'g'.repeat(n),
  ],
  ['GetSessionToken', validateGetSessionTokenParams, SESSION, 'SerialNumber', 9, 256, (n) => 'G'.repeat(n)],
  ['GetFederationToken', validateGetFederationTokenParams, FEDERATION, 'Name', 2, 32, (n) => 'b'.repeat(n)],
  ['GetFederationToken', validateGetFederationTokenParams, FEDERATION, 'Policy', 1, 2048, (n) => '\t'.repeat(n)],
];

describe('string lengths: min and max pass, min−1 and max+1 fail naming the parameter', () => {
  test.each(LENGTHS)('%s %s is %i–%i characters', (_op, validate, base, key, min, max, make) => {
    expect(() => validate({ ...base, [key]: make(min) })).not.toThrow();
    expect(() => validate({ ...base, [key]: make(max) })).not.toThrow();
    expectInvalid(() => validate({ ...base, [key]: make(min - 1) }), key, `(got ${min - 1} characters)`);
    expectInvalid(() => validate({ ...base, [key]: make(max + 1) }), key, `(got ${max + 1} characters)`);
  });

  test.each([
    ['Tags[0].Key', (s: string) => ({ ...ROLE, Tags: [{ Key: s, Value: 'v' }] }), 1, 128],
    ['Tags[0].Value', (s: string) => ({ ...ROLE, Tags: [{ Key: 'k', Value: s }] }), 0, 256],
    ['TransitiveTagKeys[0]', (s: string) => ({ ...ROLE, TransitiveTagKeys: [s] }), 1, 128],
    ['PolicyArns[0].arn', (s: string) => ({ ...ROLE, PolicyArns: [{ arn: s }] }), 20, 2048],
    [
      'ProvidedContexts[0].ProviderArn',
      (s: string) => ({ ...ROLE, ProvidedContexts: [{ ProviderArn: s, ContextAssertion: 'abcd' }] }),
      20,
      2048,
    ],
    [
      'ProvidedContexts[0].ContextAssertion',
      (s: string) => ({ ...ROLE, ProvidedContexts: [{ ProviderArn: ROLE_ARN, ContextAssertion: s }] }),
      4,
      2048,
    ],
  ] as Array<[string, (s: string) => unknown, number, number]>)(
    'AssumeRole %s is %i–%i characters',
    (key, build, min, max) => {
      const make = key.endsWith('Arn') || key.endsWith('arn') ? arnOfLength : (n: number) => 'k'.repeat(n);
      expect(() => validateAssumeRoleParams(build(make(min)) as never)).not.toThrow();
      expect(() => validateAssumeRoleParams(build(make(max)) as never)).not.toThrow();
      if (min > 0) expectInvalid(() => validateAssumeRoleParams(build(make(min - 1)) as never), key);
      expectInvalid(() => validateAssumeRoleParams(build(make(max + 1)) as never), key);
    },
  );

  test('lengths count characters, not UTF-16 units: 128 astral letters make a valid tag key', () => {
    const key = '𝒜'.repeat(128); // 256 UTF-16 units
    expect(() => validateAssumeRoleParams({ ...ROLE, Tags: [{ Key: key, Value: '' }] })).not.toThrow();
    expectInvalid(() => validateAssumeRoleParams({ ...ROLE, Tags: [{ Key: `${key}𝒜`, Value: '' }] }), 'Tags[0].Key');
  });

  test('TokenCode is exactly 6 digits', () => {
    const withCode = (TokenCode: string) => ({ ...ROLE, SerialNumber: MFA_ARN, TokenCode });
    expect(() => validateAssumeRoleParams(withCode('012345'))).not.toThrow();
    for (const bad of ['12345', '1234567', '12a456', '١٢٣٤٥٦', '12 456', '']) {
      expectInvalid(() => validateAssumeRoleParams(withCode(bad)), 'TokenCode', 'TokenCode must be exactly 6 digits');
      expectInvalid(
        () => validateGetSessionTokenParams({ SerialNumber: MFA_ARN, TokenCode: bad }),
        'TokenCode',
        'must be exactly 6 digits',
      );
    }
  });
});

describe('DurationSeconds ranges per operation', () => {
  test.each([
    ['AssumeRole', validateAssumeRoleParams, ROLE, 900, 43_200],
    ['AssumeRoleWithSAML', validateAssumeRoleWithSamlParams, SAML, 900, 43_200],
    ['AssumeRoleWithWebIdentity', validateAssumeRoleWithWebIdentityParams, WEB, 900, 43_200],
    ['GetSessionToken', validateGetSessionTokenParams, SESSION, 900, 129_600],
    ['GetFederationToken', validateGetFederationTokenParams, FEDERATION, 900, 129_600],
    ['AssumeRoot', validateAssumeRootParams, ROOT, 0, 900],
  ] as Array<[string, Validate, Record<string, unknown>, number, number]>)(
    '%s: %i–%i',
    (_op, validate, base, min, max) => {
      const rule = `DurationSeconds must be an integer between ${min} and ${max}`;
      expect(() => validate({ ...base, DurationSeconds: min })).not.toThrow();
      expect(() => validate({ ...base, DurationSeconds: max })).not.toThrow();
      expectInvalid(() => validate({ ...base, DurationSeconds: min - 1 }), 'DurationSeconds', rule);
      expectInvalid(() => validate({ ...base, DurationSeconds: max + 1 }), 'DurationSeconds', rule);
      for (const bad of [min + 0.5, Number.NaN, Number.POSITIVE_INFINITY, String(min), true, [min]]) {
        expectInvalid(() => validate({ ...base, DurationSeconds: bad }), 'DurationSeconds', rule);
      }
    },
  );

  test.each(OPERATIONS)('%s: MinimumSessionTokenSize is an integer 0–4096', (_op, validate, base) => {
    expect(() => validate({ ...base, MinimumSessionTokenSize: 0 })).not.toThrow();
    expect(() => validate({ ...base, MinimumSessionTokenSize: 4096 })).not.toThrow();
    expectInvalid(
      () => validate({ ...base, MinimumSessionTokenSize: -1 }),
      'MinimumSessionTokenSize',
      'between 0 and 4096',
    );
    expectInvalid(
      () => validate({ ...base, MinimumSessionTokenSize: 4097 }),
      'MinimumSessionTokenSize',
      'between 0 and 4096',
    );
  });
});

describe('patterns', () => {
  test('RoleSessionName allows [\\w+=,.@-] only', () => {
    expect(() => validateAssumeRoleParams({ ...ROLE, RoleSessionName: 'a_Z9+=,.@-' })).not.toThrow();
    for (const bad of ['my session', 'a/b', 'a:b', 'Jürgen', 'a\nb']) {
      expectInvalid(
        () => validateAssumeRoleParams({ ...ROLE, RoleSessionName: bad }),
        'RoleSessionName',
        'RoleSessionName must match [\\w+=,.@-]{2,64}',
      );
    }
    const error = invalid(() => validateAssumeRoleParams({ ...ROLE, RoleSessionName: 'my session' }));
    expect(error.message).toBe('RoleSessionName must match [\\w+=,.@-]{2,64} (got "my session": " " is not allowed)');
  });

  test('ExternalId allows [\\w+=,.@:/-], SerialNumber [\\w+=/:,.@-]', () => {
    expect(() => validateAssumeRoleParams({ ...ROLE, ExternalId: 'a+=,.@:/-_Z' })).not.toThrow();
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, ExternalId: 'pass phrase' }),
      'ExternalId',
      '[\\w+=,.@:/-]{2,1224}',
    );
    expect(() => validateAssumeRoleParams({ ...ROLE, SerialNumber: 'GAHT12345678' })).not.toThrow();
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, SerialNumber: 'GAHT 12345678' }),
      'SerialNumber',
      '[\\w+=/:,.@-]{9,256}',
    );
    expectInvalid(() => validateGetSessionTokenParams({ SerialNumber: 'arn:aws:iam::1:mfa/a#b' }), 'SerialNumber');
  });

  test('SourceIdentity: the pattern, and no aws: prefix in any case', () => {
    expect(() => validateAssumeRoleParams({ ...ROLE, SourceIdentity: 'awsome-Alice' })).not.toThrow();
    for (const reserved of ['aws:alice', 'AWS:alice', 'Aws:x']) {
      expectInvalid(
        () => validateAssumeRoleParams({ ...ROLE, SourceIdentity: reserved }),
        'SourceIdentity',
        'must not begin with aws:',
      );
    }
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, SourceIdentity: 'Alice Smith' }),
      'SourceIdentity',
      '[\\w+=,.@-]{2,64}',
    );
  });

  test('Policy allows tab, LF, CR and \\u0020–\\u00FF only', () => {
    expect(() => validateAssumeRoleParams({ ...ROLE, Policy: '\t\n\r {"é":"ÿ"}' })).not.toThrow();
    for (const bad of ['{"a":"Ā"}', '{\u0000}', '{\u000B}', '{"x":"😀"}']) {
      expectInvalid(
        () => validateAssumeRoleParams({ ...ROLE, Policy: bad }),
        'Policy',
        'tab, LF, CR and \\u0020–\\u00FF',
      );
    }
  });

  test('ARNs: the reference character set and the arn:partition:service:region:account:resource form', () => {
    expect(() =>
      validateAssumeRoleParams({ ...ROLE, RoleArn: 'arn:aws-cn:iam::123456789012:role/path/ö' }),
    ).not.toThrow();
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, RoleArn: 'not-an-arn-but-long-enough' }),
      'RoleArn',
      'must be an ARN',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, RoleArn: 'arn:aws:iam::123456789012' }),
      'RoleArn',
      'must be an ARN',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, RoleArn: `${ROLE_ARN}\u0000` }),
      'RoleArn',
      'must be an ARN',
    );
    expectInvalid(
      () => validateAssumeRoleWithSamlParams({ ...SAML, PrincipalArn: 'corp-idp-without-arn-form' }),
      'PrincipalArn',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, PolicyArns: [{ arn: ROLE_ARN }, { arn: 'policy/not-an-arn-form' }] }),
      'PolicyArns[1].arn',
    );
  });

  test('Tag keys and values: letters, separators, numbers and _.:/=+-@ of any script', () => {
    const tags = [
      { Key: 'Café Ünï 数字', Value: 'ça va: 1+1=2 @home/x_y-z' },
      { Key: 'aws:ok', Value: '' },
    ];
    expect(() => validateAssumeRoleParams({ ...ROLE, Tags: tags })).not.toThrow();
    const error = expectInvalid(
      () =>
        validateAssumeRoleParams({
          ...ROLE,
          Tags: [...tags, { Key: 'x', Value: 'y' }, { Key: 'cost#center', Value: 'v' }],
        }),
      'Tags[3].Key',
    );
    expect(error.message).toContain('Tags[3].Key must be 1–128 characters of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]');
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, Tags: [{ Key: 'k', Value: 'a;b' }] }),
      'Tags[0].Value',
      '0–256',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, TransitiveTagKeys: ['ok', 'no*'] }),
      'TransitiveTagKeys[1]',
      '1–128',
    );
  });
});

describe('counts and tag rules', () => {
  const arns = (n: number) => Array.from({ length: n }, (_, i) => ({ arn: `arn:aws:iam::123456789012:policy/p${i}` }));
  const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
  const contexts = (n: number) =>
    Array.from({ length: n }, () => ({ ProviderArn: ROLE_ARN, ContextAssertion: 'abcd' }));

  test.each([
    ['AssumeRole', validateAssumeRoleParams, ROLE],
    ['AssumeRoleWithSAML', validateAssumeRoleWithSamlParams, SAML],
    ['AssumeRoleWithWebIdentity', validateAssumeRoleWithWebIdentityParams, WEB],
    ['GetFederationToken', validateGetFederationTokenParams, FEDERATION],
  ] as Array<[string, Validate, Record<string, unknown>]>)('%s: PolicyArns holds 0–10 ARNs', (_op, validate, base) => {
    expect(() => validate({ ...base, PolicyArns: [] })).not.toThrow();
    expect(() => validate({ ...base, PolicyArns: arns(10) })).not.toThrow();
    expectInvalid(
      () => validate({ ...base, PolicyArns: arns(11) }),
      'PolicyArns',
      'PolicyArns must hold at most 10 ARNs',
    );
  });

  test.each([
    ['AssumeRole', validateAssumeRoleParams, ROLE],
    ['GetFederationToken', validateGetFederationTokenParams, FEDERATION],
  ] as Array<[string, Validate, Record<string, unknown>]>)(
    '%s: Tags holds 0–50 tags with distinct keys',
    (_op, validate, base) => {
      expect(() => validate({ ...base, Tags: tags(50) })).not.toThrow();
      expectInvalid(() => validate({ ...base, Tags: tags(51) }), 'Tags', 'Tags must hold at most 50 tags');
      const dup = [
        { Key: 'Project', Value: 'a' },
        { Key: 'Team', Value: 'b' },
        { Key: 'project', Value: 'c' },
      ];
      const error = expectInvalid(
        () => validate({ ...base, Tags: dup }),
        'Tags',
        'Tags has duplicate keys (case-insensitive): Project',
      );
      expect(error.message).toContain('Tags[0] and Tags[2]');
    },
  );

  test('TransitiveTagKeys holds 0–50 keys, which need not be among Tags', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
    expect(() => validateAssumeRoleParams({ ...ROLE, TransitiveTagKeys: keys(50) })).not.toThrow();
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, TransitiveTagKeys: keys(51) }),
      'TransitiveTagKeys',
      'at most 50',
    );
  });

  test('ProvidedContexts holds 0–5 contexts', () => {
    expect(() => validateAssumeRoleParams({ ...ROLE, ProvidedContexts: contexts(5) })).not.toThrow();
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, ProvidedContexts: contexts(6) }),
      'ProvidedContexts',
      'at most 5',
    );
  });

  test('a Tag needs a Key and a Value; a context needs both fields; a descriptor needs arn', () => {
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, Tags: [{ Key: 'k' }] } as never),
      'Tags[0].Value',
      'is required',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, Tags: [{ Value: 'v' }] } as never),
      'Tags[0].Key',
      'is required',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, ProvidedContexts: [{ ProviderArn: ROLE_ARN }] }),
      'ProvidedContexts[0].ContextAssertion',
      'is required',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, ProvidedContexts: [{ ContextAssertion: 'abcd' }] }),
      'ProvidedContexts[0].ProviderArn',
    );
    expectInvalid(() => validateAssumeRoleParams({ ...ROLE, PolicyArns: [{}] }), 'PolicyArns[0].arn', 'is required');
  });
});

describe('MFA parameters', () => {
  test('SerialNumber alone is accepted: providers ask their mfaCodeProvider for the code', () => {
    expect(() => validateAssumeRoleParams({ ...ROLE, SerialNumber: MFA_ARN })).not.toThrow();
    expect(() => validateGetSessionTokenParams({ SerialNumber: MFA_ARN })).not.toThrow();
  });

  test('TokenCode without SerialNumber is refused', () => {
    expectInvalid(() => validateAssumeRoleParams({ ...ROLE, TokenCode: '123456' }), 'TokenCode', 'needs SerialNumber');
    expectInvalid(() => validateGetSessionTokenParams({ TokenCode: '123456' }), 'TokenCode', 'needs SerialNumber');
  });
});

describe('AssumeRoot targets and task policies', () => {
  test.each([
    'IAMAuditRootUserCredentials',
    'IAMCreateRootUserPassword',
    'IAMDeleteRootUserCredentials',
    'S3UnlockBucketPolicy',
    'SQSUnlockQueuePolicy',
  ])('accepts the root-task policy %s', (task) => {
    const TaskPolicyArn = { arn: `arn:aws:iam::aws:policy/root-task/${task}` };
    expect(() => validateAssumeRootParams({ ...ROOT, TaskPolicyArn })).not.toThrow();
    expect(() =>
      validateAssumeRootParams({ ...ROOT, TaskPolicyArn: { arn: TaskPolicyArn.arn.replace(':aws:', ':aws-us-gov:') } }),
    ).not.toThrow();
  });

  test('refuses any other policy, naming TaskPolicyArn.arn', () => {
    for (const arn of [
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::123456789012:policy/root-task/IAMAuditRootUserCredentials',
      `${AUDIT_ROOT_TASK}X`,
    ]) {
      expectInvalid(
        () => validateAssumeRootParams({ ...ROOT, TaskPolicyArn: { arn } }),
        'TaskPolicyArn.arn',
        'root-task/',
      );
    }
    expectInvalid(
      () => validateAssumeRootParams({ ...ROOT, TaskPolicyArn: AUDIT_ROOT_TASK } as never),
      'TaskPolicyArn',
      'must be an object { arn }',
    );
  });

  test('TargetPrincipal is a 12-digit account ID or a root user ARN', () => {
    expect(() =>
      validateAssumeRootParams({ ...ROOT, TargetPrincipal: 'arn:aws:iam::111122223333:root' }),
    ).not.toThrow();
    for (const bad of [
      '11112222333',
      '1111222233334',
      '11112222333a',
      'arn:aws:iam::111122223333:user/bob',
      'arn:aws:iam::1111:root',
    ]) {
      expectInvalid(
        () => validateAssumeRootParams({ ...ROOT, TargetPrincipal: bad }),
        'TargetPrincipal',
        '12-digit account ID',
      );
    }
  });
});

describe('unknown parameters', () => {
  test.each([
    ['RoleARN', 'RoleArn'],
    ['roleSessionName', 'RoleSessionName'],
    ['role_session_name', 'RoleSessionName'],
    ['DurationSecond', 'DurationSeconds'],
    ['Tag', 'Tags'],
    ['ExternalID', 'ExternalId'],
  ])('AssumeRole refuses %s and suggests %s', (typo, meant) => {
    const params = { ...ROLE, [typo]: 'x' };
    expectInvalid(
      () => validateAssumeRoleParams(params),
      typo,
      `${typo} is not a parameter of AssumeRole; did you mean ${meant}?`,
    );
  });

  test('a parameter of another operation is unknown, with the list of known ones', () => {
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, Name: 'Bob' } as never),
      'Name',
      'is not a parameter of AssumeRole',
    );
    expectInvalid(
      () => validateGetFederationTokenParams({ Name: 'Bob', TransitiveTagKeys: [] } as never),
      'TransitiveTagKeys',
    );
    expectInvalid(
      () => validateAssumeRootParams({ ...ROOT, Foo: 1 } as never),
      'Foo',
      'expected one of TargetPrincipal, TaskPolicyArn',
    );
    expectInvalid(() => validateGetSessionTokenParams({ RoleArn: ROLE_ARN } as never), 'RoleArn', 'GetSessionToken');
  });

  test('an unknown key with an undefined value is still a typo', () => {
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, Polcy: undefined } as never),
      'Polcy',
      'did you mean Policy?',
    );
  });

  test('nested objects: unknown fields are named with their path', () => {
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, Tags: [{ key: 'a', value: 'b' }] } as never),
      'Tags[0].key',
      'did you mean Key?',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, PolicyArns: [{ Arn: ROLE_ARN }] } as never),
      'PolicyArns[0].Arn',
      'did you mean arn?',
    );
    expectInvalid(
      () => validateAssumeRootParams({ ...ROOT, TaskPolicyArn: { Arn: AUDIT_ROOT_TASK } } as never),
      'TaskPolicyArn.Arn',
      'did you mean arn?',
    );
    expectInvalid(
      () =>
        validateAssumeRoleParams({
          ...ROLE,
          ProvidedContexts: [{ ProviderArn: ROLE_ARN, ContextAssertion: 'abcd', Extra: 1 }],
        } as never),
      'ProvidedContexts[0].Extra',
    );
  });

  test('an odd key is shown quoted and cut short', () => {
    const key = `bad key ${'z'.repeat(200)}`;
    const error = invalid(() => validateAssumeRoleParams({ ...ROLE, [key]: 1 }));
    expect(error.parameter.startsWith('"bad key')).toBe(true);
    expect(error.parameter.length).toBeLessThanOrEqual(70);
  });
});

describe('wrong types from untyped callers', () => {
  test.each(OPERATIONS)('%s refuses a params value that is not an object', (_op, validate) => {
    for (const bad of [null, 'RoleArn=x', 42, [ROLE]]) {
      expectInvalid(() => validate(bad), 'params', 'must be the');
    }
  });

  test.each([
    ['RoleArn', 123, 'must be a string (got a number)'],
    ['RoleSessionName', ['a', 'b'], 'must be a string (got an array)'],
    ['ExternalId', { id: 'x' }, 'must be a string (got an object)'],
    ['TokenCode', 123456, 'must be a string (got a number)'],
    ['Policy', { Version: '2012-10-17' }, 'must be a string (got an object)'],
    ['Tags', { Project: 'x' }, 'must be an array of tags (got an object)'],
    ['PolicyArns', ROLE_ARN, 'must be an array of ARNs (got a string)'],
    ['TransitiveTagKeys', 'Project', 'must be an array of tag keys'],
    ['ProvidedContexts', {}, 'must be an array of contexts'],
  ])('AssumeRole %s: %p', (key, value, text) => {
    const params = { ...ROLE, SerialNumber: MFA_ARN, [key]: value };
    expectInvalid(() => validateAssumeRoleParams(params), key, text);
  });

  test('array elements of the wrong type are named by index', () => {
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, Tags: [null] } as never),
      'Tags[0]',
      'must be an object { Key, Value } (got null)',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, Tags: [['k', 'v']] } as never),
      'Tags[0]',
      '(got an array)',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, Tags: [{ Key: 1, Value: 'v' }] } as never),
      'Tags[0].Key',
      'must be a string',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, PolicyArns: [ROLE_ARN] } as never),
      'PolicyArns[0]',
      'must be an object { arn }',
    );
    expectInvalid(
      () => validateAssumeRoleParams({ ...ROLE, TransitiveTagKeys: ['a', 7] } as never),
      'TransitiveTagKeys[1]',
      'must be a string',
    );
  });
});

describe('messages never carry secrets', () => {
  const MARK = 'CANARYSECRET';

  test.each([
    ['TokenCode', `${MARK}!`, { SerialNumber: MFA_ARN }],
    ['ExternalId', `${MARK} with a space`, {}],
    ['Policy', `{"Sid":"${MARK}","x":"Ā"}`, {}],
    ['Policy', `${MARK}${'x'.repeat(2048)}`, {}],
  ])('AssumeRole %s', (key, value, extra) => {
    const error = expectInvalid(() => validateAssumeRoleParams({ ...ROLE, ...extra, [key]: value }), key);
    expect(error.message).not.toContain(MARK);
    expect(error.message).not.toContain(value);
  });

  test('SAMLAssertion, WebIdentityToken and ContextAssertion', () => {
    const samlError = expectInvalid(
      () => validateAssumeRoleWithSamlParams({ ...SAML, SAMLAssertion: MARK.repeat(9000) }),
      'SAMLAssertion',
    );
    const tokenError = expectInvalid(
      () => validateAssumeRoleWithWebIdentityParams({ ...WEB, WebIdentityToken: MARK.repeat(2000) }),
      'WebIdentityToken',
    );
    const contextError = expectInvalid(
      () =>
        validateAssumeRoleParams({
          ...ROLE,
          ProvidedContexts: [{ ProviderArn: ROLE_ARN, ContextAssertion: MARK.repeat(200) }],
        }),
      'ProvidedContexts[0].ContextAssertion',
    );
    for (const error of [samlError, tokenError, contextError]) expect(error.message).not.toContain(MARK);
  });

  test('other values appear as an excerpt of at most 64 characters', () => {
    const RoleArn = `arn:aws:iam::123456789012:role/${'r'.repeat(1000)}\u0001`;
    const error = expectInvalid(() => validateAssumeRoleParams({ ...ROLE, RoleArn }), 'RoleArn');
    expect(error.message).toContain('"arn:aws:iam::123456789012:role/rrr');
    expect(error.message).toContain('…');
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('errors', () => {
  test('are InvalidParameterError, final, with parameter and rule', () => {
    const error = invalid(() => validateAssumeRoleParams({ ...ROLE, DurationSeconds: 60 }));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.name).toBe('InvalidParameterError');
    expect(error.final).toBe(true);
    expect(error.parameter).toBe('DurationSeconds');
    expect(error.rule).toBe('must be an integer between 900 and 43200 (got 60)');
    expect(error.message).toBe('DurationSeconds must be an integer between 900 and 43200 (got 60)');
  });
});

describe('defaultRoleSessionName', () => {
  test('is credchain-<ms> and a valid RoleSessionName', () => {
    expect(defaultRoleSessionName(1_718_000_000_123)).toBe('credchain-1718000000123');
    expect(defaultRoleSessionName(1_718_000_000_123.9)).toBe('credchain-1718000000123');
    expect(() =>
      validateAssumeRoleParams({ RoleArn: ROLE_ARN, RoleSessionName: defaultRoleSessionName(Date.now()) }),
    ).not.toThrow();
  });

  test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e25, Number.MAX_VALUE])(
    'stays valid for an odd clock reading (%p)',
    (now) => {
      const name = defaultRoleSessionName(now);
      expect(name).toMatch(/^credchain-[\w+=,.@-]+$/);
      expect(name.length).toBeLessThanOrEqual(64);
      expect(() => validateAssumeRoleWithWebIdentityParams({ RoleArn: ROLE_ARN, RoleSessionName: name })).not.toThrow();
    },
  );
});
