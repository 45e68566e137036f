import { inspect } from 'node:util';

import { InvalidParameterError, InvalidSourceCredentialsError } from '@credchain/core';
import type { CredentialEvent } from '@credchain/core';
import { fromFederationToken } from '@credchain/federation-token';
import type { FromFederationTokenInit } from '@credchain/federation-token';

import { NotSentError, causeOf, parameterOf, recordingHandler } from '@credchain/testkit';

const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const SESSION = { ...KEYS, sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN' };
const READ_ONLY = [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }];

const region = { region: 'us-east-1' };

describe('fromFederationToken at construction', () => {
  test('accepts a name and a session policy, and sends nothing yet', () => {
    const handler = recordingHandler();
    const provider = fromFederationToken({
      params: { Name: 'bob', PolicyArns: READ_ONLY },
      sourceCredentials: KEYS,
      clientConfig: { ...region, requestHandler: handler },
    });
    expect(handler.requests).toHaveLength(0);
    provider.close();
  });

  test('requires params and a Name', () => {
    expect(parameterOf(() => fromFederationToken({} as FromFederationTokenInit))).toBe('params');
    expect(parameterOf(() => fromFederationToken({ params: {} as never }))).toBe('Name');
  });

  test.each(['b', 'x'.repeat(33), 'bob smith', 'bob/1'])('refuses Name %p (2–32 of [\\w+=,.@-])', (Name) => {
    expect(parameterOf(() => fromFederationToken({ params: { Name }, clientConfig: region }))).toBe('Name');
  });

  test.each([899, 129_601, 1000.5])('refuses DurationSeconds %p (STS allows 900–129600)', (DurationSeconds) => {
    expect(
      parameterOf(() => fromFederationToken({ params: { Name: 'bob', DurationSeconds }, clientConfig: region })),
    ).toBe('DurationSeconds');
  });

  test('refuses more than 10 PolicyArns, an over-long Policy and more than 50 Tags', () => {
    const arns = Array.from({ length: 11 }, (_, i) => ({ arn: `arn:aws:iam::111111111111:policy/p${i}` }));
    expect(parameterOf(() => fromFederationToken({ params: { Name: 'bob', PolicyArns: arns } }))).toMatch(
      /^PolicyArns/,
    );
    expect(parameterOf(() => fromFederationToken({ params: { Name: 'bob', Policy: 'x'.repeat(2049) } }))).toBe(
      'Policy',
    );
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(
      parameterOf(() => fromFederationToken({ params: { Name: 'bob', PolicyArns: READ_ONLY, Tags: tags } })),
    ).toMatch(/^Tags/);
  });

  test('refuses a Policy character outside tab, LF, CR and \\u0020–\\u00FF, without echoing the policy', () => {
    let caught: unknown;
    try {
      fromFederationToken({ params: { Name: 'bob', Policy: '{"Statement":[],"Sid":"canary-€"}' } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidParameterError);
    expect((caught as InvalidParameterError).parameter).toBe('Policy');
    expect(inspect(caught)).not.toContain('canary');
  });

  test('refuses static temporary source credentials, under either option name', () => {
    for (const init of [{ sourceCredentials: SESSION }, { masterCredentials: SESSION }]) {
      let caught: unknown;
      try {
        fromFederationToken({ params: { Name: 'bob', PolicyArns: READ_ONLY }, ...init });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidSourceCredentialsError);
      expect((caught as Error).message).toContain('long-term keys');
      expect(inspect(caught, { depth: 10 })).not.toContain(SESSION.secretAccessKey);
      expect(inspect(caught, { depth: 10 })).not.toContain(SESSION.sessionToken);
    }
  });

  test('does not mutate its options', () => {
    const init = Object.freeze({
      params: Object.freeze({ Name: 'bob', PolicyArns: Object.freeze([Object.freeze({ arn: READ_ONLY[0]!.arn })]) }),
      clientConfig: Object.freeze({ ...region }),
    }) as unknown as FromFederationTokenInit;
    const before = JSON.stringify(init);
    fromFederationToken(init).close();
    expect(JSON.stringify(init)).toBe(before);
  });
});

describe('fromFederationToken at fetch, before anything leaves the process', () => {
  test('refuses temporary credentials a source provider resolves to, without sending', async () => {
    const handler = recordingHandler();
    const provider = fromFederationToken({
      params: { Name: 'bob', PolicyArns: READ_ONLY },
      sourceCredentials: async () => SESSION,
      clientConfig: { ...region, requestHandler: handler },
    });
    const error = await provider().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSourceCredentialsError);
    expect(inspect(error, { depth: 10 })).not.toContain(SESSION.secretAccessKey);
    expect(inspect(error, { depth: 10 })).not.toContain(SESSION.sessionToken);
    expect(handler.requests).toHaveLength(0);
    provider.close();
  });

  test('sends long-term keys a source provider resolves to', async () => {
    const handler = recordingHandler();
    const provider = fromFederationToken({
      params: { Name: 'bob', PolicyArns: READ_ONLY },
      sourceCredentials: async () => KEYS,
      clientConfig: { ...region, requestHandler: handler, maxAttempts: 1 },
    });
    await expect(provider().catch(causeOf)).resolves.toBeInstanceOf(NotSentError);
    expect(handler.requests).toHaveLength(1);
    expect(String(handler.requests[0]!.body)).toContain('Action=GetFederationToken');
    provider.close();
  });

  test('warns once per provider, by event and logger, when no session policy is passed', async () => {
    const handler = recordingHandler();
    const events: CredentialEvent[] = [];
    const warnings: unknown[][] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (...a: unknown[]) => warnings.push(a),
      error: () => undefined,
    };
    const provider = fromFederationToken({
      params: { Name: 'bob', PolicyArns: [] },
      sourceCredentials: KEYS,
      clientConfig: { ...region, requestHandler: handler, maxAttempts: 1 },
      onEvent: (e) => events.push(e),
      logger,
    });
    await expect(provider().catch(causeOf)).resolves.toBeInstanceOf(NotSentError);
    await expect(provider().catch(causeOf)).resolves.toBeInstanceOf(NotSentError);
    const warningEvents = events.filter((e) => e.type === 'warning');
    expect(warningEvents).toHaveLength(1);
    expect(warningEvents[0]).toMatchObject({
      provider: 'federation-token',
      message: expect.stringContaining('no permissions'),
    });
    expect(warnings.filter((w) => String(w[0]).includes('no permissions'))).toHaveLength(1);
    expect(handler.requests).toHaveLength(2);
    provider.close();
  });

  test('does not warn when a Policy is passed', async () => {
    const handler = recordingHandler();
    const events: CredentialEvent[] = [];
    const provider = fromFederationToken({
      params: {
        Name: 'bob',
        Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
      },
      sourceCredentials: KEYS,
      clientConfig: { ...region, requestHandler: handler, maxAttempts: 1 },
      onEvent: (e) => events.push(e),
    });
    await expect(provider().catch(causeOf)).resolves.toBeInstanceOf(NotSentError);
    expect(events.map((e) => e.type)).not.toContain('warning');
    expect(events.map((e) => e.type)).toContain('refresh-failure');
    provider.close();
  });
});
