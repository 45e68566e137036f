import { inspect } from 'node:util';

import { InvalidParameterError, StsError } from '@credchain/core';

import { SamlAssertionError, fromSamlAssertion } from '../src';
import type { FromSamlAssertionInit } from '../src';
import { cannedSts, credentialsXml, errorXml } from './cannedSts';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/analyst';
const PRINCIPAL_ARN = 'arn:aws:iam::123456789012:saml-provider/corp';
const params = { RoleArn: ROLE_ARN, PrincipalArn: PRINCIPAL_ARN };
// Stands in for an assertion: a recognisable string that must never surface anywhere.
const ASSERTION = Buffer.from('<samlp:Response>TOP-SECRET-ASSERTION</samlp:Response>').toString('base64');
const HOUR = 3_600_000;

function construct(init: unknown): unknown {
  try {
    fromSamlAssertion(init as FromSamlAssertionInit);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('construction', () => {
  test.each(['sourceCredentials', 'masterCredentials'])('refuses %s: the call is unsigned', (key) => {
    const error = construct({ params, samlAssertion: ASSERTION, [key]: { accessKeyId: 'AKIAX', secretAccessKey: 'x' } });
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).parameter).toBe(key);
    expect((error as Error).message).toMatch(/unsigned/);
  });

  test.each([
    ['RoleArn', { PrincipalArn: PRINCIPAL_ARN }],
    ['PrincipalArn', { RoleArn: ROLE_ARN }],
    ['RoleArn', { RoleArn: 'role/analyst', PrincipalArn: PRINCIPAL_ARN }],
    ['DurationSeconds', { ...params, DurationSeconds: 899 }],
    ['DurationSeconds', { ...params, DurationSeconds: 43_201 }],
  ])('names %s when params break STS rules', (parameter, bad) => {
    const error = construct({ params: bad, samlAssertion: ASSERTION });
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).parameter).toBe(parameter);
  });

  test('refuses the assertion inside params, where it would be sent once and kept forever', () => {
    const error = construct({ params: { ...params, SAMLAssertion: ASSERTION }, samlAssertion: ASSERTION });
    expect((error as InvalidParameterError).parameter).toBe('params.SAMLAssertion');
    expect((error as Error).message).not.toContain(ASSERTION);
  });

  test('refuses a samlAssertion that is neither a string nor a function', () => {
    expect((construct({ params, samlAssertion: 42 }) as InvalidParameterError).parameter).toBe('samlAssertion');
    expect((construct({ params }) as InvalidParameterError).parameter).toBe('samlAssertion');
  });

  test('checks a string assertion against STS length rules without echoing it', () => {
    const error = construct({ params, samlAssertion: 'abc' });
    expect((error as InvalidParameterError).parameter).toBe('SAMLAssertion');
    const huge = 'A'.repeat(100_001);
    const tooLong = construct({ params, samlAssertion: huge }) as Error;
    expect((tooLong as InvalidParameterError).parameter).toBe('SAMLAssertion');
    expect(tooLong.message).not.toContain('AAAA');
  });

  test('does no I/O and leaves init untouched', () => {
    const samlAssertion = jest.fn(async () => ASSERTION);
    const init = { params: { ...params, DurationSeconds: 3600 }, samlAssertion };
    const snapshot = JSON.stringify(init.params);
    const provider = fromSamlAssertion(init);
    expect(samlAssertion).not.toHaveBeenCalled();
    expect(JSON.stringify(init.params)).toBe(snapshot);
    provider.close();
  });
});

