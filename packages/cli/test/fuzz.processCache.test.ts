/**
 * Property tests of the cache of `credchain credential-process` (issue 6, "Bad input"). Cases:
 * - readCached over 300 arbitrary files (random text, arbitrary JSON, entries with mistyped or
 *   missing fields, unparseable, past or NaN expirations, truncated JSON): never throws; returns
 *   undefined, or credentials whose fields are strings and whose expiration is ahead of now.
 * - the command over 40 corrupt, foreign, expired or huge (up to 2 MB) cache files against sts-local:
 *   exit 0 with Version 1 credentials from one new AssumeRole, the file replaced by a whole 0600
 *   entry holding what was printed, nothing on stderr.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';

import { readCached } from '../src/processCache';
import { startHarness } from './support/harness';
import type { Harness } from './support/harness';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const NOW = Date.parse('2026-11-23T12:00:00Z');

const entryLike = fc.record(
  {
    accessKeyId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    secretAccessKey: fc.oneof(fc.string(), fc.boolean()),
    sessionToken: fc.oneof(fc.string(), fc.integer()),
    expiration: fc.oneof(
      fc.string(),
      fc.constantFrom('2001-01-01T00:00:00Z', '2026-11-23T12:05:00Z', 'NaN', ''),
      fc.integer(),
    ),
    issuedAt: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(NOW)),
  },
  { requiredKeys: [] },
);
/** Entries the cache must not serve: mistyped fields, or an expiration that is not ahead. */
const unusable = fc.oneof(
  entryLike
    .filter(
      (e) =>
        typeof e.accessKeyId !== 'string' || typeof e.secretAccessKey !== 'string' || typeof e.expiration !== 'string',
    )
    .map((e) => JSON.stringify(e)),
  entryLike.map((e) =>
    JSON.stringify({ ...e, accessKeyId: 'ASIAOLD', secretAccessKey: 'old', expiration: '2001-01-01T00:00:00Z' }),
  ),
);
const cacheText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json(),
  entryLike.map((e) => JSON.stringify(e)),
  entryLike.map((e) => JSON.stringify(e).slice(0, -2)),
  fc.constantFrom('', '\u0000', 'null', '[]', '0', '"x"'),
  // Whole entries an hour long, issued at any time (in the future, after they expire, not at all).
  fc
    .record({
      issuedAt: fc.option(fc.oneof(fc.integer({ min: NOW - 3_600_000, max: NOW + 7_200_000 }), fc.double()), {
        nil: undefined,
      }),
      left: fc.integer({ min: -60, max: 60 }),
    })
    .map(({ issuedAt, left }) =>
      JSON.stringify({
        accessKeyId: 'ASIAFRESH',
        secretAccessKey: 'fresh',
        expiration: new Date(NOW + left * 60_000).toISOString(),
        ...(issuedAt === undefined ? {} : { issuedAt }),
      }),
    ),
);

test('readCached: any file is either ignored or fresh credentials — never a throw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'credchain-cli-fuzz-'));
  let served = 0;
  try {
    await fc.assert(
      fc.asyncProperty(cacheText, async (text) => {
        writeFileSync(join(dir, 'k.json'), text);
        const got = await readCached(dir, 'k', NOW);
        if (got === undefined) return;
        served++;
        expect(typeof got.accessKeyId).toBe('string');
        expect(typeof got.secretAccessKey).toBe('string');
        // At least 15 minutes left, or half of a lifetime that makes sense.
        expect(got.expiration!.getTime()).toBeGreaterThan(NOW);
        const entry = JSON.parse(text) as { issuedAt?: unknown };
        const lifetime = typeof entry.issuedAt === 'number' ? got.expiration!.getTime() - entry.issuedAt : 0;
        expect(got.expiration!.getTime() - NOW).toBeGreaterThan(
          lifetime > 0 ? Math.min(15 * 60_000, lifetime / 2) : 15 * 60_000,
        );
      }),
      { numRuns: 300, seed: SEED },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`cli process cache, readCached: 300 cases, ${served} served`);
  expect(served).toBeGreaterThan(0);
});

describe('credential-process over a broken cache', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  test('corrupt, foreign, expired or huge cache files cost one AssumeRole and are replaced, not an error', async () => {
    const cache = join(h.dir, 'cache');
    const first = await h.run(['credential-process', '--profile', 'demo']);
    expect(first.code).toBe(0);
    const [name] = readdirSync(cache).filter((f) => f.endsWith('.json'));
    const path = join(cache, name!);
    const assumed = (): number => h.server.calls.filter((c) => c.operation === 'AssumeRole').length;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          unusable,
          fc.integer({ min: 1, max: 2 }).map((mb) => `{"accessKeyId": "${'A'.repeat(mb << 20)}`),
        ),
        async (text) => {
          writeFileSync(path, text);
          const before = assumed();
          const run = await h.run(['credential-process', '--profile', 'demo']);
          expect(run.stderr).toBe('');
          expect(run.code).toBe(0);
          const printed = run.json<{ Version: number; AccessKeyId: string }>();
          expect(printed.Version).toBe(1);
          expect(printed.AccessKeyId).toMatch(/^ASIA/);
          expect(printed.AccessKeyId).not.toBe('ASIAOLD');
          expect(assumed()).toBe(before + 1);
          expect((JSON.parse(readFileSync(path, 'utf8')) as { accessKeyId: string }).accessKeyId).toBe(
            printed.AccessKeyId,
          );
          expect(statSync(path).mode & 0o777).toBe(0o600);
          expect(readdirSync(cache).filter((f) => !f.endsWith('.json'))).toEqual([]);
        },
      ),
      { numRuns: 40, seed: SEED },
    );
  });
});
