import { InvalidSourceCredentialsError } from '@credchain/core';
import { deepFreeze, expectNoSecret, parameterOf, rejectionOf, thrownBy } from '@credchain/testkit';
import { ALICE, callsOf, localConfig, roleArn, useStsLocal } from '@credchain/testkit/sts-local';
import type { AwsCredentialIdentity } from '@smithy/types';

import { fromAssumeRole } from '../../src';

import { CASES } from './cases';
import type { Init } from './cases';

// What every provider promises when it is created: its input is checked at once, with an error
// naming the parameter; nothing reaches the network (or any callback) before the first call; the
// caller's params are copied deeply and frozen, and the caller's object is never written to.

const sts = useStsLocal();

const withParams = (init: Init, change: Record<string, unknown>): Init => ({
  ...init,
  params: { ...init.params, ...change },
});

/** Bad inputs every provider refuses the same way: the factory's own, and the options all share. */
const COMMON: ReadonlyArray<readonly [string, (init: Init) => unknown]> = [
  ['init', () => null],
  ['params', (init) => ({ ...init, params: 'RoleArn=arn:aws:iam::111122223333:role/demo-role' })],
  ['DurationSeconds', (init) => withParams(init, { DurationSeconds: 1e9 })],
  ['Polcy', (init) => withParams(init, { Polcy: '{}' })],
  ['sourceCredentials', (init) => ({ ...init, sourceCredentials: ALICE, masterCredentials: ALICE })],
  ['sourceCredentials', (init) => ({ ...init, sourceCredentials: ALICE.accessKeyId })],
  ['clientConfig', (init) => ({ ...init, clientConfig: 'us-east-1' })],
  ['client', (init) => ({ ...init, sourceCredentials: undefined, client: { region: 'us-east-1' } })],
  ['refresh.mandatoryWindowMs', (init) => ({ ...init, refresh: { mandatoryWindowMs: -1 } })],
];

describe.each(CASES)('$factory', (c) => {
  const target = () => ({ sts: sts() });

  test.each([...COMMON, ...c.invalid])(
    'refuses a bad %s when created, naming it, before any call',
    async (name, bad) => {
      const init = bad(await c.validInit(target())) as Init;
      expect(parameterOf(() => c.build(init))).toBe(name);
      expect(sts().calls).toHaveLength(0);
    },
  );

  test('does no I/O before the first call: no request, no source, no callback asked', async () => {
    const init = await c.validInit(target());
    const asked: string[] = [];
    const counted: Init = { ...init };
    if (c.signed) {
      counted.sourceCredentials = async () => {
        asked.push('sourceCredentials');
        return ALICE;
      };
    }
    const bearer = c.bearer;
    if (bearer !== undefined) {
      counted[bearer.option] = async () => {
        asked.push(bearer.option);
        return bearer.mint(target());
      };
    }
    const provider = c.build(counted);
    expect(sts().calls).toHaveLength(0);
    expect(asked).toEqual([]);
    // Control: the first call does reach them.
    await provider();
    provider.close();
    expect(callsOf(sts(), c.operation)).toHaveLength(1);
    expect(asked.length).toBeGreaterThan(0);
  });

  test("keeps a deep copy of params: the caller's later changes, nested ones too, are never sent", async () => {
    const init = await c.validInit(target());
    using provider = c.build(init);
    c.mutate(init.params!);
    await provider();
    expect(callsOf(sts(), c.operation).map((call) => [call.outcome, call.params])).toEqual([['success', c.sent]]);
  });

  test("never writes to the caller's options, not even to a nested value", async () => {
    // Frozen all the way down: a write anywhere in it throws, in the factory or in a fetch.
    const init = deepFreeze(await c.validInit(target()));
    const before = JSON.stringify(init);
    using provider = c.build(init);
    await provider();
    await provider.refresh();
    expect(JSON.stringify(init)).toBe(before);
    expect(callsOf(sts(), c.operation).map((call) => call.outcome)).toEqual(['success', 'success']);
  });
});

describe.each(CASES.filter((c) => c.withMfa !== undefined))('$factory with an MFA device', (c) => {
  const init = async (mfaCodeProvider: unknown) =>
    c.withMfa!(await c.validInit({ sts: sts() }), mfaCodeProvider as () => Promise<string>);

  test('refuses SerialNumber without a way to get codes, and a code provider that is no function', async () => {
    const withoutProvider = { ...(await init(undefined)), mfaCodeProvider: undefined };
    expect(parameterOf(() => c.build(withoutProvider))).toBe('mfaCodeProvider');
    const notAFunction = await init('123456');
    expect(parameterOf(() => c.build(notAFunction))).toBe('mfaCodeProvider');
    expect(sts().calls).toHaveLength(0);
  });

  test('asks for no code before the first call', async () => {
    const ask = jest.fn(async () => '123456');
    c.build(await init(ask)).close();
    expect(ask).not.toHaveBeenCalled();
  });
});

describe.each(CASES.filter((c) => c.longTermKeysOnly))('$factory, which STS takes from long-term keys only', (c) => {
  /** A role session of alice's: what STS refuses for this operation, with an answer that does not say why. */
  async function roleSession(): Promise<AwsCredentialIdentity & { sessionToken: string }> {
    using role = fromAssumeRole({
      params: { RoleArn: roleArn('demo-role') },
      sourceCredentials: ALICE,
      clientConfig: localConfig(sts()),
    });
    const { accessKeyId, secretAccessKey, sessionToken } = await role();
    sts().clearCalls();
    return { accessKeyId, secretAccessKey, sessionToken };
  }

  test.each(['sourceCredentials', 'masterCredentials'])(
    'refuses session credentials as %s when created',
    async (key) => {
      const source = await roleSession();
      const init = { ...(await c.validInit({ sts: sts() })), sourceCredentials: undefined, [key]: source };
      const error = thrownBy(() => c.build(init));
      expect(error).toBeInstanceOf(InvalidSourceCredentialsError);
      expect((error as Error).message).toMatch(
        `${key} holds a session token: ${c.operation} accepts only long-term keys`,
      );
      expectNoSecret(error, [source.secretAccessKey, source.sessionToken]);
      expect(sts().calls).toHaveLength(0);
    },
  );

  test('refuses session credentials a source provider resolves to, at the call, sending nothing', async () => {
    const source = await roleSession();
    const provider = c.build({ ...(await c.validInit({ sts: sts() })), sourceCredentials: async () => source });
    const error = await rejectionOf(provider());
    provider.close();
    expect(error).toBeInstanceOf(InvalidSourceCredentialsError);
    expect((error as Error).message).toContain(source.accessKeyId);
    expectNoSecret(error, [source.secretAccessKey, source.sessionToken]);
    expect(sts().calls).toHaveLength(0);
  });
});
