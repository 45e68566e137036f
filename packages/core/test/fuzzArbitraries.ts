// fast-check arbitraries of STS parameters, valid and broken one field at a time, for the
// `fuzz.params.test.ts` of every provider package. Lengths, patterns, counts and ranges are the STS
// API reference's (/work/shared/seeds): an arbitrary here that a rule refuses, or a breaker that a
// rule lets through, fails those tests.
import { recordingHandler, type RecordingHandler } from '@credchain/testkit';
import fc from 'fast-check';

import { InvalidParameterError, type CredentialProvider, StsError } from '../src';

/** Runs per property; kept small enough that every package's fuzz file stays within a few seconds. */
export const FUZZ_RUNS = { valid: 100, invalid: 200, stsLocal: 15 } as const;

type Params = Record<string, unknown>;

const word = (min: number, max: number) => fc.stringMatching(new RegExp(`^[\\w+=,.@-]{${min},${max}}$`));
const account = fc.stringMatching(/^\d{12}$/);
const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');

/** A role ARN, with a path sometimes. */
export const roleArn = fc
  .tuple(partition, account, fc.option(fc.stringMatching(/^(\/[\w+=,.@-]{1,16}){1,3}$/), { nil: '' }), word(1, 64))
  .map(([p, a, path, name]) => `arn:${p}:iam::${a}:role${path}/${name}`);
/** Any ARN the reference's pattern and our shape check allow (managed policies, SAML and OIDC providers…). */
export const anyArn = fc.oneof(
  roleArn,
  fc
    .tuple(partition, fc.oneof(account, fc.constant('aws')), word(1, 40))
    .map(([p, a, n]) => `arn:${p}:iam::${a}:policy/${n}`),
  fc.tuple(partition, account, word(1, 40)).map(([p, a, n]) => `arn:${p}:iam::${a}:saml-provider/${n}`),
  fc
    .tuple(partition, fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-\d$/), account, word(1, 40))
    .map(([p, r, a, n]) => `arn:${p}:s3:${r}:${a}:${n}`),
);
export const sessionName = word(2, 64);
export const federatedName = word(2, 32);
export const duration = (min: number, max: number) => fc.integer({ min, max });
export const externalId = fc.stringMatching(/^[\w+=,.@:/-]{2,300}$/);
export const serialNumber = fc.oneof(
  fc.stringMatching(/^[\w+=/:,.@-]{9,256}$/),
  account.map((a) => `arn:aws:iam::${a}:mfa/fuzz`),
);
export const tokenCode = fc.stringMatching(/^\d{6}$/);
export const tokenSize = fc.integer({ min: 0, max: 4096 });
export const sourceIdentity = word(2, 64).filter((s) => !s.toLowerCase().startsWith('aws:'));

// Characters of the tag pattern [\p{L}\p{Z}\p{N}_.:/=+\-@], ASCII and beyond.
const TAG_CHARS = [...'aZ09_.:/=+-@ ', 'é', 'Ω', '日', 'ß', '\u00A0', '\u3000', '٣', 'Ⅻ'];
const tagText = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...TAG_CHARS), minLength: min, maxLength: max });
export const tagKey = tagText(1, 128);
/** Up to `max` tags whose keys differ ignoring case, and a subset of their keys as transitive keys. */
export const tagsAndTransitive = (max: number) =>
  fc
    .uniqueArray(fc.record({ Key: tagKey, Value: tagText(0, 256) }), {
      selector: (t) => t.Key.toLowerCase(),
      maxLength: max,
    })
    .chain((Tags) => fc.subarray(Tags.map((t) => t.Key)).map((TransitiveTagKeys) => ({ Tags, TransitiveTagKeys })));
export const policyArns = fc.array(
  anyArn.map((arn) => ({ arn })),
  { maxLength: 10 },
);

// Latin-1 text beyond ASCII, allowed in a policy: [\t\n\r\u0020-\u00FF].
const latin1 = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});
/** An inline session policy: valid JSON with a Statement, 1–2048 characters of the allowed set. */
export const policy = fc
  .tuple(
    fc.array(
      fc.tuple(fc.stringMatching(/^[A-Za-z0-9]{0,12}$/), fc.constantFrom('s3:GetObject', 'sts:*', '*'), latin1),
      { minLength: 1, maxLength: 4 },
    ),
    fc.constantFrom<string | number>('', 2, '\t', ' \r\n'),
  )
  .map(([statements, indent]) =>
    JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: statements.map(([Sid, Action, note]) => ({
          ...(Sid === '' ? {} : { Sid }),
          Effect: 'Allow',
          Action,
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/note': note } },
        })),
      },
      null,
      indent,
    ),
  )
  .filter((p) => p.length <= 2048);
export const providedContexts = fc.array(
  fc.record({ ProviderArn: anyArn, ContextAssertion: fc.string({ minLength: 4, maxLength: 200 }) }),
  { maxLength: 5 },
);
export const samlAssertion = fc.base64String({ minLength: 4, maxLength: 2000 });
export const webIdentityToken = fc.stringMatching(/^[\w-]{2,200}\.[\w-]{2,200}\.[\w-]{0,200}$/);

