import { inspect } from 'node:util';

import { generateSync } from 'otplib';

import { InvalidParameterError, MFA_CODE_PERIOD_SECONDS, createRefreshingProvider } from '../src';
import {
  InvalidMfaCodeError,
  MfaCodeReusedError,
  createMfaCoordinator,
  requestMfaCode,
  totpCodeProvider,
} from '../src/mfa';
import type { MfaCodeProvider, MfaPromptContext } from '../src/mfa';
import { SECOND, T0, makeCreds } from './helpers';

const SERIAL = 'arn:aws:iam::111122223333:mfa/alice';
const OTHER_SERIAL = 'arn:aws:iam::111122223333:mfa/bob';
// RFC 6238's SHA-1 secret, "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** A human-style code provider whose answers the test hands out one by one. */
function answeringMachine() {
  const waiting: Array<(code: string) => void> = [];
  const provider = jest.fn<Promise<string>, [string, MfaPromptContext?]>(
    () => new Promise<string>((resolve) => waiting.push(resolve)),
  );
  const answer = (code: string): void => {
    const next = waiting.shift();
    if (next === undefined) throw new Error('no prompt is open');
    next(code);
  };
  return { provider, answer, open: () => waiting.length };
}

/** Lets pending promise callbacks run without moving fake time. */
async function settle(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
}

function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 + 10 * SECOND }); // 10 s into a 30 s step
});
afterEach(() => {
  jest.useRealTimers();
});

describe('one prompt per MFA device at a time', () => {
  test('1,000 concurrent callers of one provider cause one prompt and one mfa-prompt', async () => {
    const coordinator = createMfaCoordinator();
    const codeProvider = jest.fn(async () => '246810');
    const onPrompt = jest.fn();
    const tokenCodes: string[] = [];
    const provider = createRefreshingProvider(
      async () => {
        tokenCodes.push(await coordinator.request(SERIAL, codeProvider, { provider: 'assume-role', onPrompt }));
        return makeCreds();
      },
      { name: 'assume-role' },
    );
    const all = await Promise.all(Array.from({ length: 1000 }, () => provider()));
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
    expect(codeProvider).toHaveBeenCalledTimes(1);
    expect(onPrompt).toHaveBeenCalledTimes(1);
    expect(onPrompt).toHaveBeenCalledWith(SERIAL);
    expect(tokenCodes).toEqual(['246810']);
    provider.close();
  });

  test('requests for one device from several providers wait while a prompt is open', async () => {
    const coordinator = createMfaCoordinator();
    const human = answeringMachine();
    const first = coordinator.request(SERIAL, human.provider, {
      provider: 'assume-role',
      roleArn: 'arn:aws:iam::1:role/a',
    });
    const second = coordinator.request(SERIAL, human.provider, {
      provider: 'assume-role',
      roleArn: 'arn:aws:iam::1:role/b',
    });
    await settle();
    expect(human.provider).toHaveBeenCalledTimes(1);
    expect(human.provider.mock.calls[0]?.[1]).toEqual({
      provider: 'assume-role',
      roleArn: 'arn:aws:iam::1:role/a',
      reason: 'initial',
      attempt: 1,
    });
    human.answer('111111');
    await expect(first).resolves.toBe('111111');
    await settle();
    expect(human.provider).toHaveBeenCalledTimes(2);
    expect(human.provider.mock.calls[1]?.[1]?.roleArn).toBe('arn:aws:iam::1:role/b');
    human.answer('222222');
    await expect(second).resolves.toBe('222222');
  });

  test('1,000 concurrent requests on one device: never two prompts open, every code different', async () => {
    const coordinator = createMfaCoordinator();
    let open = 0;
    let maxOpen = 0;
    let next = 100_000;
    const codeProvider = jest.fn(async () => {
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      await Promise.resolve();
      open -= 1;
      return String(next++);
    });
    const onPrompt = jest.fn();
    const codes = await Promise.all(
      Array.from({ length: 1000 }, () => coordinator.request(SERIAL, codeProvider, { provider: 'p', onPrompt })),
    );
    expect(maxOpen).toBe(1);
    expect(new Set(codes).size).toBe(1000);
    expect(codeProvider).toHaveBeenCalledTimes(1000);
    expect(onPrompt).toHaveBeenCalledTimes(1000);
  });

  test('two devices prompt independently', async () => {
    const coordinator = createMfaCoordinator();
    const alice = answeringMachine();
    const bob = answeringMachine();
    const a = coordinator.request(SERIAL, alice.provider, { provider: 'p' });
    const b = coordinator.request(OTHER_SERIAL, bob.provider, { provider: 'p' });
    await settle();
    expect(alice.open()).toBe(1);
    expect(bob.open()).toBe(1);
    bob.answer('333333');
    await expect(b).resolves.toBe('333333');
    alice.answer('333333'); // the same digits on another device are another code
    await expect(a).resolves.toBe('333333');
  });

  test('a failed prompt does not block the device', async () => {
    const coordinator = createMfaCoordinator();
    const failing = jest.fn(async () => {
      throw new Error('user pressed ctrl-c');
    });
    await expect(coordinator.request(SERIAL, failing, { provider: 'p' })).rejects.toThrow('ctrl-c');
    await expect(coordinator.request(SERIAL, async () => '444444', { provider: 'p' })).resolves.toBe('444444');
  });

  test('the process-wide requestMfaCode serialises too and hands a code out once', async () => {
    const serial = `${SERIAL}-process-wide-${Math.random()}`;
    const human = answeringMachine();
    const first = requestMfaCode(serial, human.provider, { provider: 'p' });
    const second = requestMfaCode(serial, human.provider, { provider: 'q' });
    await settle();
    expect(human.open()).toBe(1);
    human.answer('555555');
    await expect(first).resolves.toBe('555555');
    await settle();
    human.answer('555555');
    await settle();
    expect(human.provider).toHaveBeenCalledTimes(2); // not asked again before the next 30 s step
    await jest.advanceTimersByTimeAsync(20 * SECOND);
    expect(human.provider.mock.calls[2]?.[1]?.reason).toBe('reused-code');
    human.answer('666666');
    await expect(second).resolves.toBe('666666');
    // A coordinator of its own shares nothing with the process-wide one.
    await expect(createMfaCoordinator().request(serial, async () => '555555', { provider: 'p' })).resolves.toBe(
      '555555',
    );
  });
});

