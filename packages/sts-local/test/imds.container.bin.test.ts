import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { fromInstanceMetadata } from '@smithy/credential-provider-imds';
import { DEMO_ACCOUNT, DEMO_INSTANCE_ID, DEMO_TASK_ID } from '../src';
import { main } from '../src/bin/main';

/** Runs the bin with `argv` until it has printed its banner (or exited); `stop` ends it. */
async function start(argv: string[]) {
  let out = '';
  let err = '';
  const controller = new AbortController();
  const exit = main(argv, {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    signal: controller.signal,
  });
  const state = { done: false };
  void exit.finally(() => (state.done = true));
  while (!state.done && !out.includes('Ctrl-C stops it.')) await new Promise((resolve) => setImmediate(resolve));
  return { out: () => out, err: () => err, exit, stop: () => controller.abort() };
}

const exported = (out: string, name: string): string => {
  const value = new RegExp(`export ${name}=(\\S+)`).exec(out)?.[1];
  if (value === undefined) throw new Error(`${name} not printed`);
  return value;
};

describe('sts-local --imds / --container', () => {
  test('print the endpoints and the variables to export, which work as printed', async () => {
    const cli = await start(['--port', '0', '--imds', '--container', '0']);
    try {
      const out = cli.out();
      const endpoint = /Regional endpoint: (\S+)/.exec(out)?.[1] ?? '';
      expect(out).toMatch(/IMDS endpoint: +http:\/\/127\.0\.0\.1:\d+ /);
      expect(out).toMatch(/Container endpoint: http:\/\/127\.0\.0\.1:\d+\/v1\/credentials /);
      expect(out).toContain(`EC2 instance ${DEMO_INSTANCE_ID} in us-east-1a — instance role`);
      expect(out).toContain(`container task ${DEMO_TASK_ID} — task role`);
      expect(out).toContain('role arn:aws:iam::111122223333:role/instance-role — services ec2.amazonaws.com');

      const imdsUrl = exported(out, 'AWS_EC2_METADATA_SERVICE_ENDPOINT');
      expect(imdsUrl).toMatch(/\/$/);
      const saved = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
      process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imdsUrl;
      const fromImds = await fromInstanceMetadata()().finally(() => {
        if (saved === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
        else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = saved;
      });
      const fromContainer = await fromHttp({
        awsContainerCredentialsFullUri: exported(out, 'AWS_CONTAINER_CREDENTIALS_FULL_URI'),
        awsContainerAuthorizationToken: exported(out, 'AWS_CONTAINER_AUTHORIZATION_TOKEN'),
        maxRetries: 0,
      })();
      const arn = async (credentials: typeof fromImds) =>
        (await new STSClient({ endpoint, region: 'us-east-1', credentials }).send(new GetCallerIdentityCommand({})))
          .Arn;
      expect(await arn(fromImds)).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/instance-role/${DEMO_INSTANCE_ID}`);
      expect(await arn(fromContainer)).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/task-role/${DEMO_TASK_ID}`);
      expect(out).toContain(`# arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/task-role/${DEMO_TASK_ID}`);
    } finally {
      cli.stop();
    }
    await expect(cli.exit).resolves.toBe(0);
  });

  test('without the flags, no endpoint and nothing to export', async () => {
    const cli = await start(['--port', '0']);
    cli.stop();
    await expect(cli.exit).resolves.toBe(0);
    expect(cli.out()).not.toMatch(/IMDS endpoint|Container endpoint|export AWS_/);
  });

  test('a bad port is a usage error (exit 2) naming the flag', async () => {
    const cli = await start(['--port', '0', '--imds', '70000']);
    await expect(cli.exit).resolves.toBe(2);
    expect(cli.err()).toContain('--imds must be an integer from 0 to 65535');
  });
});
