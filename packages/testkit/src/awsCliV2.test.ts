import { writeFileSync } from 'node:fs';

import { startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';

import { awsCliV2, awsCliV2Home, AWS_CLI_V2_PEER } from './awsCliV2';
import type { AwsCliV2Home } from './awsCliV2';
import { reportPeerMissing } from './peers';
import { ALICE, ALICE_ARN, ALICE_SERIAL, roleArn } from './stsLocal';

const cli = awsCliV2();
let sts: StsLocal;
const homes: AwsCliV2Home[] = [];

beforeAll(async () => {
  sts = await startStsLocal();
});
afterAll(() => sts.stop());
beforeEach(() => sts.clearCalls());
afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

/** A home for the CLI aimed at sts-local, with alice's keys in profile `alice`. */
function aliceHome(env: Record<string, string> = {}): AwsCliV2Home {
  const credentials = [
    '[alice]',
    `aws_access_key_id = ${ALICE.accessKeyId}`,
    `aws_secret_access_key = ${ALICE.secretAccessKey}`,
    '',
  ].join('\n');
  const home = awsCliV2Home(cli!, { sts: sts.endpoint, stsGlobal: sts.globalEndpoint, credentials, env });
  homes.push(home);
  return home;
}

describe(`the AWS CLI v2 aimed at sts-local (${cli?.version ?? 'missing'})`, () => {
  it('is version 2, at /usr/bin/aws', () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    expect(cli.path).toBe('/usr/bin/aws');
    expect(cli.version).toMatch(/^aws-cli\/2\./);
  });

  it('signs GetCallerIdentity with the profile keys, in the configured region, at the Regional endpoint', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const run = await aliceHome({ AWS_REGION: 'eu-west-1' }).run(['sts', 'get-caller-identity', '--profile', 'alice']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { Arn: string }).Arn).toBe(ALICE_ARN);
    expect(sts.calls).toEqual([
      expect.objectContaining({
        operation: 'GetCallerIdentity',
        endpoint: 'regional',
        region: 'eu-west-1',
        accessKeyId: ALICE.accessKeyId,
        callerArn: ALICE_ARN,
        outcome: 'success',
      }),
    ]);
  });

  it('uses the global endpoint, signed for us-east-1, when no region is configured (as against AWS)', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const run = await aliceHome().run(['sts', 'get-caller-identity', '--profile', 'alice']);
    expect(run.status).toBe(0);
    expect(sts.calls).toEqual([expect.objectContaining({ endpoint: 'global', region: 'us-east-1' })]);
  });

  it('shows the error sts-local answers (a region disabled for the account)', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const run = await aliceHome({ AWS_REGION: 'ap-east-1' }).run(['sts', 'get-caller-identity', '--profile', 'alice']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('(RegionDisabledException) when calling the GetCallerIdentity operation');
    expect(sts.calls).toEqual([expect.objectContaining({ region: 'ap-east-1', errorCode: 'RegionDisabledException' })]);
  });

  it('reads an MFA code from stdin (no terminal), and AssumeRole carries it', async () => {
    if (cli === undefined) return reportPeerMissing(AWS_CLI_V2_PEER);
    const serial = ALICE_SERIAL;
    const home = aliceHome({ AWS_REGION: 'us-east-1' });
    writeFileSync(
      home.configFile,
      `[profile mfa]\nrole_arn = ${roleArn('mfa-role')}\nsource_profile = alice\nmfa_serial = ${serial}\n`,
    );
    const run = await home.run(['sts', 'get-caller-identity', '--profile', 'mfa'], { input: `${sts.totp(serial)}\n` });
    expect(run.stderr).toContain(`Enter MFA code for ${serial}`);
    expect(run.status).toBe(0);
    expect(sts.calls.map((c) => [c.operation, c.params.SerialNumber, c.params.TokenCode])).toEqual([
      ['AssumeRole', serial, '[redacted]'],
      ['GetCallerIdentity', undefined, undefined],
    ]);
  });
});
