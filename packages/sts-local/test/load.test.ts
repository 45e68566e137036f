import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { DEMO_ACCOUNT, startStsLocal, type StsLocal } from '../src';
import { client, demoRole } from './support/stsKit';

const CLIENTS = 10;
const PER_CLIENT = 100;

// No timing assertion: the generous limit only keeps a busy machine from failing a correct run.
jest.setTimeout(120_000);

let server: StsLocal;
beforeAll(async () => {
  server = await startStsLocal();
});
afterAll(async () => {
  await server.stop();
});

test('1,000 concurrent signed AssumeRole requests from 10 real STSClients are each answered correctly', async () => {
  const clients = Array.from({ length: CLIENTS }, () => client(server, undefined, { maxSockets: 100 }));
  const sends = clients.flatMap((sts, c) =>
    Array.from({ length: PER_CLIENT }, (_, i) => {
      const session = `load-${c}-${i}`;
      return sts
        .send(new AssumeRoleCommand({ RoleArn: demoRole('demo-role'), RoleSessionName: session }))
        .then((out) => ({ session, out }));
    }),
  );
  const answers = await Promise.all(sends);
  for (const { session, out } of answers) {
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/demo-role/${session}`);
    expect(out.$metadata.attempts).toBe(1);
  }
  const keyIds = new Set(answers.map((a) => a.out.Credentials?.AccessKeyId));
  const secrets = new Set(answers.map((a) => a.out.Credentials?.SecretAccessKey));
  const tokens = new Set(answers.map((a) => a.out.Credentials?.SessionToken));
  expect([keyIds.size, secrets.size, tokens.size]).toEqual([1000, 1000, 1000]);
  expect(server.calls).toHaveLength(1000);
  expect(server.calls.filter((c) => c.outcome === 'success' && c.operation === 'AssumeRole')).toHaveLength(1000);
  expect(new Set(server.calls.map((c) => c.requestId)).size).toBe(1000);
  expect(new Set(server.calls.map((c) => c.params.RoleSessionName))).toEqual(new Set(answers.map((a) => a.session)));
  for (const sts of clients) sts.destroy();
});
