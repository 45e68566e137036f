import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCliVersion, reportPeerMissing } from '@credchain/testkit';
import { DEMO_ACCOUNT, startStsLocal, type StsLocal } from '../src';
import { demoRole, userKeys, type Keys } from './support/stsKit';

const ALICE_MFA = `arn:aws:iam::${DEMO_ACCOUNT}:mfa/alice`;
const cliVersion = awsCliVersion();

// Each `aws` run starts a Python interpreter: about half a second alone, several under a full parallel test run.

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let server: StsLocal;
let home: string;

/**
 * Runs the real `aws` with only `keys` to sign with: no profile, config or credentials file of the
 * machine, no instance metadata. Asynchronous, so the in-process server can answer meanwhile.
 */
function aws(keys: Keys, args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    ...(keys.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: keys.sessionToken }),
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  return new Promise((resolve) => {
    execFile(
      'aws',
      ['sts', ...args, '--endpoint-url', server.endpoint, '--output', 'json'],
      { env, encoding: 'utf8' },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
      },
    );
  });
}

/** The fields of the CLI's JSON output (the STS response) that these tests read. */
interface CliOutput {
  readonly Account?: string;
  readonly Arn?: string;
  readonly Credentials?: {
    readonly AccessKeyId: string;
    readonly SecretAccessKey: string;
    readonly SessionToken: string;
    readonly Expiration: string;
  };
}

function json(run: CliRun): CliOutput {
  if (run.code !== 0) throw new Error(`aws exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as CliOutput;
}

if (cliVersion === undefined) {
  test('the AWS CLI signs requests sts-local verifies (aws not installed: reported, not run)', () => {
    reportPeerMissing('aws (AWS CLI)');
  });
} else {
  describe(`requests signed by the AWS CLI (${cliVersion.split(' ')[0]})`, () => {
    beforeAll(async () => {
      home = mkdtempSync(join(tmpdir(), 'sts-local-aws-cli-'));
      writeFileSync(join(home, 'config'), '');
      writeFileSync(join(home, 'credentials'), '');
      server = await startStsLocal();
    });
    afterAll(async () => {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    });

    test('get-caller-identity is verified and answered with the signer', async () => {
      const out = json(await aws(userKeys('alice'), ['get-caller-identity']));
      expect(out).toEqual({
        UserId: expect.stringMatching(/^AIDA/) as unknown,
        Account: DEMO_ACCOUNT,
        Arn: `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`,
      });
      expect(server.calls.at(-1)).toMatchObject({
        operation: 'GetCallerIdentity',
        outcome: 'success',
        callerArn: `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`,
      });
    });

    test('assume-role returns credentials the CLI can sign with in turn (session token included)', async () => {
      const out = json(
        await aws(userKeys('alice'), [
          'assume-role',
          '--role-arn',
          demoRole('demo-role'),
          '--role-session-name',
          'from-cli',
          '--duration-seconds',
          '900',
        ]),
      );
      expect(out).toMatchObject({
        Credentials: {
          AccessKeyId: expect.stringMatching(/^ASIA/) as unknown,
          SecretAccessKey: expect.any(String) as unknown,
          SessionToken: expect.any(String) as unknown,
          Expiration: expect.any(String) as unknown,
        },
        AssumedRoleUser: {
          Arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/from-cli`,
          AssumedRoleId: expect.stringMatching(/^AROA[A-Z0-9]+:from-cli$/) as unknown,
        },
      });
      const credentials = out.Credentials!;
      const expiresIn = Date.parse(credentials.Expiration) - server.now();
      expect(expiresIn).toBeGreaterThan(890_000);
      expect(expiresIn).toBeLessThanOrEqual(900_000);
      const session = {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
      };
      expect(json(await aws(session, ['get-caller-identity'])).Arn).toBe(
        `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/from-cli`,
      );
    });

    test('get-session-token with an MFA code from totp() is accepted', async () => {
      const out = json(
        await aws(userKeys('alice'), [
          'get-session-token',
          '--serial-number',
          ALICE_MFA,
          '--token-code',
          server.totp(ALICE_MFA),
          '--duration-seconds',
          '900',
        ]),
      );
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    });

    test('a wrong secret fails in the CLI with SignatureDoesNotMatch, and the server keeps serving', async () => {
      const run = await aws({ ...userKeys('alice'), secretAccessKey: 'not-alice-secret-key-0123456789abcdefghij' }, [
        'get-caller-identity',
      ]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('(SignatureDoesNotMatch) when calling the GetCallerIdentity operation');
      expect(json(await aws(userKeys('alice'), ['get-caller-identity'])).Account).toBe(DEMO_ACCOUNT);
    });
  });
}