describe('the answer is checked before any STS call', () => {
  test.each([
    ['5 digits', '98765'],
    ['7 digits', '9876543'],
    ['letters', '98a765'],
    ['empty', ''],
    ['spaces inside', '987 65'],
  ])('%s is refused with InvalidMfaCodeError naming TokenCode, not quoting the answer', async (_label, answer) => {
    const coordinator = createMfaCoordinator();
    const error = await rejectionOf(coordinator.request(SERIAL, async () => answer, { provider: 'p' }));
    expect(error).toBeInstanceOf(InvalidMfaCodeError);
    expect(error).toBeInstanceOf(InvalidParameterError);
    const e = error as InvalidMfaCodeError;
    expect(e.name).toBe('InvalidMfaCodeError');
    expect(e.final).toBe(true);
    expect(e.parameter).toBe('TokenCode');
    expect(e.serialNumber).toBe(SERIAL);
    expect(e.message).toContain('must be 6 digits');
    if (answer !== '') {
      for (const shown of [e.message, inspect(e), JSON.stringify(e)]) expect(shown).not.toContain(answer);
    }
  });

  test('an answer that is not a string is refused', async () => {
    const coordinator = createMfaCoordinator();
    const numeric = (async () => 123456) as unknown as MfaCodeProvider;
    await expect(coordinator.request(SERIAL, numeric, { provider: 'p' })).rejects.toBeInstanceOf(InvalidMfaCodeError);
  });

  test('surrounding whitespace is trimmed', async () => {
    const coordinator = createMfaCoordinator();
    await expect(coordinator.request(SERIAL, async () => ' 012345\n', { provider: 'p' })).resolves.toBe('012345');
  });

  test('a refused answer is not remembered as used', async () => {
    const coordinator = createMfaCoordinator();
    await expect(coordinator.request(SERIAL, async () => '12345x', { provider: 'p' })).rejects.toBeInstanceOf(
      InvalidMfaCodeError,
    );
    await expect(coordinator.request(SERIAL, async () => '123450', { provider: 'p' })).resolves.toBe('123450');
  });

  test('bad options and arguments are refused with the name of the option', async () => {
    expect(() => createMfaCoordinator({ maxAsks: 0 })).toThrow(/maxAsks/);
    expect(() => createMfaCoordinator({ maxAsks: 1.5 })).toThrow(/maxAsks/);
    expect(() => createMfaCoordinator({ retentionMs: -1 })).toThrow(/retentionMs/);
    const coordinator = createMfaCoordinator();
    await expect(coordinator.request('', async () => '123456', { provider: 'p' })).rejects.toThrow(/SerialNumber/);
    await expect(coordinator.request(SERIAL, undefined as never, { provider: 'p' })).rejects.toThrow(/mfaCodeProvider/);
  });
});

