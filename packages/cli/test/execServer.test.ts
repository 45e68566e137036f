import { PassThrough } from 'node:stream';

import { EXIT, main } from '../src';
import { Capture, startHarness } from './support/harness';
import type { Harness } from './support/harness';
import { stringMatching } from './support/matchers';

// A long-running child: for each line on stdin it makes one GetCallerIdentity call through the SDK's
// default credential chain (which finds the container endpoint) and prints the result, until stdin
// ends. It also probes the endpoint with a wrong Host and with no token.
const CHILD = `
const http = require('node:http');
const readline = require('node:readline');
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
const client = new STSClient({ endpoint: process.env.STS_ENDPOINT, region: 'us-east-1' });
const probe = (headers) => new Promise((resolve) => {
  http
    .get(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode);
    })
    .on('error', () => resolve(-1));
});
let n = 0;
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  n += 1;
  if (line === 'probe') {
    const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    const wrongHost = await probe({ authorization: token, host: 'evil.example' });
    const noToken = await probe({});
    const wrongToken = await probe({ authorization: token.slice(1) + 'x' });
    const good = await probe({ authorization: token });
    const envKey = process.env.AWS_ACCESS_KEY_ID ?? null;
    const uri = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    console.log(JSON.stringify({ n, wrongHost, noToken, wrongToken, good, envKey, uri }));
    return;
  }
  try {
    const id = await client.send(new GetCallerIdentityCommand({}));
    console.log(JSON.stringify({ n, arn: id.Arn }));
  } catch (e) {
    console.log(JSON.stringify({ n, error: e.name }));
  }
});
`;

let h: Harness;
beforeAll(async () => {
  // Sessions of 0.08 h (288 s): shorter than the SDK's 5-minute expiry window, so the child's SDK
  // asks the endpoint before every call, and one clock jump past 288 s crosses an expiry.
  h = await startHarness({ timeScale: 0.08 });
});
afterAll(() => h.stop());

test('exec --server keeps a long-running child supplied with refreshed credentials across an expiry', async () => {
  const stdin = new PassThrough();
  const stdout = new Capture();
  const stderr = new Capture();
  const running = main(['exec', '--profile', 'demo', '--server', '--', process.execPath, '-e', CHILD], {
    env: { ...h.env, STS_ENDPOINT: h.server.endpoint },
    stdin,
    stdout,
    stderr,
    signal: new AbortController().signal,
    clock: { now: () => h.now() },
  });
  const signedCalls = () => h.server.calls.filter((c) => c.operation === 'GetCallerIdentity');

  stdin.write('probe\n');
  const probe = JSON.parse((await stdout.waitFor(/^\{"n":1,.*\}$/m))[0]) as Record<string, unknown>;
  expect(probe).toMatchObject({ wrongHost: 403, noToken: 403, wrongToken: 403, good: 200, envKey: null });
  expect(probe.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credchain\/[0-9a-f]+$/);

  stdin.write('call\n');
  expect(JSON.parse((await stdout.waitFor(/^\{"n":2,.*\}$/m))[0])).toMatchObject({
    arn: stringMatching(/assumed-role\/demo-role\//),
  });
  const firstKey = signedCalls().at(-1)?.accessKeyId;
  expect(firstKey).toMatch(/^ASIA/);

  h.advance(300_000); // past the 288 s session: sts-local now refuses the first key
  stdin.write('call\n');
  expect(JSON.parse((await stdout.waitFor(/^\{"n":3,.*\}$/m))[0])).toMatchObject({
    arn: stringMatching(/assumed-role\/demo-role\//),
  });
  const second = signedCalls().at(-1);
  expect(second).toMatchObject({ outcome: 'success' });
  expect(second?.accessKeyId).not.toBe(firstKey);

  stdin.end();
  await expect(running).resolves.toBe(EXIT.OK);
  expect(stderr.text).not.toMatch(/credchain exec:/); // the endpoint never failed a request
});
