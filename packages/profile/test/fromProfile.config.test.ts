/**
 * What a profile configures besides its credentials, as the AWS CLI and the SDK read it: the region
 * (one precedence with the credchain command), the STS endpoint (`endpoint_url`, `[services]`),
 * key names in capitals, and `strictDuration` for chained roles. Against sts-local, or a recording
 * handler where a request must not leave.
 */
import { DEMO_ACCOUNT } from '@credchain/sts-local';
import { NotSentError, causeOf, recordingHandler } from '@credchain/testkit';
import type { RecordingHandler } from '@credchain/testkit';

import { ProfileConfigError, fromProfile, resolveRegion } from '../src';
import type { FromProfileInit } from '../src';
import { ALICE, ini, operations, profileDir, profileProvider, role, useStsLocal, whoAmI } from './helpers';

const { sts, cleanups } = useStsLocal();

const aliceSection = { aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: ALICE.secretAccessKey };
const CONFIG_ENV = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_STS_REGIONAL_ENDPOINTS',
];
let savedEnv: NodeJS.ProcessEnv;
beforeEach(() => {
  savedEnv = { ...process.env };
  for (const name of CONFIG_ENV) delete process.env[name];
});
afterEach(() => {
  process.env = savedEnv;
});

/** fromProfile over temporary files, closed after the test; no endpoint unless `init` gives one. */
function profileOf(config: string, credentials: string, init: FromProfileInit) {
  return profileProvider(config, credentials, init, cleanups);
}

/** Where the first STS request of a role profile would go (host:port), recorded, not sent. */
async function destinationOf(config: string, init: FromProfileInit = {}): Promise<string> {
  const handler: RecordingHandler = recordingHandler();
  const p = profileOf(config, ini({ base: aliceSection }), {
    profile: 'p',
    ...init,
    clientConfig: { requestHandler: handler, maxAttempts: 1, ...init.clientConfig },
  });
  const error = await p().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(causeOf(error) instanceof NotSentError)) throw error;
  const request = handler.requests[0]!;
  return `${request.hostname}${request.port === undefined ? '' : `:${request.port}`}`;
}

const roleP = { role_arn: role('demo-role'), source_profile: 'base' };

test('fromProfile is marked memoized: an SDK client puts no 5-minute cache of its own in front', () => {
  const provider = fromProfile({ profile: 'never-read' });
  expect((provider as { memoized?: unknown }).memoized).toBe(true);
  provider.close();
});