describe('a code is handed out once per device', () => {
  test('a human answering a used code is asked again at the next 30 s step with reason reused-code', async () => {
    const coordinator = createMfaCoordinator();
    await coordinator.request(SERIAL, async () => '777777', { provider: 'p' });
    const answers = ['777777', '888888'];
    const codeProvider = jest.fn(async () => answers.shift() ?? 'none');
    const onPrompt = jest.fn();
    const pending = coordinator.request(SERIAL, codeProvider, { provider: 'p', reason: 'refresh', onPrompt });
    await jest.advanceTimersByTimeAsync(20 * SECOND - 1);
    expect(codeProvider).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    const code = await pending;
    expect(code).toBe('888888');
    expect(codeProvider.mock.calls.map((call) => (call as unknown[])[1])).toEqual([
      { provider: 'p', reason: 'refresh', attempt: 1 },
      { provider: 'p', reason: 'reused-code', attempt: 2 },
    ]);
    expect(onPrompt).toHaveBeenCalledTimes(2);
  });

  test('gives up after maxAsks with MfaCodeReusedError, which does not quote the code', async () => {
    const coordinator = createMfaCoordinator({ maxAsks: 3 });
    const stubborn = jest.fn(async (_serial: string, _context?: MfaPromptContext) => '909090');
    await expect(coordinator.request(SERIAL, stubborn, { provider: 'p' })).resolves.toBe('909090');
    stubborn.mockClear();
    const pending = rejectionOf(coordinator.request(SERIAL, stubborn, { provider: 'p' }));
    await jest.advanceTimersByTimeAsync(20 * SECOND); // the next step boundary
    expect(stubborn).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(30 * SECOND); // and the one after
    const error = await pending;
    expect(error).toBeInstanceOf(MfaCodeReusedError);
    const e = error as MfaCodeReusedError;
    expect(e.final).toBe(true);
    expect(e.asks).toBe(3);
    expect(e.serialNumber).toBe(SERIAL);
    expect(stubborn.mock.calls.map((call) => call[1]?.reason)).toEqual(['initial', 'reused-code', 'reused-code']);
    expect(stubborn.mock.calls.map((call) => call[1]?.attempt)).toEqual([1, 2, 3]);
    for (const shown of [e.message, inspect(e), JSON.stringify(e)]) expect(shown).not.toContain('909090');
  });

  test('a code is forgotten after retentionMs', async () => {
    let now = T0;
    const coordinator = createMfaCoordinator({ retentionMs: 60_000, maxAsks: 1, clock: { now: () => now } });
    await coordinator.request(SERIAL, async () => '135790', { provider: 'p' });
    now += 59_999;
    await expect(coordinator.request(SERIAL, async () => '135790', { provider: 'p' })).rejects.toBeInstanceOf(
      MfaCodeReusedError,
    );
    now += 1;
    await expect(coordinator.request(SERIAL, async () => '135790', { provider: 'p' })).resolves.toBe('135790');
  });

  test('the default clock follows fake timers installed after the coordinator was made', async () => {
    // The process-wide coordinator is created at import, before any test fakes time.
    jest.useRealTimers();
    const coordinator = createMfaCoordinator({ retentionMs: 60_000, maxAsks: 1 });
    jest.useFakeTimers({ now: T0 });
    await coordinator.request(SERIAL, async () => '246801', { provider: 'p' });
    jest.setSystemTime(T0 + 59_999);
    await expect(coordinator.request(SERIAL, async () => '246801', { provider: 'p' })).rejects.toBeInstanceOf(
      MfaCodeReusedError,
    );
    jest.setSystemTime(T0 + 60_000);
    await expect(coordinator.request(SERIAL, async () => '246801', { provider: 'p' })).resolves.toBe('246801');
  });

  test('the coordinator shows no code through inspect or JSON', async () => {
    const coordinator = createMfaCoordinator();
    await coordinator.request(SERIAL, async () => '192837', { provider: 'p' });
    expect(inspect(coordinator, { showHidden: true, depth: 10 })).not.toContain('192837');
    expect(JSON.stringify(coordinator)).not.toContain('192837');
  });
});