/** Optional fields: each present or absent, never `null` (which counts as absent). */
export const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
export const withoutAbsent = (params: Params): Params =>
  Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));

// ---- breaking one field ----

const NOT_A_STRING = fc.constantFrom<unknown>(42, true, {}, [], () => 'x', Symbol('s'));
const NOT_A_NUMBER = fc.constantFrom<unknown>('3600', true, {}, [], Number.NaN, Number.POSITIVE_INFINITY);
/** One code point outside `allowed`, astral ones included. */
const charOutside = (allowed: RegExp) =>
  fc
    .oneof(
      fc.integer({ min: 0, max: 0xff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.integer({ min: 0xfff0, max: 0xffff }),
      fc.integer({ min: 0, max: 0x10ffff }),
    )
    .map((point) => String.fromCodePoint(point))
    .filter((c) => !allowed.test(c));
/** A valid string with one of its characters replaced by an invalid one (same length). */
const withBadChar = (valid: fc.Arbitrary<string>, allowed: RegExp) =>
  fc.tuple(valid, charOutside(allowed), fc.nat()).map(([s, bad, at]) => {
    const points = Array.from(s);
    if (points.length === 0) return bad;
    points[at % points.length] = bad;
    return points.join('');
  });

/** Strings too short, too long, with a character outside the set, or not strings at all. */
export function badString(rule: {
  min: number;
  max: number;
  char?: RegExp;
  base?: fc.Arbitrary<string>;
}): fc.Arbitrary<unknown> {
  const fill = rule.base ?? fc.constant('');
  const options: fc.Arbitrary<unknown>[] = [
    NOT_A_STRING,
    fc.constant('x'.repeat(rule.max + 1)),
    fc.constant(`${'y'.repeat(rule.max)}zz`),
  ];
  if (rule.min > 0) options.push(fc.string({ maxLength: rule.min - 1 }).filter((s) => Array.from(s).length < rule.min));
  if (rule.char !== undefined) options.push(withBadChar(fill, rule.char));
  return fc.oneof(...options);
}
export const badInteger = (min: number, max: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    NOT_A_NUMBER,
    fc.integer({ min: -1e9, max: min - 1 }),
    fc.integer({ min: max + 1, max: 1e9 }),
    fc.double({ min, max, noNaN: true }).filter((d) => !Number.isInteger(d)),
  );
const NAME_CHAR = /^[\w+=,.@-]$/u;
export const badSessionName = badString({ min: 2, max: 64, char: NAME_CHAR, base: sessionName });
export const badArn = fc.oneof(
  badString({
    min: 20,
    max: 2048,
    char: /^[\t\n\r\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]$/u,
    base: roleArn,
  }),
  fc.constantFrom(
    'role/not-an-arn-at-all-x',
    'arn:aws:iam::111122223333',
    'arn::iam::111122223333:role/x',
    'arn:aws iam::111122223333:role/x',
  ),
);
export const badPolicy = badString({ min: 1, max: 2048, char: /^[\t\n\r\u0020-\u00FF]$/u, base: policy });
export const badPolicyArns = fc.oneof(
  fc.constantFrom<unknown>('arn:aws:iam::aws:policy/ReadOnlyAccess', {}, 7),
  fc.array(fc.constant({ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }), { minLength: 11, maxLength: 20 }),
  fc.tuple(policyArns, badArn).map(([ok, bad]) => [...ok.slice(0, 9), { arn: bad }]),
  fc.constantFrom<unknown>(
    [null],
    ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    [{ Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    [{}],
  ),
);
export const badTags = fc.oneof(
  fc.constantFrom<unknown>('k=v', {}, 1),
  fc
    .array(fc.constant({ Key: 'k', Value: 'v' }), { minLength: 51, maxLength: 60 })
    .map((tags) => tags.map((t, i) => ({ ...t, Key: `k${i}` }))),
  tagKey
    .map((Key) => [
      { Key, Value: '1' },
      { Key: Key.toUpperCase() === Key ? Key.toLowerCase() : Key.toUpperCase(), Value: '2' },
    ])
    .filter(([a, b]) => a?.Key.toLowerCase() === b?.Key.toLowerCase()),
  badString({ min: 1, max: 128, char: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]$/u, base: tagKey }).map((Key) => [
    { Key, Value: 'v' },
  ]),
  badString({ min: 0, max: 256, char: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]$/u, base: tagKey }).map((Value) => [
    { Key: 'k', Value },
  ]),
  fc.constantFrom<unknown>([{ Key: 'k' }], [{ Value: 'v' }], [{ Key: 'k', Value: 'v', Extra: 1 }], [null]),
);

/** One field of `valid` replaced by a value its rule refuses; `field` is what the error must name. */
export interface Broken {
  readonly params: Params;
  readonly field: string;
}
export function breakOne(
  valid: fc.Arbitrary<Params>,
  breakers: Readonly<Record<string, fc.Arbitrary<unknown>>>,
): fc.Arbitrary<Broken> {
  const fields = Object.keys(breakers);
  return fc
    .tuple(valid, fc.constantFrom(...fields))
    .chain(([params, field]) =>
      (breakers[field] as fc.Arbitrary<unknown>).map((bad) => ({ params: { ...params, [field]: bad }, field })),
    );
}

/** A misspelt or unknown key: refused by name, not dropped. */
export const unknownKey = fc.constantFrom('RoleARN', 'roleArn', 'Duration', 'Tag', 'SerialNumer', 'X');

/** `make` throws an InvalidParameterError whose parameter is `field` or inside it (`Tags[3].Key`). */
export function expectRejected(make: () => unknown, field: string): InvalidParameterError {
  let thrown: unknown;
  try {
    make();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof InvalidParameterError)) {
    throw new Error(
      `expected InvalidParameterError naming ${field}, got ` +
        (thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)),
    );
  }
  const named =
    thrown.parameter === field || thrown.parameter.startsWith(`${field}[`) || thrown.parameter.startsWith(`${field}.`);
  if (!named) throw new Error(`expected the error to name ${field}, got ${thrown.parameter}: ${thrown.message}`);
  return thrown;
}

