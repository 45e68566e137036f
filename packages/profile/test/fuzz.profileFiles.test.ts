/**
 * Property tests of fromProfile over bad input (issue 6, "Bad input"). Cases per target:
 * - profile files: 400 random config + credentials files (half of them grown from a working role)
 *   (sections of a small name pool so that source_profile chains, cycles and dangling references
 *   occur; the keys fromProfile reads with valid, random and hostile values; stray lines).
 *   fromProfile resolves (static keys), reaches STS (a recording handler that sends nothing), or
 *   throws ProfileConfigError / ProfileNotFoundError / InvalidParameterError (or
 *   WebIdentityTokenFileError naming the token file) naming the profile and key — never another
 *   error, never an STS request before such an error, never a secret (keys, tokens) in the error.
 * - AWS CLI cache files: 60 random, corrupt, wrongly typed, expired or huge (up to 3 MB) files in
 *   the place of a role's entry, against sts-local: the role is assumed (one AssumeRole), the
 *   credentials are valid (GetCallerIdentity), and the file is replaced by a whole entry (0600).
 * - credential_process output: 60 random outputs (random text, JSON with a wrong Version, missing or
 *   mistyped fields, bad Expiration, over 1 MB, exit codes 0–3) of a real process: valid Version 1
 *   output is served, anything else is a CredentialProcessError that never quotes stdout.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { InvalidParameterError } from '@credchain/core';
import { CredentialSourceError } from '@credchain/sources';
import { WebIdentityTokenFileError } from '@credchain/web-identity';
import { NotSentError, causeOf, expectNoSecret, recordingHandler } from '@credchain/testkit';
import fc from 'fast-check';

import { CredentialProcessError, ProfileConfigError, ProfileNotFoundError, cliCacheKey, fromProfile } from '../src';
import { ALICE, ALICE_MFA, ini, profileDir, role, useStsLocal, whoAmI } from './helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

const NAMES = ['target', 'a', 'b', 'default', 'src'];
const CANARY = 'fuzzCanarySecret0123456789';
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '"', '[', ']', '=', '\\', '${x}', '%s', '\u0000', 'é☃'),
);
const secret = fc.string({ minLength: 0, maxLength: 12 }).map((s) => `${CANARY}${s.replace(/[\n\r[\]=;#]/g, '')}`);
const value: Record<string, fc.Arbitrary<string>> = {
  role_arn: fc.oneof(fc.constant(role('demo-role')), fc.constant('arn:aws:iam::111122223333:role/x y'), hostile),
  source_profile: fc.oneof(fc.constantFrom(...NAMES), hostile),
  credential_source: fc.oneof(
    fc.constantFrom('Environment', 'Ec2InstanceMetadata', 'EcsContainer', 'environment'),
    hostile,
  ),
  aws_access_key_id: fc.oneof(fc.constant(ALICE.accessKeyId), fc.constant(''), hostile),
  aws_secret_access_key: secret,
  aws_session_token: secret,
  duration_seconds: fc.oneof(fc.integer({ min: -10, max: 200_000 }).map(String), hostile),
  mfa_serial: fc.oneof(fc.constant(ALICE_MFA), hostile),
  external_id: hostile,
  role_session_name: hostile,
  sts_regional_endpoints: fc.oneof(fc.constantFrom('legacy', 'regional'), hostile),
  region: fc.oneof(fc.constant('us-east-1'), hostile),
  sso_session: fc.oneof(fc.constantFrom(...NAMES), hostile),
  sso_account_id: fc.oneof(fc.constant('111122223333'), hostile),
  sso_role_name: fc.oneof(fc.constant('Admin'), hostile),
  sso_start_url: fc.oneof(fc.constant('https://fuzz.awsapps.com/start'), hostile),
  sso_region: fc.oneof(fc.constant('us-east-1'), hostile),
  endpoint_url: fc.oneof(fc.constant('http://127.0.0.1:9'), hostile),
  services: fc.oneof(fc.constantFrom(...NAMES), hostile),
  ignore_configured_endpoint_urls: fc.oneof(fc.constantFrom('true', 'false'), hostile),
  web_identity_token_file: fc.constant('/nonexistent/credchain-fuzz-token'),
};

const section = fc.record({
  name: fc.oneof(fc.constantFrom(...NAMES), hostile),
  prefixed: fc.boolean(),
  kind: fc.constantFrom('profile', 'profile', 'profile', 'sso-session', 'services'),
  upper: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  keys: fc.dictionary(fc.constantFrom(...Object.keys(value)), fc.constant(''), { maxKeys: 6 }),
  stray: fc.array(fc.string({ maxLength: 30 }), { maxLength: 2 }),
});
/** A file's text: sections with keys drawn from `value`, stray lines among them. */
const file = (prefixed: boolean) =>
  fc.array(section, { maxLength: 5 }).chain((sections) =>
    fc
      .tuple(
        ...sections.map((s) =>
          fc.record(
            Object.fromEntries(Object.keys(s.keys).map((k) => [k, value[k]!])) as Record<string, fc.Arbitrary<string>>,
          ),
        ),
      )
      .map((valuesOf) =>
        sections
          .map((s, i) => {
            const header =
              prefixed && s.kind !== 'profile'
                ? `${s.kind} ${s.name}`
                : prefixed && s.prefixed && s.name !== 'default'
                  ? `profile ${s.name}`
                  : s.name;
            const lines = Object.entries(valuesOf[i]!).map(
              ([k, v], j) => `${s.upper[j] === true && j % 2 === 0 ? k.toUpperCase() : k} = ${v}`,
            );
            return [`[${header}]`, ...lines, ...s.stray].join('\n');
          })
          .join('\n'),
      ),
  );

