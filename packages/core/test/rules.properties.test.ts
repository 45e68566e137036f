import fc from 'fast-check';

import {
  defaultRoleSessionName,
  validateAssumeRoleParams,
  validateAssumeRoleWithWebIdentityParams,
  validateAssumeRootParams,
  validateGetFederationTokenParams,
  validateGetSessionTokenParams,
} from '../src/sts/rules';
import { AUDIT_ROOT_TASK, MFA_ARN, ROLE_ARN, expectInvalid, flipCase, invalid } from './rulesHelpers';

const ROLE = { RoleArn: ROLE_ARN, RoleSessionName: 'prop' };
const SESSION_NAME_CHAR = /^[\w+=,.@-]$/;
const TAG_CHAR = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]$/u;

const sessionName = fc.stringMatching(/^[\w+=,.@-]{2,64}$/);
/** Any single character (astral ones included) outside [\w+=,.@-]. */
const notSessionNameChar = fc
  .string({ unit: 'grapheme-composite', minLength: 1, maxLength: 1 })
  .filter((ch) => !SESSION_NAME_CHAR.test(ch));
const validPart = fc.stringMatching(/^[\w+=,.@-]{0,30}$/);
const tagKey = fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{1,40}$/);
const tagValue = fc
  .string({ unit: 'grapheme', maxLength: 256 })
  .filter((v) => Array.from(v).every((ch) => TAG_CHAR.test(ch)));

describe('RoleSessionName, as a property', () => {
  test('every string of 2–64 characters of [\\w+=,.@-] passes', () => {
    fc.assert(
      fc.property(sessionName, (name) => {
        validateAssumeRoleParams({ ...ROLE, RoleSessionName: name });
        validateAssumeRoleWithWebIdentityParams({ RoleArn: ROLE_ARN, RoleSessionName: name });
      }),
    );
  });

  test('a string with any character outside the set fails, naming RoleSessionName', () => {
    fc.assert(
      fc.property(validPart, notSessionNameChar, validPart, (head, bad, tail) => {
        expectInvalid(
          () => validateAssumeRoleParams({ ...ROLE, RoleSessionName: `${head}${bad}${tail}` }),
          'RoleSessionName',
          'must match [\\w+=,.@-]{2,64}',
        );
      }),
    );
  });

  test('defaultRoleSessionName is valid for every clock reading', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer({ min: 0, max: 8.64e15 })), (now) => {
        validateAssumeRoleParams({ RoleArn: ROLE_ARN, RoleSessionName: defaultRoleSessionName(now) });
      }),
    );
  });
});

describe('Tags, as a property', () => {
  const distinctKeys = fc.uniqueArray(tagKey, { selector: (k) => k.toLowerCase(), minLength: 1, maxLength: 49 });

  test('up to 50 tags with case-insensitively distinct keys pass', () => {
    fc.assert(
      fc.property(distinctKeys, fc.array(tagValue, { minLength: 49, maxLength: 49 }), (keys, values) => {
        const Tags = keys.map((Key, i) => ({ Key, Value: values[i] ?? '' }));
        validateAssumeRoleParams({ ...ROLE, Tags });
        validateGetFederationTokenParams({ Name: 'Bob', Tags });
      }),
    );
  });

  test('a key repeated in any other case fails, naming Tags and the key', () => {
    fc.assert(
      fc.property(distinctKeys, fc.nat(), fc.nat(), fc.boolean(), (keys, pick, at, sameCase) => {
        const original = keys[pick % keys.length] ?? 'k';
        const repeat = sameCase ? original : flipCase(original);
        const Tags = keys.map((Key) => ({ Key, Value: 'v' }));
        Tags.splice((at % Tags.length) + 1, 0, { Key: repeat, Value: 'w' });
        const error = expectInvalid(
          () => validateAssumeRoleParams({ ...ROLE, Tags }),
          'Tags',
          'has duplicate keys (case-insensitive)',
        );
        expect(error.message).toContain(original);
      }),
    );
  });

  test('more than 50 tags fail, naming Tags', () => {
    fc.assert(
      fc.property(fc.integer({ min: 51, max: 200 }), (n) => {
        const Tags = Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: '' }));
        expectInvalid(() => validateAssumeRoleParams({ ...ROLE, Tags }), 'Tags', 'at most 50');
      }),
    );
  });
});

describe('DurationSeconds, as a property', () => {
  const cases = [
    ['AssumeRole', (d: unknown) => validateAssumeRoleParams({ ...ROLE, DurationSeconds: d as number }), 900, 43_200],
    ['GetSessionToken', (d: unknown) => validateGetSessionTokenParams({ DurationSeconds: d as number }), 900, 129_600],
    [
      'AssumeRoot',
      (d: unknown) =>
        validateAssumeRootParams({
          TargetPrincipal: '111122223333',
          TaskPolicyArn: { arn: AUDIT_ROOT_TASK },
          DurationSeconds: d as number,
        }),
      0,
      900,
    ],
  ] as const;

  test.each(cases)('%s: integers inside the range pass, every other number fails', (_op, validate, min, max) => {
    fc.assert(fc.property(fc.integer({ min, max }), (d) => validate(d)));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ max: min - 1 }),
          fc.integer({ min: max + 1 }),
          fc.double().filter((d) => !Number.isInteger(d)),
        ),
        (d) => {
          expectInvalid(() => validate(d), 'DurationSeconds', `between ${min} and ${max}`);
        },
      ),
    );
  });
});

describe('secrets, as a property', () => {
  const MARK = 'ZQXJ';
  const marked = fc
    .tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }))
    .map(([a, b]) => `${a}${MARK}${b}`);

  test('a bad TokenCode never appears in the message', () => {
    fc.assert(
      fc.property(marked, (TokenCode) => {
        const error = invalid(() => validateGetSessionTokenParams({ SerialNumber: MFA_ARN, TokenCode }));
        expect(error.parameter).toBe('TokenCode');
        expect(error.message).not.toContain(MARK);
      }),
    );
  });

  test('a bad Policy or ExternalId never appears in the message', () => {
    const badPolicy = fc
      .tuple(marked, fc.constantFrom('\u0100', '\u0000', '\u000B', '😀'))
      .map(([s, bad]) => `${s}${bad}`);
    const badExternalId = marked.map((s) => `${s} `);
    fc.assert(
      fc.property(badPolicy, badExternalId, (Policy, ExternalId) => {
        const policyError = expectInvalid(() => validateAssumeRoleParams({ ...ROLE, Policy }), 'Policy');
        const idError = expectInvalid(() => validateAssumeRoleParams({ ...ROLE, ExternalId }), 'ExternalId');
        expect(policyError.message).not.toContain(MARK);
        expect(idError.message).not.toContain(MARK);
      }),
    );
  });
});

describe('unknown parameters, as a property', () => {
  const KNOWN = new Set([
    'RoleArn',
    'RoleSessionName',
    'PolicyArns',
    'Policy',
    'DurationSeconds',
    'Tags',
    'TransitiveTagKeys',
    'ExternalId',
    'SerialNumber',
    'TokenCode',
    'SourceIdentity',
    'ProvidedContexts',
    'MinimumSessionTokenSize',
  ]);
  const unknownKey = fc.stringMatching(/^[\w.-]{1,64}$/).filter((k) => !KNOWN.has(k) && k !== '__proto__');

  test('any other key fails, naming that key', () => {
    fc.assert(
      fc.property(unknownKey, fc.anything(), (key, value) => {
        const params = { ...ROLE, [key]: value };
        expectInvalid(() => validateAssumeRoleParams(params), key, 'is not a parameter of AssumeRole');
      }),
    );
  });
});
