import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainExhaustedError } from '@credchain/core';
import { expectNoSecret, useFakeTimers, until } from '@credchain/testkit';
import { ALICE, ALICE_ARN, callerArn, localConfig, roleArn, useStsLocal, userKeys } from '@credchain/testkit/sts-local';
import { fromDefaultChain } from '../src';

// The default chain end to end against sts-local's STS, IMDS and container endpoints: each link chosen by
// the environment as the SDK's fromNodeProviderChain chooses it, its credentials then signing a real
// STSClient call that sts-local verifies.

const sts = useStsLocal({ imds: true, container: true });

/** Every variable the chain reads; each test starts with none of them, and the files at empty paths. */
const VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
];
let saved: Record<string, string | undefined>;
let dir: string;

beforeEach(() => {
  saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of VARIABLES) delete process.env[name];
  dir = mkdtempSync(join(tmpdir(), 'credchain-default-chain-'));
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
});

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dir, { recursive: true, force: true });
  jest.useRealTimers();
});

const endpointCalls = () => sts().calls.filter((c) => c.endpoint === 'imds' || c.endpoint === 'container');

describe('fromDefaultChain', () => {
  test('environment keys pass through as they are; no later link is asked', async () => {
    process.env.AWS_ACCESS_KEY_ID = ALICE.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = ALICE.secretAccessKey;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = sts().imds!.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    const provider = fromDefaultChain();
    try {
      const credentials = await provider();
      expect(credentials).toMatchObject({ accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey });
      await expect(callerArn(sts(), provider)).resolves.toBe(ALICE_ARN);
      expect(endpointCalls()).toEqual([]);
    } finally {
      provider.close();
    }
  });

  test('a named profile wins over keys in the environment, as in the SDK, and its role is assumed', async () => {
    const bob = userKeys('bob');
    process.env.AWS_ACCESS_KEY_ID = bob.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = bob.secretAccessKey;
    writeFileSync(
      join(dir, 'credentials'),
      `[base]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`,
    );
    writeFileSync(
      join(dir, 'config'),
      `[profile dev]\nrole_arn = ${roleArn('demo-role')}\nsource_profile = base\nrole_session_name = chain\n`,
    );
    const provider = fromDefaultChain({ profile: 'dev', clientConfig: localConfig(sts()) });
    try {
      await expect(callerArn(sts(), provider)).resolves.toMatch(/:assumed-role\/demo-role\/chain$/);
      expect(sts().calls.filter((c) => c.operation === 'AssumeRole')).toHaveLength(1);
    } finally {
      provider.close();
    }
  });

  test('web identity from the environment (EKS IRSA): the token file and role ARN', async () => {
    const role = roleArn('web-identity-role');
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, await sts().mintWebIdentityToken({ subject: 'pod', roleArn: role }));
    process.env.AWS_WEB_IDENTITY_TOKEN_FILE = tokenFile;
    process.env.AWS_ROLE_ARN = role;
    process.env.AWS_ROLE_SESSION_NAME = 'irsa';
    const provider = fromDefaultChain({ clientConfig: localConfig(sts()) });
    try {
      await expect(callerArn(sts(), provider)).resolves.toMatch(/:assumed-role\/web-identity-role\/irsa$/);
    } finally {
      provider.close();
    }
  });

  test('container credentials (ECS, EKS Pod Identity) when their variables are set, instead of IMDS', async () => {
    Object.assign(process.env, sts().container!.env);
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = sts().imds!.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    const provider = fromDefaultChain();
    try {
      await expect(callerArn(sts(), provider)).resolves.toBe(sts().container!.sessionArn);
      expect(endpointCalls().map((c) => c.operation)).toEqual(['container:credentials']);
    } finally {
      provider.close();
    }
  });

  test('the instance role from IMDSv2; the link that worked is remembered, later keys do not take over', async () => {
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = sts().imds!.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    const provider = fromDefaultChain();
    try {
      const first = await provider();
      await expect(callerArn(sts(), first)).resolves.toBe(sts().imds!.sessionArn);
      process.env.AWS_ACCESS_KEY_ID = ALICE.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = ALICE.secretAccessKey;
      const again = await provider();
      expect(again.accessKeyId).toBe(first.accessKeyId);
      // Cached by the IMDS link's engine: one credentials fetch for both calls.
      expect(endpointCalls().filter((c) => c.operation === 'imds:credentials')).toHaveLength(1);
    } finally {
      provider.close();
    }
  });

  test('IMDS down while the credentials are valid: callers are served, new credentials once it is back', async () => {
    useFakeTimers();
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = sts().imds!.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    const provider = fromDefaultChain();
    try {
      const first = await provider();
      const expiration = first.expiration!.getTime();
      sts().injectFault({ kind: 'unavailable', operation: 'imds:*', rate: 1 });
      // Inside the advisory window, 20 min before expiry: IMDS answers 503, callers get what is cached.
      jest.setSystemTime(expiration - 20 * 60_000);
      for (let i = 0; i < 5; i++) expect((await provider()).accessKeyId).toBe(first.accessKeyId);
      await until(() => endpointCalls().some((c) => c.faults.length > 0));
      sts().clearFaults();
      // 10 min before expiry EC2 has rotated (15 min before): the next refresh brings new credentials.
      jest.setSystemTime(expiration - 10 * 60_000);
      let latest = await provider();
      for (let i = 0; i < 200 && latest.accessKeyId === first.accessKeyId; i++) {
        await jest.advanceTimersByTimeAsync(5_000);
        latest = await provider();
      }
      expect(latest.accessKeyId).not.toBe(first.accessKeyId);
      expect(latest.expiration!.getTime()).toBeGreaterThan(expiration);
      await expect(callerArn(sts(), latest)).resolves.toBe(sts().imds!.sessionArn);
    } finally {
      provider.close();
    }
  });

  test('when no link can provide, one ChainExhaustedError names every link and its reason, no secret', async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_ACCESS_KEY_ID = ALICE.accessKeyId; // without its secret: not usable
    const provider = fromDefaultChain({ profile: 'absent' });
    try {
      const error = await provider().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ChainExhaustedError);
      const message = (error as Error).message;
      for (const link of ['environment', 'profile', 'web-identity', 'container-or-instance-metadata']) {
        expect(message).toContain(`(${link})`);
      }
      expect(message).toMatch(/absent/);
      expect(message).toMatch(/AWS_EC2_METADATA_DISABLED/);
      expectNoSecret(error, [ALICE.secretAccessKey]);
    } finally {
      provider.close();
    }
  });

  test('no instance metadata service (a laptop, a CI runner): its failure is one reason among the others', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `http://127.0.0.1:${port}/`;
    const provider = fromDefaultChain();
    try {
      const error = await provider().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ChainExhaustedError);
      expect((error as Error).message).toMatch(
        /\(container-or-instance-metadata\)\] CredentialSourceError: instance-metadata: IMDS at .* could not be reached/,
      );
      expect((error as Error).message).toMatch(/\(profile\)/);
    } finally {
      provider.close();
    }
  });

  test('marked memoized, so an SDK client puts no 5-minute cache of its own in front of the engines', () => {
    const provider = fromDefaultChain();
    try {
      expect((provider as { memoized?: unknown }).memoized).toBe(true);
    } finally {
      provider.close();
    }
  });

  test('bad options are refused at creation, naming the option', () => {
    expect(() => fromDefaultChain({ region: 'eu-west-1' } as never)).toThrow(
      /region is not an option of fromDefaultChain/,
    );
    expect(() => fromDefaultChain({ profile: '' })).toThrow(/profile must be a non-empty string/);
  });
});
