// Property-based: STS's XML answers, well-formed, erroneous, truncated and hostile, reach our
// providers' fetch path through a real STSClient whose request handler answers generated bodies.
// The outcome is valid credentials or a typed error, and no secret-looking body content leaks.
// Cases run: 150 valid responses, 150 error bodies (AWS and moto shapes), 150 truncated bodies,
// 200 hostile bodies, 100 raw byte strings = 750 per run, plus 3 regression cases.
import { inspect } from 'node:util';

import { STSClient } from '@aws-sdk/client-sts';
import { CredchainError, StsError } from '@credchain/core';
import type { CredentialProvider } from '@credchain/core';
import { fromSessionToken } from '@credchain/session-token';
import fc from 'fast-check';

import { fromAssumeRole } from '../src';

// Canaries: what a leak would look like. They sit in the secret elements, in attributes, in
// unknown elements and in unparsable values; none may reach a message, String(), JSON or inspect.
const SECRET_CANARY = 'CanarySecretKey0fuzz0wJalrXUtnFEMIK7MDENG';
const TOKEN_CANARY = 'CanarySessionToken0fuzz0IQoJb3JpZ2luX2VjE';
const CANARIES = [SECRET_CANARY, TOKEN_CANARY];

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

interface Answer {
  readonly status: number;
  readonly body: string | Uint8Array;
  readonly contentType?: string;
}

type Operation = 'AssumeRole' | 'GetSessionToken';

/** A real STSClient whose handler never touches the network: it answers `answer` to any request. */
function answeringClient(answer: Answer): STSClient {
  const body = typeof answer.body === 'string' ? new TextEncoder().encode(answer.body) : answer.body;
  return new STSClient({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAFUZZFUZZFUZZFUZZ', secretAccessKey: 'fuzz-signing-key' },
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: answer.status,
          reason: undefined,
          headers: { 'content-type': answer.contentType ?? 'text/xml', 'x-amzn-requestid': 'fuzz-request' },
          body,
        },
      }),
    },
  });
}

function providerFor(operation: Operation, client: STSClient): CredentialProvider {
  const retry = { retries: 0 };
  return operation === 'AssumeRole'
    ? fromAssumeRole({
        params: { RoleArn: 'arn:aws:iam::111122223333:role/demo-role', RoleSessionName: 'fuzz' },
        client,
        retry,
      })
    : fromSessionToken({ client, retry });
}

type Outcome = { ok: true; accessKeyId: string; expiration: Date } | { ok: false; error: unknown };

async function fetchThrough(operation: Operation, answer: Answer): Promise<Outcome> {
  const provider = providerFor(operation, answeringClient(answer));
  try {
    const credentials = await provider();
    return { ok: true, accessKeyId: credentials.accessKeyId, expiration: credentials.expiration };
  } catch (error) {
    return { ok: false, error };
  } finally {
    provider.close();
  }
}