describe('on the wire', () => {
  test('sends an unsigned AssumeRoleWithSAML, even where the endpoint rules would ask for SigV4', async () => {
    const sts = cannedSts(() => ({
      status: 200,
      xml: credentialsXml('AssumeRoleWithSAML', new Date(Date.now() + HOUR), `arn:aws:sts::123456789012:assumed-role/analyst/alice`),
    }));
    // aws-global resolves to the global endpoint, whose rule set names SigV4.
    const provider = fromSamlAssertion({
      params: { ...params, DurationSeconds: 3600 },
      samlAssertion: ASSERTION,
      clientConfig: { region: 'aws-global', requestHandler: sts.requestHandler },
    });
    const credentials = await provider();
    expect(credentials.accessKeyId).toBe('ASIACANNEDEXAMPLE001');
    expect(credentials.origin).toBe('role-session');
    expect(credentials.accountId).toBe('123456789012');
    expect(sts.sent).toHaveLength(1);
    const [request] = sts.sent;
    expect(request!.headers.authorization).toBeUndefined();
    expect(request!.form.get('Action')).toBe('AssumeRoleWithSAML');
    expect(request!.form.get('SAMLAssertion')).toBe(ASSERTION);
    expect(request!.form.get('RoleArn')).toBe(ROLE_ARN);
    expect(request!.form.get('PrincipalArn')).toBe(PRINCIPAL_ARN);
    expect(request!.form.get('DurationSeconds')).toBe('3600');
    provider.close();
  });

  test('asks the callback for a fresh assertion on every fetch', async () => {
    let n = 0;
    const sts = cannedSts(() => ({
      status: 200,
      xml: credentialsXml('AssumeRoleWithSAML', new Date(Date.now() + HOUR), 'arn:aws:sts::123456789012:assumed-role/analyst/a'),
    }));
    const provider = fromSamlAssertion({
      params,
      samlAssertion: async () => `${ASSERTION}${++n}`,
      clientConfig: { region: 'us-east-1', requestHandler: sts.requestHandler },
    });
    await provider();
    await provider();
    await provider.refresh();
    await provider({ forceRefresh: true });
    expect(sts.sent.map((r) => r.form.get('SAMLAssertion'))).toEqual([`${ASSERTION}1`, `${ASSERTION}2`, `${ASSERTION}3`]);
    provider.close();
  });

  test('a failing callback is a SamlAssertionError that keeps the cause and sends nothing', async () => {
    const sts = cannedSts(() => ({ status: 500, xml: '' }));
    const cause = new Error('IdP unreachable');
    const provider = fromSamlAssertion({
      params,
      samlAssertion: () => Promise.reject(cause),
      clientConfig: { region: 'us-east-1', requestHandler: sts.requestHandler },
    });
    const error = (await provider().catch((e: unknown) => e)) as SamlAssertionError;
    expect(error).toBeInstanceOf(SamlAssertionError);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('IdP unreachable');
    expect(sts.sent).toHaveLength(0);
  });

  test.each([
    ['not a string', 42],
    ['empty', ''],
    ['too short for STS', 'abc'],
  ])('a callback that resolves to something %s fails before STS', async (_what, value) => {
    const sts = cannedSts(() => ({ status: 500, xml: '' }));
    const provider = fromSamlAssertion({
      params,
      samlAssertion: async () => value as string,
      clientConfig: { region: 'us-east-1', requestHandler: sts.requestHandler },
    });
    const error = await provider().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof SamlAssertionError || error instanceof InvalidParameterError).toBe(true);
    expect(sts.sent).toHaveLength(0);
  });

  test('an STS refusal is a typed StsError that never carries the assertion', async () => {
    const sts = cannedSts(() => ({ status: 400, xml: errorXml('InvalidIdentityToken', 'Specified provider does not exist.') }));
    const logged: unknown[] = [];
    const events: unknown[] = [];
    const log = (...args: unknown[]): void => void logged.push(args);
    const provider = fromSamlAssertion({
      params,
      samlAssertion: ASSERTION,
      clientConfig: { region: 'us-east-1', requestHandler: sts.requestHandler },
      logger: { debug: log, info: log, warn: log, error: log },
      onEvent: (event) => void events.push(event),
    });
    const error = (await provider().catch((e: unknown) => e)) as StsError;
    expect(error).toBeInstanceOf(StsError);
    expect(error.code).toBe('InvalidIdentityToken');
    expect(error.final).toBe(true);
    for (const shown of [error.message, inspect(error, { depth: 6 }), inspect(logged, { depth: 6 }), inspect(events, { depth: 6 })]) {
      expect(shown).not.toContain(ASSERTION);
      expect(shown).not.toContain('TOP-SECRET');
    }
    expect(events.length).toBeGreaterThan(0);
  });

  test('neither the provider nor its credentials show secrets when inspected', async () => {
    const sts = cannedSts(() => ({
      status: 200,
      xml: credentialsXml('AssumeRoleWithSAML', new Date(Date.now() + HOUR), 'arn:aws:sts::123456789012:assumed-role/analyst/a'),
    }));
    const provider = fromSamlAssertion({ params, samlAssertion: ASSERTION, clientConfig: { region: 'us-east-1', requestHandler: sts.requestHandler } });
    const credentials = await provider();
    const shown = inspect(provider, { depth: 6, showHidden: true }) + inspect(credentials, { depth: 6 }) + JSON.stringify(credentials);
    expect(shown).not.toContain(ASSERTION);
    expect(shown).not.toContain('cannedSecretAccessKeyValue');
    expect(shown).not.toContain('cannedSessionTokenValue');
    expect(shown).toContain('ASIACANNEDEXAMPLE001');
    provider.close();
  });
});