describe("a user's own TOTP generator waits for the next 30 s step too", () => {
  // What a user writes instead of totpCodeProvider: otplib's RFC 6238 code at Date.now(), 30 s steps.
  const userTotp = () =>
    jest.fn(async (_serial: string, _context?: MfaPromptContext) => generateSync({ secret: RFC_SECRET }));
  const codeAt = (ms: number): string => generateSync({ secret: RFC_SECRET, epoch: Math.floor(ms / SECOND) });

  test('two roles on one device in one step: the second waits for the step boundary, gets the next code', async () => {
    const coordinator = createMfaCoordinator();
    const otp = userTotp();
    const first = await coordinator.request(SERIAL, otp, { provider: 'assume-role', roleArn: 'arn:aws:iam::1:role/a' });
    expect(first).toBe(codeAt(T0));
    let second: string | undefined;
    let failure: unknown;
    coordinator.request(SERIAL, otp, { provider: 'assume-role', roleArn: 'arn:aws:iam::1:role/b' }).then(
      (code) => {
        second = code;
      },
      (error: unknown) => {
        failure = error;
      },
    );
    await jest.advanceTimersByTimeAsync(20 * SECOND - 1);
    expect(failure).toBeUndefined();
    expect(second).toBeUndefined();
    expect(otp).toHaveBeenCalledTimes(2); // asked once, answered the used code, now waiting
    await jest.advanceTimersByTimeAsync(1);
    expect(failure).toBeUndefined();
    expect(second).toBe(codeAt(T0 + 30 * SECOND));
    expect(Date.now()).toBe(T0 + 30 * SECOND);
    expect(otp.mock.calls.map((call) => call[1])).toEqual([
      { provider: 'assume-role', roleArn: 'arn:aws:iam::1:role/a', reason: 'initial', attempt: 1 },
      { provider: 'assume-role', roleArn: 'arn:aws:iam::1:role/b', reason: 'initial', attempt: 1 },
      { provider: 'assume-role', roleArn: 'arn:aws:iam::1:role/b', reason: 'reused-code', attempt: 2 },
    ]);
  });

  test('three roles at once each get a code of their own step, none refused', async () => {
    const coordinator = createMfaCoordinator();
    const otp = userTotp();
    const settled: Array<PromiseSettledResult<string>> = [];
    for (const role of ['a', 'b', 'c']) {
      coordinator.request(SERIAL, otp, { provider: 'assume-role', roleArn: `arn:aws:iam::1:role/${role}` }).then(
        (value) => settled.push({ status: 'fulfilled', value }),
        (reason: unknown) => settled.push({ status: 'rejected', reason }),
      );
    }
    await settle();
    await jest.advanceTimersByTimeAsync(50 * SECOND);
    expect(settled).toEqual([
      { status: 'fulfilled', value: codeAt(T0) },
      { status: 'fulfilled', value: codeAt(T0 + 30 * SECOND) },
      { status: 'fulfilled', value: codeAt(T0 + 60 * SECOND) },
    ]);
  });

  test('the wait follows the coordinator clock: a step boundary of its time, not of the timer start', async () => {
    let now = T0 + 29 * SECOND; // 1 s before the boundary
    const coordinator = createMfaCoordinator({ clock: { now: () => now } });
    const answers = ['121212', '121212', '343434'];
    const human = jest.fn(async () => answers.shift() ?? 'none');
    await coordinator.request(SERIAL, human, { provider: 'p' });
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout');
    try {
      const pending = coordinator.request(SERIAL, human, { provider: 'p' });
      await settle();
      expect(setTimeoutSpy).toHaveBeenLastCalledWith(expect.any(Function), 1 * SECOND);
      now += SECOND;
      await jest.advanceTimersByTimeAsync(SECOND);
      await expect(pending).resolves.toBe('343434');
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });
});

describe('a TOTP generator waits for its next time step', () => {
  test('two roles on one device in one 30 s step get different codes; the second after the step boundary', async () => {
    const coordinator = createMfaCoordinator();
    const totp = totpCodeProvider({ secret: RFC_SECRET });
    const reference = totpCodeProvider({ secret: RFC_SECRET, clock: { now: () => T0 + 30 * SECOND } });
    const onPrompt = jest.fn();
    const first = await coordinator.request(SERIAL, totp, {
      provider: 'assume-role',
      roleArn: 'arn:aws:iam::1:role/a',
      onPrompt,
    });
    let second: string | undefined;
    void coordinator
      .request(SERIAL, totp, { provider: 'assume-role', roleArn: 'arn:aws:iam::1:role/b', onPrompt })
      .then((code) => {
        second = code;
      });
    await jest.advanceTimersByTimeAsync(20 * SECOND - 1);
    expect(second).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(second).toBe(await reference(SERIAL));
    expect(Date.now()).toBe(T0 + 30 * SECOND);
    expect(onPrompt).toHaveBeenCalledTimes(3); // a, b (used code), b again
  });

  test('a wrapped totpCodeProvider (its marks lost) still waits for the next step, and no longer', async () => {
    expect(MFA_CODE_PERIOD_SECONDS).toBe(30);
    const coordinator = createMfaCoordinator();
    const totp = totpCodeProvider({ secret: RFC_SECRET });
    const wrapped = jest.fn((serial: string, context?: MfaPromptContext) => totp(serial, context));
    const first = await coordinator.request(SERIAL, wrapped, { provider: 'assume-role' });
    const second = coordinator.request(SERIAL, wrapped, { provider: 'assume-role' });
    await jest.advanceTimersByTimeAsync(20 * SECOND - 1);
    expect(wrapped).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1);
    await expect(second).resolves.not.toBe(first);
    expect(wrapped).toHaveBeenCalledTimes(3);
  });

  test('concurrent roles on one device each get their own step', async () => {
    const coordinator = createMfaCoordinator();
    const totp = totpCodeProvider({ secret: RFC_SECRET });
    const done: string[] = [];
    const requests = ['a', 'b', 'c'].map((role) =>
      coordinator
        .request(SERIAL, totp, { provider: 'assume-role', roleArn: `arn:aws:iam::1:role/${role}` })
        .then((code) => {
          done.push(code);
          return code;
        }),
    );
    await settle();
    expect(done).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(20 * SECOND);
    expect(done).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(30 * SECOND);
    const codes = await Promise.all(requests);
    expect(new Set(codes).size).toBe(3);
  });

  test('a generator whose clock stands still gives up after maxAsks', async () => {
    const coordinator = createMfaCoordinator({ maxAsks: 2 });
    const frozen = totpCodeProvider({ secret: RFC_SECRET, clock: { now: () => T0 } });
    await coordinator.request(SERIAL, frozen, { provider: 'p' });
    const pending = rejectionOf(coordinator.request(SERIAL, frozen, { provider: 'p' }));
    await jest.advanceTimersByTimeAsync(30 * SECOND);
    const error = await pending;
    expect(error).toBeInstanceOf(MfaCodeReusedError);
    expect((error as Error).message).toContain('clock');
  });

  test.each([
    ['a totpCodeProvider', (clock: { now(): number }) => totpCodeProvider({ secret: RFC_SECRET, clock })],
    [
      "a user's own generator",
      (clock: { now(): number }): MfaCodeProvider =>
        async () =>
          generateSync({ secret: RFC_SECRET, epoch: Math.floor(clock.now() / SECOND) }),
    ],
  ])(
    "the wait for %s keeps the process alive while a caller awaits the code (its timer is not unref'd)",
    async (_label, make) => {
      jest.useRealTimers();
      const unref = jest.fn();
      const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout').mockImplementation((fn: () => void) => {
        fn();
        return { unref } as unknown as NodeJS.Timeout;
      });
      try {
        let now = T0;
        const clock = { now: () => now };
        const coordinator = createMfaCoordinator({ clock });
        const codeProvider = make(clock);
        await coordinator.request(SERIAL, codeProvider, { provider: 'p' });
        // Move the generator's clock when the coordinator sleeps, as the timer firing would.
        setTimeoutSpy.mockImplementation(((fn: () => void, ms: number) => {
          now += ms;
          fn();
          return { unref } as unknown as NodeJS.Timeout;
        }) as unknown as typeof setTimeout);
        await coordinator.request(SERIAL, codeProvider, { provider: 'p' });
        expect(setTimeoutSpy).toHaveBeenCalledWith(expect.any(Function), 30 * SECOND);
        expect(unref).not.toHaveBeenCalled();
      } finally {
        setTimeoutSpy.mockRestore();
      }
    },
  );
});