/** Valid credentials or a typed error without canaries: the property every body must keep. */
function expectSafe(outcome: Outcome): void {
  if (outcome.ok) {
    expect(outcome.accessKeyId.length).toBeGreaterThan(0);
    expect(outcome.expiration.getTime()).toBeGreaterThan(Date.now());
    return;
  }
  const { error } = outcome;
  expect(error).toBeInstanceOf(CredchainError);
  const e = error as Error;
  const views = [
    e.message,
    String(e),
    JSON.stringify(e),
    inspect(e, { depth: 5 }),
    inspect(e, { depth: 5, showHidden: true }),
  ];
  for (const shown of views) {
    for (const canary of CANARIES) expect(shown).not.toContain(canary);
  }
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const operation = fc.constantFrom<Operation>('AssumeRole', 'GetSessionToken');
const futureMs = fc.integer({ min: Date.now() + 2 * 3600_000, max: Date.UTC(2200, 0, 1) });
const accessKeyId = fc.stringMatching(/^ASIA[A-Z2-7]{16}$/);
const expirationText = futureMs.chain((ms) =>
  fc.constantFrom(
    new Date(ms).toISOString(),
    new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    new Date(ms).toISOString().replace('Z', '+00:00'),
  ),
);

function credentialsXml(id: string, expiration: string, extra = ''): string {
  return (
    `<Credentials${extra}><AccessKeyId>${id}</AccessKeyId><SecretAccessKey>${SECRET_CANARY}</SecretAccessKey>` +
    `<SessionToken>${TOKEN_CANARY}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`
  );
}

function responseXml(op: Operation, inner: string, opts: { ns?: string; declaration?: boolean } = {}): string {
  const ns = opts.ns === undefined ? NS : opts.ns;
  return (
    (opts.declaration === true ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') +
    `<${op}Response${ns === '' ? '' : ` xmlns="${ns}"`}><${op}Result>${inner}</${op}Result>` +
    `<ResponseMetadata><RequestId>fuzz-request</RequestId></ResponseMetadata></${op}Response>`
  );
}

const validCase = fc.record({
  op: operation,
  id: accessKeyId,
  expiration: expirationText,
  declaration: fc.boolean(),
  // STS pretty-prints with newlines. (Whitespace without a newline between elements makes the SDK's
  // parser drop the element: a typed error, covered with the hostile bodies.)
  whitespace: fc.constantFrom('', '\n', '\n    ', '\r\n\t'),
  extra: fc.constantFrom(
    '',
    '<PackedPolicySize>6</PackedPolicySize>',
    '<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/demo-role/fuzz</Arn>' +
      '<AssumedRoleId>AROAFUZZ:fuzz</AssumedRoleId></AssumedRoleUser>',
    '<SourceIdentity>fuzz</SourceIdentity><UnknownElement a="1">x</UnknownElement>',
  ),
});

const ERROR_CODES = [
  'AccessDenied',
  'ExpiredToken',
  'RegionDisabledException',
  'MalformedPolicyDocument',
  'PackedPolicyTooLarge',
  'ValidationError',
  'Throttling',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'InternalFailure',
];
const errorCase = fc.record({
  op: operation,
  status: fc.constantFrom(400, 403, 429, 500, 503),
  code: fc.oneof(fc.constantFrom(...ERROR_CODES), fc.stringMatching(/^[A-Z][A-Za-z]{2,40}$/)),
  message: fc.string({ maxLength: 200 }),
  moto: fc.boolean(),
  requestId: fc.uuid(),
});

function errorXml(code: string, message: string, moto: boolean, requestId: string): string {
  const error = `<Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlText(message)}</Message></Error>`;
  return moto
    ? `<ErrorResponse><Errors>${error}</Errors><RequestId>${requestId}</RequestId></ErrorResponse>`
    : `<ErrorResponse xmlns="${NS}">${error}<RequestId>${requestId}</RequestId></ErrorResponse>`;
}

// Bodies a broken proxy, a hostile server or a buggy emulator could send.
const LAUGHS =
  '<!DOCTYPE r [<!ENTITY a "CanarySecretKey0fuzz0wJalrXUtnFEMIK7MDENG"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">' +
  '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>';
const hostileCase = fc.oneof(
  // Entity expansion (billion laughs), in a success body and in an error body.
  fc
    .record({ op: operation, id: accessKeyId, where: fc.constantFrom('AccessKeyId', 'Code', 'Message') })
    .map(({ op, id, where }) => ({
      op,
      status: where === 'AccessKeyId' ? 200 : 400,
      body:
        LAUGHS +
        (where === 'AccessKeyId'
          ? responseXml(op, credentialsXml('&f;', '2199-01-01T00:00:00Z')).replace('&f;', `${id}&f;`)
          : errorXml(where === 'Code' ? '&f;' : 'AccessDenied', '', false, 'r').replace('&amp;f;', '&f;')),
    })),
  // External entities: must not be fetched, nor their text echoed.
  fc.record({ op: operation }).map(({ op }) => ({
    op,
    status: 200,
    body: `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${responseXml(op, credentialsXml('&x;', '2199-01-01T00:00:00Z'))}`,
  })),
  // Huge attributes, on the root or on a credentials element.
  fc.record({ op: operation, id: accessKeyId, n: fc.integer({ min: 10_000, max: 300_000 }) }).map(({ op, id, n }) => ({
    op,
    status: 200,
    body: responseXml(
      op,
      credentialsXml(id, '2199-01-01T00:00:00Z', ` junk="${'A'.repeat(n)}" secret="${SECRET_CANARY}"`),
    ),
  })),
  // Deep nesting, inside the result and as the whole body.
  fc
    .record({ op: operation, depth: fc.integer({ min: 50, max: 30_000 }), inside: fc.boolean() })
    .map(({ op, depth, inside }) => {
      const deep = `${'<x>'.repeat(depth)}${SECRET_CANARY}${'</x>'.repeat(depth)}`;
      return { op, status: 200, body: inside ? responseXml(op, deep) : deep };
    }),
  // Wrong or missing namespace: the SDK ignores namespaces; either credentials or a typed error.
  fc
    .record({
      op: operation,
      id: accessKeyId,
      ns: fc.constantFrom('', 'urn:wrong', 'https://iam.amazonaws.com/doc/2010-05-08/'),
    })
    .map(({ op, id, ns }) => ({
      op,
      status: 200,
      body: responseXml(op, credentialsXml(id, '2199-01-01T00:00:00Z'), { ns }),
    })),
  // Missing Credentials, or Credentials missing one element.
  fc
    .record({
      op: operation,
      id: accessKeyId,
      drop: fc.constantFrom('Credentials', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'),
    })
    .map(({ op, id, drop }) => {
      const full = credentialsXml(id, '2199-01-01T00:00:00Z');
      const inner = drop === 'Credentials' ? '' : full.replace(new RegExp(`<${drop}>[^<]*</${drop}>`), '');
      return { op, status: 200, body: responseXml(op, inner) };
    }),
  // Expiration in the past, within the mandatory window, or unparsable (with a canary inside).
  fc
    .record({
      op: operation,
      id: accessKeyId,
      expiration: fc.oneof(
        fc.integer({ min: 0, max: Date.now() + 60_000 }).map((ms) => new Date(ms).toISOString()),
        fc.constantFrom(
          `not-a-date-${SECRET_CANARY}`,
          '2099-13-45T00:00:00Z',
          '1234567890',
          '',
          'Infinity',
          `${TOKEN_CANARY}Z`,
        ),
        fc.string({ maxLength: 40 }).map(xmlText),
      ),
    })
    .map(({ op, id, expiration }) => ({ op, status: 200, body: responseXml(op, credentialsXml(id, expiration)) })),
  // Whitespace without a newline between elements (the SDK then loses the element).
  fc.record({ op: operation, id: accessKeyId, ws: fc.constantFrom(' ', '\t', '  \t') }).map(({ op, id, ws }) => ({
    op,
    status: 200,
    body: responseXml(op, `${ws}${credentialsXml(id, '2199-01-01T00:00:00Z')}${ws}`),
  })),
  // A success status with an error body, and an error status with a success body.
  fc.record({ op: operation, id: accessKeyId, status: fc.constantFrom(200, 400, 500) }).map(({ op, id, status }) => ({
    op,
    status,
    body:
      status === 200
        ? errorXml('AccessDenied', SECRET_CANARY, true, 'r')
        : responseXml(op, credentialsXml(id, '2199-01-01T00:00:00Z')),
  })),
);

const PROPERTY_RUNS = { valid: 150, errors: 150, truncated: 150, hostile: 200, bytes: 100 };

describe('STS responses through fromAssumeRole / fromSessionToken, as properties', () => {
  test('a valid response yields exactly its credentials', async () => {
    await fc.assert(
      fc.asyncProperty(validCase, async ({ op, id, expiration, declaration, whitespace, extra }) => {
        const inner = `${whitespace}${credentialsXml(id, expiration)}${whitespace}${extra}`;
        const outcome = await fetchThrough(op, { status: 200, body: responseXml(op, inner, { declaration }) });
        expect(outcome).toEqual({ ok: true, accessKeyId: id, expiration: new Date(expiration) });
      }),
      { numRuns: PROPERTY_RUNS.valid },
    );
  });

  test('an ErrorResponse (AWS or moto shape) is an StsError with its code, status and request id', async () => {
    await fc.assert(
      fc.asyncProperty(errorCase, async ({ op, status, code, message, moto, requestId }) => {
        const outcome = await fetchThrough(op, { status, body: errorXml(code, message, moto, requestId) });
        expect(outcome.ok).toBe(false);
        const error = (outcome as { error: unknown }).error;
        expect(error).toBeInstanceOf(StsError);
        const sts = error as StsError;
        expect(sts.operation).toBe(op);
        expect(sts.code).toBe(code.replace(/Exception$/, ''));
        expect(sts.statusCode).toBe(status);
        expectSafe(outcome);
      }),
      { numRuns: PROPERTY_RUNS.errors },
    );
  });

  test('a truncated response or error body is a typed error, never a crash', async () => {
    const whole = fc.oneof(
      validCase.map(({ op, id, expiration }) => ({
        op,
        status: 200,
        body: responseXml(op, credentialsXml(id, expiration)),
      })),
      errorCase.map(({ op, status, code, message, moto, requestId }) => ({
        op,
        status,
        body: errorXml(code, message, moto, requestId),
      })),
    );
    await fc.assert(
      fc.asyncProperty(
        whole,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        async ({ op, status, body }, cut) => {
          const truncated = body.slice(0, Math.floor(body.length * cut) - 1);
          const outcome = await fetchThrough(op, { status, body: truncated });
          expect(outcome.ok).toBe(false);
          expectSafe(outcome);
        },
      ),
      { numRuns: PROPERTY_RUNS.truncated },
    );
  });

  test('hostile XML (entities, huge attributes, deep nests, wrong shapes, bad dates): no crash, no leak', async () => {
    await fc.assert(
      fc.asyncProperty(hostileCase, async ({ op, status, body }) => {
        expectSafe(await fetchThrough(op, { status, body }));
      }),
      { numRuns: PROPERTY_RUNS.hostile },
    );
  });

  test('arbitrary bytes under any content type are a typed error', async () => {
    const contentType = fc.constantFrom('text/xml', 'application/json', 'application/octet-stream', '');
    await fc.assert(
      fc.asyncProperty(
        operation,
        fc.constantFrom(200, 400, 500),
        fc.uint8Array({ maxLength: 2000 }),
        contentType,
        async (op, status, body, type) => {
          const outcome = await fetchThrough(op, { status, body, contentType: type });
          expect(outcome.ok).toBe(false);
          expectSafe(outcome);
        },
      ),
      { numRuns: PROPERTY_RUNS.bytes },
    );
  });
});

// Counterexamples fast-check found, kept as plain regression tests.
describe('STS responses the SDK cannot read', () => {
  const withExpiration = (expiration: string) =>
    responseXml('AssumeRole', credentialsXml('ASIAFUZZFUZZFUZZFUZZ', expiration));

  test('an unparsable Expiration is an StsError UnreadableResponse that does not echo the value', async () => {
    const outcome = await fetchThrough('AssumeRole', {
      status: 200,
      body: withExpiration(`not-a-date-${SECRET_CANARY}`),
    });
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: StsError }).error;
    expect(error).toBeInstanceOf(StsError);
    expect(error.code).toBe('UnreadableResponse');
    expect(error.statusCode).toBe(200);
    expect(error.final).toBe(false);
    expect(error.message).toBe(
      "AssumeRole failed: UnreadableResponse: the SDK could not read STS's answer (HTTP 200): " +
        'TypeError: Invalid RFC3339 timestamp format …',
    );
    expectSafe(outcome);
  });

  test("a truncated body's error keeps the parser's reason and not the raw body (no $responseBodyText)", async () => {
    const body = withExpiration('2199-01-01T00:00:00Z');
    const outcome = await fetchThrough('AssumeRole', {
      status: 200,
      body: body.slice(0, body.indexOf('</SessionToken>')),
    });
    const error = (outcome as { error: StsError }).error;
    expect(error.code).toBe('UnreadableResponse');
    expect(error.message).toContain('XML parse error');
    expect(Object.hasOwn(error.cause as object, '$responseBodyText')).toBe(false);
    expect(Object.hasOwn(error.cause as object, '$response')).toBe(false);
    expectSafe(outcome);
  });

  test('a body nested deeper than the parser can go is a typed error', async () => {
    const outcome = await fetchThrough('GetSessionToken', {
      status: 200,
      body: `${'<x>'.repeat(20_000)}${'</x>'.repeat(20_000)}`,
    });
    expect((outcome as { error: StsError }).error.code).toBe('UnreadableResponse');
  });
});