/** Client options that would record, and fail, any request the provider sent. */
export function recordingOptions(): {
  handler: RecordingHandler;
  clientConfig: { region: string; endpoint: string; requestHandler: RecordingHandler };
} {
  const handler = recordingHandler();
  return {
    handler,
    clientConfig: { region: 'eu-west-1', endpoint: 'https://sts.eu-west-1.amazonaws.com', requestHandler: handler },
  };
}

/** Breakers of the parameters several operations share (DurationSeconds differs: pass its range). */
export const BREAKERS = {
  RoleArn: badArn,
  RoleSessionName: badSessionName,
  ExternalId: badString({ min: 2, max: 1224, char: /^[\w+=,.@:/-]$/u, base: externalId }),
  SerialNumber: badString({ min: 9, max: 256, char: /^[\w+=/:,.@-]$/u, base: serialNumber }),
  TokenCode: badString({ min: 6, max: 6, char: /^\d$/u, base: tokenCode }),
  Policy: badPolicy,
  PolicyArns: badPolicyArns,
  Tags: badTags,
  MinimumSessionTokenSize: badInteger(0, 4096),
} as const;

type ClientConfig = ReturnType<typeof recordingOptions>['clientConfig'];

/**
 * The three factory properties every provider shares: valid params accepted with nothing sent;
 * one broken field an InvalidParameterError naming it, nothing sent; an unknown key refused by name.
 * `make` builds the provider from params and client options.
 */
export function describeFactoryFuzz(
  name: string,
  valid: fc.Arbitrary<Params>,
  breakers: Readonly<Record<string, fc.Arbitrary<unknown>>>,
  make: (params: Params, clientConfig: ClientConfig) => CredentialProvider,
): void {
  describe(`${name} params, as properties`, () => {
    test('valid params are accepted and nothing is sent', () => {
      fc.assert(
        fc.property(valid, (params) => {
          const { handler, clientConfig } = recordingOptions();
          make(params, clientConfig).close();
          expect(handler.requests).toHaveLength(0);
        }),
        { numRuns: FUZZ_RUNS.valid },
      );
    });

    test('one broken field is an InvalidParameterError naming it, and nothing is sent', () => {
      fc.assert(
        fc.property(breakOne(valid, breakers), ({ params, field }) => {
          const { handler, clientConfig } = recordingOptions();
          // A TokenCode needs its SerialNumber, or the error names the pairing instead.
          const withDevice =
            field === 'TokenCode' ? { SerialNumber: 'arn:aws:iam::111122223333:mfa/fuzz', ...params } : params;
          expectRejected(() => make(withDevice, clientConfig), field);
          expect(handler.requests).toHaveLength(0);
        }),
        { numRuns: FUZZ_RUNS.invalid },
      );
    });

    test('an unknown or misspelt key is refused by name', () => {
      fc.assert(
        fc.property(valid, unknownKey, fc.anything(), (params, key, value) => {
          fc.pre(value !== undefined && value !== null);
          const { handler, clientConfig } = recordingOptions();
          expectRejected(() => make({ ...params, [key]: value }, clientConfig), key);
          expect(handler.requests).toHaveLength(0);
        }),
        { numRuns: FUZZ_RUNS.valid },
      );
    });
  });
}

/**
 * Valid params, sent by the provider through a real STSClient to sts-local, are never refused as
 * invalid there: the provider gets credentials, or one of `allowed` (limits the client cannot know).
 */
export async function expectStsLocalAccepts(
  valid: fc.Arbitrary<Params>,
  make: (params: Params) => CredentialProvider,
  allowed: readonly string[] = ['PackedPolicyTooLarge'],
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(valid, async (params) => {
      const provider = make(params);
      try {
        const credentials = await provider();
        expect(credentials.accessKeyId).toMatch(/^ASIA/);
      } catch (error) {
        expect(error).toBeInstanceOf(StsError);
        expect(allowed).toContain((error as StsError).code);
      } finally {
        provider.close();
      }
    }),
    { numRuns: FUZZ_RUNS.stsLocal },
  );
}