const EXPECTED = [
  ProfileConfigError,
  ProfileNotFoundError,
  InvalidParameterError,
  WebIdentityTokenFileError,
  // An SSO profile whose token file is absent (HOME is a fresh directory): the source says so.
  CredentialSourceError,
];

test(
  'profile files: resolved, sent to STS, or a typed error naming the profile — ' +
    'never a crash, a secret, or a call first',
  async () => {
    let outcomes = { resolved: 0, sts: 0, typed: 0 };
    // Nothing of the machine's configuration: no SSO token cache (a fresh HOME), no instance metadata,
    // no container endpoint, no endpoint or region from the environment.
    const saved = { ...process.env };
    const home = profileDir('', '');
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    process.env.HOME = home.dir;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    await fc
      .assert(
        fc.asyncProperty(
          file(true),
          file(false),
          fc.constantFrom(...NAMES),
          fc.boolean(),
          async (randomConfig, randomCredentials, profile, seeded) => {
            // Half the cases start from a working role (target ← src's keys) that the random sections may
            // repeat, override or break, so that valid configurations occur as well as broken ones.
            const config = seeded
              ? `${ini({ 'profile target': { role_arn: role('demo-role'), source_profile: 'src' } })}${randomConfig}`
              : randomConfig;
            const credentials = seeded
              ? ini({ src: { aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: `${CANARY}src` } }) +
                randomCredentials
              : randomCredentials;
            const files = profileDir(config, credentials);
            const handler = recordingHandler();
            const provider = fromProfile({
              profile,
              filepath: files.filepath,
              configFilepath: files.configFilepath,
              clientConfig: { requestHandler: handler, maxAttempts: 1, region: 'us-east-1' },
            });
            try {
              const got = await provider();
              expect(typeof got.accessKeyId).toBe('string');
              expect(handler.requests.length).toBeLessThanOrEqual(1);
              outcomes.resolved++;
            } catch (error) {
              expectNoSecret(error, [CANARY]);
              if (causeOf(error) instanceof NotSentError) {
                outcomes.sts++;
                return;
              }
              if (!EXPECTED.some((type) => error instanceof type)) throw error;
              expect(handler.requests).toHaveLength(0);
              const e = error as ProfileConfigError | ProfileNotFoundError;
              if (e instanceof ProfileConfigError || e instanceof ProfileNotFoundError)
                expect(e.message).toContain(`"${e.profile}"`);
              if (e instanceof ProfileConfigError && e.key !== undefined) expect(e.message).toContain(e.key);
              outcomes.typed++;
            } finally {
              provider.close();
              files.cleanup();
            }
          },
        ),
        { numRuns: 400, seed: SEED },
      )
      .finally(() => {
        process.env = saved;
        home.cleanup();
      });
    console.log(`profile files: 400 cases: ${JSON.stringify(outcomes)}`);
    // The generator reaches every outcome (a generator that only made errors would prove little).
    expect(Math.min(outcomes.resolved, outcomes.sts, outcomes.typed)).toBeGreaterThan(0);
    outcomes = { resolved: 0, sts: 0, typed: 0 };
  },
);