describe('region: AWS_REGION, AWS_DEFAULT_REGION, the profile, us-east-1', () => {
  const config = ini({ 'profile p': { ...roleP, region: 'eu-west-1' } });
  const regionSigned = async (init: FromProfileInit = {}): Promise<string | undefined> => {
    sts.clearCalls();
    const p = profileOf(config, ini({ base: aliceSection }), {
      profile: 'p',
      ...init,
      clientConfig: { endpoint: sts.endpoint, ...init.clientConfig },
    });
    await p();
    return sts.calls[0]!.region;
  };

  it('signs for AWS_DEFAULT_REGION over the profile, as the AWS CLI does', async () => {
    expect(await regionSigned()).toBe('eu-west-1');
    process.env.AWS_DEFAULT_REGION = 'eu-north-1';
    expect(await regionSigned()).toBe('eu-north-1');
    process.env.AWS_REGION = 'eu-central-1';
    expect(await regionSigned()).toBe('eu-central-1');
    expect(await regionSigned({ clientConfig: { region: 'ap-south-1' } })).toBe('ap-south-1');
  });

  it('falls back to us-east-1, and reads an empty variable as unset', async () => {
    process.env.AWS_REGION = '';
    process.env.AWS_DEFAULT_REGION = '';
    const p = profileOf(ini({ 'profile p': roleP }), ini({ base: aliceSection }), {
      profile: 'p',
      clientConfig: { endpoint: sts.endpoint },
    });
    await p();
    expect(sts.calls[0]!.region).toBe('us-east-1');
  });

  it('resolveRegion gives the credchain command the same answer from its own environment', async () => {
    const files = profileDir(ini({ 'profile p': { region: 'eu-west-1' } }), ini({ p: { REGION: 'eu-west-3' } }));
    cleanups.push(files.cleanup);
    const at = { filepath: files.filepath, configFilepath: files.configFilepath, profile: 'p' };
    // The credentials file's value wins, key names in any case (botocore's full_config).
    expect(await resolveRegion({ ...at, env: {} })).toBe('eu-west-3');
    expect(await resolveRegion({ ...at, env: { AWS_DEFAULT_REGION: 'eu-north-1' } })).toBe('eu-north-1');
    expect(await resolveRegion({ ...at, env: { AWS_DEFAULT_REGION: 'eu-north-1', AWS_REGION: 'sa-east-1' } })).toBe(
      'sa-east-1',
    );
    expect(await resolveRegion({ ...at, profile: 'missing', env: {} })).toBe('us-east-1');
    expect(
      await resolveRegion({
        env: { AWS_PROFILE: 'p', AWS_CONFIG_FILE: files.configFilepath, AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
      }),
    ).toBe('eu-west-1');
  });
});

describe('endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, [services], endpoint_url', () => {
  it("sends STS calls to the profile's endpoint_url (sts-local, end to end)", async () => {
    const p = profileOf(ini({ 'profile p': { ...roleP, endpoint_url: sts.endpoint } }), ini({ base: aliceSection }), {
      profile: 'p',
    });
    expect(await whoAmI(sts, p)).toMatch(new RegExp(`^arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/`));
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`, 'GetCallerIdentity']);
  });

  it('takes the sts endpoint_url of the [services] section the profile names over its endpoint_url', async () => {
    const config =
      ini({ 'profile p': { ...roleP, services: 'local', endpoint_url: 'http://profile.example:1' } }) +
      `\n[services local]\nsts =\n  endpoint_url = ${sts.endpoint}\ns3 =\n  endpoint_url = http://s3.example:2\n`;
    const p = profileOf(config, ini({ base: aliceSection }), { profile: 'p' });
    await p();
    expect(operations(sts)).toEqual([`AssumeRole ${role('demo-role')}`]);
  });

  it('uses the profile endpoint_url when its [services] section has no sts entry', async () => {
    const config =
      ini({ 'profile p': { ...roleP, services: 'other', endpoint_url: 'http://profile.example:1' } }) +
      '\n[services other]\ns3 =\n  endpoint_url = http://s3.example:2\n';
    expect(await destinationOf(config)).toBe('profile.example:1');
  });

  it('puts AWS_ENDPOINT_URL_STS before AWS_ENDPOINT_URL, and both before the config file', async () => {
    const config =
      ini({ 'profile p': { ...roleP, services: 'local', endpoint_url: 'http://profile.example:1' } }) +
      '\n[services local]\nsts =\n  endpoint_url = http://services.example:2\n';
    expect(await destinationOf(config)).toBe('services.example:2');
    process.env.AWS_ENDPOINT_URL = 'http://all.example:3';
    expect(await destinationOf(config)).toBe('all.example:3');
    process.env.AWS_ENDPOINT_URL_STS = 'http://sts.example:4';
    expect(await destinationOf(config)).toBe('sts.example:4');
    expect(await destinationOf(config, { clientConfig: { endpoint: 'http://explicit.example:5' } })).toBe(
      'explicit.example:5',
    );
  });

  it('ignores configured endpoints with ignore_configured_endpoint_urls or its variable', async () => {
    const ignoring = ini({
      'profile p': { ...roleP, endpoint_url: 'http://profile.example:1', ignore_configured_endpoint_urls: 'true' },
    });
    expect(await destinationOf(ignoring)).toBe('sts.us-east-1.amazonaws.com');
    process.env.AWS_ENDPOINT_URL_STS = 'http://sts.example:4';
    expect(await destinationOf(ignoring)).toBe('sts.us-east-1.amazonaws.com');
    // The variable goes before the profile's setting, either way.
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'false';
    expect(await destinationOf(ignoring)).toBe('sts.example:4');
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
    expect(await destinationOf(ini({ 'profile p': roleP }))).toBe('sts.us-east-1.amazonaws.com');
  });

  it("never takes the endpoint of AWS_PROFILE's profile in the default files for another profile", async () => {
    const other = profileDir(ini({ 'profile other': { endpoint_url: 'http://other.example:9' } }));
    cleanups.push(other.cleanup);
    process.env.AWS_PROFILE = 'other';
    process.env.AWS_CONFIG_FILE = other.configFilepath;
    expect(await destinationOf(ini({ 'profile p': roleP }))).toBe('sts.us-east-1.amazonaws.com');
  });

  it.each([
    [
      'a services naming no section',
      ini({ 'profile p': { ...roleP, services: 'nope' } }),
      'services',
      /services "nope" of profile "p" names no \[services nope\] section/,
    ],
    [
      'an endpoint_url that is no URL',
      ini({ 'profile p': { ...roleP, endpoint_url: 'localhost:4599' } }),
      'endpoint_url',
      /endpoint_url of profile "p" must be an http\(s\) URL, not "localhost:4599"/,
    ],
    [
      'an ignore_configured_endpoint_urls other than true or false',
      ini({ 'profile p': { ...roleP, ignore_configured_endpoint_urls: 'yes' } }),
      'ignore_configured_endpoint_urls',
      /must be "true" or "false", not "yes"/,
    ],
  ])('refuses %s before any request, naming the key', async (_name, config, key, message) => {
    const handler = recordingHandler();
    const p = profileOf(config, ini({ base: aliceSection }), {
      profile: 'p',
      clientConfig: { requestHandler: handler },
    });
    const error = (await p().catch((e: unknown) => e)) as ProfileConfigError;
    expect(error).toBeInstanceOf(ProfileConfigError);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(message);
    expect(handler.requests).toHaveLength(0);
  });
});

describe('key names in capitals', () => {
  it('signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of the credentials file, as the AWS CLI does', async () => {
    const p = profileOf(
      ini({ 'profile p': roleP }),
      `[base]\nAWS_ACCESS_KEY_ID = ${ALICE.accessKeyId}\nAWS_SECRET_ACCESS_KEY = ${ALICE.secretAccessKey}\n`,
      { profile: 'p', clientConfig: { endpoint: sts.endpoint } },
    );
    await p();
    expect(sts.calls[0]!.accessKeyId).toBe(ALICE.accessKeyId);
  });
});

describe('strictDuration', () => {
  const chained = ini({
    'profile p': { role_arn: role('chained-role'), source_profile: 'mid', duration_seconds: 7200 },
    'profile mid': roleP,
  });

  it('refuses a chained duration_seconds above 3600 before any STS call', async () => {
    const p = profileOf(chained, ini({ base: aliceSection }), {
      profile: 'p',
      strictDuration: true,
      clientConfig: { endpoint: sts.endpoint },
    });
    const error = (await p().catch((e: unknown) => e)) as ProfileConfigError;
    expect(error).toBeInstanceOf(ProfileConfigError);
    expect(error.key).toBe('duration_seconds');
    expect(error.message).toMatch(/duration_seconds 7200 of profile "p" exceeds the 1-hour \(3600 s\) limit/);
    expect(sts.calls).toHaveLength(0);
  });

  it('caps it without strictDuration, and keeps 7200 s for a role assumed with long-term keys', async () => {
    const capped = profileOf(chained, ini({ base: aliceSection }), {
      profile: 'p',
      clientConfig: { endpoint: sts.endpoint },
    });
    await capped();
    expect(sts.calls.map((c) => c.params.DurationSeconds)).toEqual([undefined, '3600']);
    sts.clearCalls();
    const direct = profileOf(ini({ 'profile p': { ...roleP, duration_seconds: 7200 } }), ini({ base: aliceSection }), {
      profile: 'p',
      strictDuration: true,
      clientConfig: { endpoint: sts.endpoint },
    });
    await direct();
    expect(sts.calls[0]!.params.DurationSeconds).toBe('7200');
  });

  it('checks its option', () => {
    expect(() => fromProfile({ strictDuration: 'yes' as never })).toThrow(/strictDuration must be a boolean/);
  });
});
