// Property-based: toStsError, which sendSts applies to whatever an STS call threw. For any thrown
// value (SDK-shaped errors with odd names, codes and metadata, plain values) it returns without
// throwing, and an SDK-shaped error becomes an StsError whose code is a string.
// Cases run: 300 per run, plus 1 regression case.
import fc from 'fast-check';

import { StsError } from '../src';
import { toStsError } from '../src/provider-kit';

const oddValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.constant(undefined),
  fc.constant(null),
  fc.object({ maxDepth: 1 }),
);

const sdkShapedError = fc
  .record(
    {
      name: oddValue,
      message: oddValue,
      Code: oddValue,
      $fault: fc.constantFrom<unknown>('client', 'server', undefined, 7),
      $metadata: fc.oneof(
        fc.constant(undefined),
        fc.record({ httpStatusCode: fc.oneof(fc.integer(), fc.constant(undefined)), requestId: oddValue }),
      ),
      $response: fc.option(fc.constant({ body: 'x' }), { nil: undefined }),
    },
    { requiredKeys: [] },
  )
  .map((fields) => {
    const error = new Error('sdk');
    for (const [key, value] of Object.entries(fields)) {
      Object.defineProperty(error, key, {
        value,
        enumerable: !key.startsWith('$response'),
        writable: true,
        configurable: true,
      });
    }
    return error;
  });

describe('toStsError, as a property', () => {
  test('never throws, and SDK-shaped errors become StsErrors with a string code', () => {
    fc.assert(
      fc.property(fc.oneof(sdkShapedError, fc.anything()), (thrown) => {
        const result = toStsError('AssumeRole', thrown);
        if (result instanceof StsError) {
          expect(typeof result.code).toBe('string');
          expect(typeof result.message).toBe('string');
        } else {
          expect(result).toBe(thrown);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// The counterexample fast-check found, kept as a plain regression test.
test('an SDK-stamped error whose name is not a string becomes StsError Unknown, not a TypeError', () => {
  const thrown = Object.assign(new Error('handler failed'), { $metadata: { httpStatusCode: 502 } });
  Object.defineProperty(thrown, 'name', { value: null });
  const result = toStsError('AssumeRole', thrown);
  expect(result).toBeInstanceOf(StsError);
  expect(result).toMatchObject({
    code: 'Unknown',
    statusCode: 502,
    message: 'AssumeRole failed: Unknown: handler failed',
  });
});

// A counterexample of a CI run (seed -913464375): an unreadable answer whose error `name` is a
// null-prototype object; formatting its stack threw inside the copy that drops `$response`.
test('an unreadable answer whose error name cannot become a string still becomes an StsError', () => {
  const thrown = new Error('sdk');
  Object.defineProperty(thrown, 'name', { value: Object.create(null), configurable: true });
  Object.defineProperty(thrown, '$metadata', { value: { httpStatusCode: 200 }, enumerable: true });
  Object.defineProperty(thrown, '$response', { value: { body: 'x' }, enumerable: false });
  const result = toStsError('AssumeRole', thrown);
  expect(result).toBeInstanceOf(StsError);
  expect((result as StsError).code).toBe('UnreadableResponse');
});