describe('against sts-local', () => {
  const { sts, cleanups } = useStsLocal();
  afterEach(() => {
    for (const clean of cleanups.splice(0)) clean();
  });

  const entryLike = fc.record(
    {
      Credentials: fc.oneof(
        fc.anything(),
        fc.record(
          {
            AccessKeyId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
            SecretAccessKey: fc.oneof(fc.string(), fc.constant(null)),
            SessionToken: fc.oneof(fc.string(), fc.boolean()),
            Expiration: fc.oneof(
              fc.string(),
              fc.constantFrom('2001-01-01T00:00:00Z', '2001-01-01 00:00:00UTC', 'not a date'),
              fc.integer(),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  );
  const cacheText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.json(),
    entryLike.map((e) => JSON.stringify(e)),
    entryLike.map((e) => JSON.stringify(e).slice(0, -3)),
    fc.integer({ min: 1, max: 3 }).map((mb) => `{"Credentials": {"AccessKeyId": "${'A'.repeat(mb << 20)}"`),
    fc.constantFrom(
      '',
      '\u0000\u0000',
      '[]',
      'null',
      '{"Credentials": {"AccessKeyId": "x", "SecretAccessKey": "y", "SessionToken": "z", ' +
        '"Expiration": "2001-01-01T00:00:00Z"}}',
    ),
  );

  test(
    'AWS CLI cache files: corrupt, foreign, expired or huge entries are ignored ' + 'and replaced by a whole entry',
    async () => {
      const files = profileDir(
        ini({ 'profile r': { role_arn: role('demo-role'), source_profile: 'base' } }),
        ini({ base: { aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: ALICE.secretAccessKey } }),
      );
      cleanups.push(files.cleanup);
      const dir = join(files.dir, 'cache');
      const path = join(dir, `${cliCacheKey({ RoleArn: role('demo-role') })}.json`);
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(cacheText, fc.boolean(), async (text, readOnly) => {
          runs++;
          mkdirSync(dir, { recursive: true });
          writeFileSync(path, text);
          if (readOnly) chmodSync(path, 0o400); // rename replaces it all the same
          sts.clearCalls();
          const provider = fromProfile({
            profile: 'r',
            filepath: files.filepath,
            configFilepath: files.configFilepath,
            cliCache: dir,
            clientConfig: { endpoint: sts.endpoint, region: 'us-east-1' },
          });
          try {
            const got = await provider();
            expect(sts.calls.filter((c) => c.operation === 'AssumeRole')).toHaveLength(1);
            expect(await whoAmI(sts, provider)).toMatch(/:assumed-role\/demo-role\//);
            const written = JSON.parse(readFileSync(path, 'utf8')) as { Credentials: { AccessKeyId: string } };
            expect(written.Credentials.AccessKeyId).toBe(got.accessKeyId);
            expect(statSync(path).mode & 0o777).toBe(0o600);
          } finally {
            provider.close();
          }
        }),
        { numRuns: 60, seed: SEED },
      );
      expect(runs).toBe(60);
    },
  );

  const processOutput = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.json(),
    fc
      .record(
        {
          Version: fc.oneof(fc.constant(1), fc.constant('1'), fc.integer({ min: 0, max: 3 }), fc.constant(null)),
          AccessKeyId: fc.oneof(fc.constant('ASIAFUZZ'), fc.string({ maxLength: 8 }), fc.integer(), fc.constant('')),
          SecretAccessKey: fc.oneof(secret, fc.integer(), fc.constant('')),
          SessionToken: fc.oneof(secret, fc.constant(null), fc.integer()),
          Expiration: fc.oneof(
            fc.constantFrom('2099-01-01T00:00:00Z', '2001-01-01T00:00:00Z', 'soon', '', 'T'),
            fc.integer(),
            fc.constant(null),
          ),
        },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o)),
    fc.constant(
      `{"Version": 1, "AccessKeyId": "ASIAFUZZ", "SecretAccessKey": "${CANARY}", "pad": "${'x'.repeat(1 << 20)}"}`,
    ),
    fc
      .record({
        SessionToken: fc.option(secret, { nil: undefined }),
        Expiration: fc.option(
          fc.constantFrom('2099-01-01T00:00:00Z', '2001-01-01T00:00:00Z', '2099-01-01T00:00:00+02:00', 0),
          { nil: undefined },
        ),
      })
      .map((o) => JSON.stringify({ Version: 1, AccessKeyId: 'ASIAFUZZ', SecretAccessKey: CANARY, ...o })),
  );

  test(
    'credential_process output: valid Version 1 output is served, ' +
      'anything else is a CredentialProcessError without stdout',
    async () => {
      const files = profileDir('');
      cleanups.push(files.cleanup);
      const out = join(files.dir, 'stdout');
      const script = join(files.dir, 'print.js');
      writeFileSync(
        script,
        "process.stdout.write(require('fs').readFileSync(process.argv[2]), " +
          '() => process.exit(Number(process.argv[3])));\n',
      );
      let outcomes = { served: 0, rejected: 0 };
      await fc.assert(
        fc.asyncProperty(processOutput, fc.constantFrom(0, 0, 0, 1, 3), async (stdout, code) => {
          writeFileSync(out, stdout);
          writeFileSync(
            files.configFilepath,
            ini({ 'profile p': { credential_process: `"${process.execPath}" "${script}" "${out}" ${code}` } }),
          );
          const provider = fromProfile({
            profile: 'p',
            filepath: files.filepath,
            configFilepath: files.configFilepath,
          });
          try {
            const got = await provider();
            expect(code).toBe(0);
            const parsed = JSON.parse(stdout) as Record<string, unknown>;
            expect(parsed.Version).toBe(1);
            expect(got.accessKeyId).toBe(parsed.AccessKeyId);
            expect(got.secretAccessKey).toBe(parsed.SecretAccessKey);
            if (got.expiration !== undefined) expect(got.expiration.getTime()).toBeGreaterThan(Date.now());
            outcomes.served++;
          } catch (error) {
            if (!(error instanceof CredentialProcessError)) throw error;
            expect(error.message).toContain('"p"');
            expectNoSecret(error, [CANARY]);
            if (stdout.length > 5) expect(error.message).not.toContain(stdout);
            outcomes.rejected++;
          } finally {
            provider.close();
          }
        }),
        { numRuns: 60, seed: SEED },
      );
      console.log(`credential_process output: 60 cases: ${JSON.stringify(outcomes)}`);
      expect(Math.min(outcomes.served, outcomes.rejected)).toBeGreaterThan(0);
      outcomes = { served: 0, rejected: 0 };
    },
  );
});
