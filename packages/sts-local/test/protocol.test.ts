import { connect } from 'node:net';
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './support/sha256';
import { DEMO_ACCOUNT, startStsLocal, type StsLocal } from '../src';
import { FORM_HEADERS, client, demoRole, errorResponse, form, raw, refusal, userKeys } from './support/stsKit';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';
const ALICE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`;

let server: StsLocal;
beforeAll(async () => {
  server = await startStsLocal({ maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => server.clearCalls());

/** After any bad request, a well-formed signed one is still answered. */
async function expectStillServing(): Promise<void> {
  const identity = await client(server).send(new GetCallerIdentityCommand({}));
  expect(identity.Arn).toBe(ALICE_ARN);
}

/** Asserts an STS-shaped error answer and returns its parts. */
function expectErrorAnswer(
  answer: { status: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
  message: string | RegExp,
) {
  const parsed = errorResponse(answer.body);
  expect({ status: answer.status, contentType: answer.headers['content-type'], parsed }).toEqual({
    status,
    contentType: 'text/xml',
    parsed: {
      type: status >= 500 ? 'Receiver' : 'Sender',
      code,
      message: typeof message === 'string' ? message : (expect.stringMatching(message) as unknown),
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    },
  });
  expect(answer.headers['x-amzn-requestid']).toBe(parsed?.requestId);
  return parsed;
}

describe('the Query protocol, as a real STSClient speaks it', () => {
  test(
    'a signed form POST is answered with the operation result, ' +
      'and the request ID matches the header and the call log',
    async () => {
      const out = await client(server).send(new GetCallerIdentityCommand({}));
      expect(out).toMatchObject({
        Account: DEMO_ACCOUNT,
        Arn: ALICE_ARN,
        UserId: expect.stringMatching(/^AIDA/) as unknown,
      });
      expect(server.calls).toHaveLength(1);
      expect(server.calls[0]).toMatchObject({
        requestId: out.$metadata.requestId,
        operation: 'GetCallerIdentity',
        outcome: 'success',
        status: 200,
        callerArn: ALICE_ARN,
      });
    },
  );

  test.each<[string, () => Promise<unknown>, string, number, RegExp]>([
    [
      'a broken parameter is ValidationError (400)',
      () =>
        client(server).send(new AssumeRoleCommand({ RoleArn: demoRole('demo-role'), RoleSessionName: 'has space' })),
      'ValidationError',
      400,
      /roleSessionName/,
    ],
    [
      'a role that does not trust the caller is AccessDenied (403)',
      () =>
        client(server, userKeys('bob')).send(
          new AssumeRoleCommand({ RoleArn: demoRole('mfa-role'), RoleSessionName: 'bob' }),
        ),
      'AccessDenied',
      403,
      /not authorized to perform: sts:AssumeRole/,
    ],
    [
      'an unknown access key is InvalidClientTokenId (403)',
      () =>
        client(server, { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) }).send(
          new GetCallerIdentityCommand({}),
        ),
      'InvalidClientTokenId',
      403,
      /security token included in the request is invalid/,
    ],
    [
      'a wrong secret is SignatureDoesNotMatch (403)',
      () =>
        client(server, { ...userKeys('alice'), secretAccessKey: 'wrong'.repeat(8) }).send(
          new GetCallerIdentityCommand({}),
        ),
      'SignatureDoesNotMatch',
      403,
      /signature we calculated does not match/,
    ],
  ])('%s, in an ErrorResponse the SDK reads as Sender', async (_name, send, code, status, message) => {
    const got = await refusal(send());
    expect(got).toEqual({
      code,
      status,
      type: 'Sender',
      message: expect.stringMatching(message) as unknown,
      attempts: 1,
    });
    expect(server.calls.at(-1)).toMatchObject({ outcome: 'error', errorCode: code, status });
  });

  test('a request with no parameters at all is ValidationError naming the missing member', async () => {
    const got = await refusal(client(server).send(new AssumeRoleCommand({} as AssumeRoleCommandInput)));
    expect(got).toMatchObject({
      code: 'ValidationError',
      status: 400,
      message: expect.stringMatching(/roleArn|roleSessionName/) as unknown,
    });
    await expectStillServing();
  });

  test('a GET with a header-signed query string is verified and answered like a POST', async () => {
    const url = new URL(server.endpoint);
    const signer = new SignatureV4({
      credentials: userKeys('alice'),
      region: 'us-east-1',
      service: 'sts',
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: VERSION },
      headers: { host: url.host },
    });
    const answer = await raw(server.endpoint, {
      method: 'GET',
      path: `/?Action=GetCallerIdentity&Version=${VERSION}`,
      headers: signed.headers,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(
      new RegExp(
        `^<GetCallerIdentityResponse xmlns="${NAMESPACE}">\\s*` +
          `<GetCallerIdentityResult>[\\s\\S]*<Arn>${ALICE_ARN}</Arn>[\\s\\S]*</GetCallerIdentityResult>\\s*` +
          `<ResponseMetadata>\\s*<RequestId>${String(answer.headers['x-amzn-requestid'])}</RequestId>\\s*` +
          `</ResponseMetadata>\\s*</GetCallerIdentityResponse>\\s*$`,
      ),
    );
  });

  test('a presigned GET (credentials in the query string) is verified too', async () => {
    const url = new URL(server.endpoint);
    const signer = new SignatureV4({
      credentials: userKeys('alice'),
      region: 'us-east-1',
      service: 'sts',
      sha256: Sha256,
    });
    const presigned = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: VERSION },
        headers: { host: url.host },
      },
      { expiresIn: 60 },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString().replace(/\+/g, '%20');
    const answer = await raw(server.endpoint, { method: 'GET', path: `/?${query}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(`<Arn>${ALICE_ARN}</Arn>`);
    expect(server.calls.at(-1)?.params).toEqual({});
  });

  test('an unsigned operation works as a plain GET with its parameters in the query string', async () => {
    const token = await server.mintWebIdentityToken({ subject: 'ci-job-1' });
    const query = form({
      Action: 'AssumeRoleWithWebIdentity',
      Version: VERSION,
      RoleArn: demoRole('web-identity-role'),
      RoleSessionName: 'ci',
      WebIdentityToken: token,
    });
    const answer = await raw(server.endpoint, { method: 'GET', path: `/?${query}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(
      new RegExp(`^<AssumeRoleWithWebIdentityResponse xmlns="${NAMESPACE}">\\s*<AssumeRoleWithWebIdentityResult>`),
    );
    expect(answer.body).toContain('<SubjectFromWebIdentityToken>ci-job-1</SubjectFromWebIdentityToken>');
    expect(answer.body).toContain(`<Arn>arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/web-identity-role/ci</Arn>`);
  });
});

describe('bad requests get an STS-shaped error and the server keeps serving', () => {
  afterEach(expectStillServing);

  test('a body that is not a form (JSON) names no Action: MissingAction', async () => {
    const answer = await raw(server.endpoint, {
      headers: { 'Content-Type': 'application/json' },
      body: '{"Action":"GetCallerIdentity"}',
    });
    expectErrorAnswer(answer, 400, 'MissingAction', 'Missing Action');
  });

  test('binary garbage as the body is MissingAction, not a crash', async () => {
    // Every byte value but '%' (which would make it a percent-encoding error instead).
    const garbage = Buffer.from(Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 0x25));
    const answer = await raw(server.endpoint, { headers: FORM_HEADERS, body: garbage });
    expectErrorAnswer(answer, 400, 'MissingAction', 'Missing Action');
  });

  test.each([
    ['in the body', { body: 'Action=GetCallerIdentity&Version=2011-06-15&Bad=%E0%A4%A' }],
    ['in the query string', { method: 'GET', path: '/?Action=GetCallerIdentity%zz&Version=2011-06-15' }],
  ])('broken percent-encoding %s is MalformedQueryString (404)', async (_where, init) => {
    const answer = await raw(server.endpoint, { headers: FORM_HEADERS, ...init });
    expectErrorAnswer(answer, 404, 'MalformedQueryString', /malformed percent-encoding/);
  });

  test('an unknown Action is InvalidAction naming it', async () => {
    const answer = await raw(server.endpoint, {
      headers: FORM_HEADERS,
      body: form({ Action: 'GetSecretKey', Version: VERSION }),
    });
    expectErrorAnswer(answer, 400, 'InvalidAction', 'Could not find operation GetSecretKey for version 2011-06-15');
  });

  test.each([
    [
      'a wrong Version',
      { Action: 'GetCallerIdentity', Version: '2099-01-01' },
      'Could not find operation GetCallerIdentity for version 2099-01-01',
    ],
    [
      'no Version',
      { Action: 'GetCallerIdentity' },
      'Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED',
    ],
  ])('%s is InvalidAction', async (_name, fields, message) => {
    const answer = await raw(server.endpoint, { headers: FORM_HEADERS, body: form(fields) });
    expectErrorAnswer(answer, 400, 'InvalidAction', message);
  });

  test('an unsigned call of a signed operation is MissingAuthenticationToken (403)', async () => {
    const answer = await raw(server.endpoint, {
      headers: FORM_HEADERS,
      body: form({ Action: 'GetCallerIdentity', Version: VERSION }),
    });
    expectErrorAnswer(answer, 403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  });

  test('a body over maxBodyBytes is RequestEntityTooLarge (413), and nothing of it is logged', async () => {
    const huge = form({ Action: 'GetCallerIdentity', Version: VERSION, Policy: 'p'.repeat(200 * 1024) });
    const answer = await raw(server.endpoint, { headers: FORM_HEADERS, body: huge });
    expectErrorAnswer(answer, 413, 'RequestEntityTooLarge', 'Request body exceeds 65536 bytes.');
    expect(server.calls[0]).toMatchObject({ status: 413, params: {} });
  });

  test('a declared body far beyond any limit is refused before it is read', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const url = new URL(server.endpoint);
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST / HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
            `Content-Length: ${2 ** 40}\r\n\r\nAction=`,
        );
      });
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('<Code>RequestEntityTooLarge</Code>');
  });

  test.each(['PUT', 'DELETE', 'PATCH'])('%s is refused with 405 and an Allow header', async (method) => {
    const answer = await raw(server.endpoint, {
      method,
      headers: FORM_HEADERS,
      body: form({ Action: 'GetCallerIdentity', Version: VERSION }),
    });
    expectErrorAnswer(answer, 405, 'InvalidAction', `Unsupported HTTP method ${method}.`);
    expect(answer.headers.allow).toBe('GET, POST');
  });

  test('bytes that are not HTTP at all get an STS-shaped 400 before the connection closes', async () => {
    const url = new URL(server.endpoint);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('\x00\x01 NOT HTTP \xff\r\n\r\n'));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const xml = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    expect(errorResponse(xml)).toMatchObject({ type: 'Sender', code: 'MalformedRequest' });
  });

  test('a client that hangs up halfway through its body does not take the server down', async () => {
    const url = new URL(server.endpoint);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`POST / HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: 1000\r\n\r\nAction=GetCall`);
        setImmediate(() => socket.destroy());
      });
      socket.on('close', () => resolve());
    });
  });

  test('hostile parameter values are escaped in the XML, not echoed as markup', async () => {
    const answer = await raw(server.endpoint, {
      headers: FORM_HEADERS,
      body: form({ Action: '</Message><Code>Injected', Version: VERSION }),
    });
    const parsed = expectErrorAnswer(
      answer,
      400,
      'InvalidAction',
      /^Could not find operation &lt;\/Message&gt;&lt;Code&gt;Injected/,
    );
    expect(parsed?.code).toBe('InvalidAction');
  });
});
