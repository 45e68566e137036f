import { PassThrough } from 'node:stream';

import { MfaPromptUnavailableError, promptCodeProvider } from '../src/mfa';

const SERIAL = 'arn:aws:iam::111122223333:mfa/carol';

function fakeTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true as const });
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  return { input, output, written: () => written };
}

/** Lets stream events and promise callbacks run (real timers: streams need the event loop). */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('promptCodeProvider', () => {
  test('without a terminal it fails at once instead of waiting forever', async () => {
    const input = new PassThrough(); // a pipe: not a TTY
    const output = new PassThrough();
    const writes: string[] = [];
    output.on('data', (chunk: Buffer) => writes.push(chunk.toString()));
    const provider = promptCodeProvider({ input, output });
    let settled = false;
    const result = provider(SERIAL).finally(() => {
      settled = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true); // rejected within microtasks: no I/O was awaited
    const error = await result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MfaPromptUnavailableError);
    expect((error as MfaPromptUnavailableError).final).toBe(true);
    expect((error as Error).message).toBe(
      `no terminal to ask for an MFA code for ${SERIAL}; pass mfaCodeProvider: totpCodeProvider(...) or a TokenCode`,
    );
    expect(writes).toEqual([]);
  });

  test('defaults to process.stdin, and refuses it when it is not a terminal', async () => {
    const stdin = process.stdin;
    const own = Object.getOwnPropertyDescriptor(stdin, 'isTTY');
    Object.defineProperty(stdin, 'isTTY', { value: undefined, configurable: true, writable: true });
    try {
      await expect(promptCodeProvider()(SERIAL)).rejects.toBeInstanceOf(MfaPromptUnavailableError);
    } finally {
      if (own === undefined) delete (stdin as { isTTY?: boolean }).isTTY;
      else Object.defineProperty(stdin, 'isTTY', own);
    }
  });

  test('on a terminal it asks "MFA code for <serial>: " and reads one line, writing nothing else', async () => {
    const terminal = fakeTerminal();
    const provider = promptCodeProvider({ input: terminal.input, output: terminal.output });
    const answer = provider(SERIAL, { provider: 'assume-role', reason: 'initial', attempt: 1 });
    await tick();
    expect(terminal.written()).toBe(`MFA code for ${SERIAL}: `);
    terminal.input.write('314159\n');
    await expect(answer).resolves.toBe('314159');
    await tick();
    expect(terminal.written()).toBe(`MFA code for ${SERIAL}: `);
  });

  test('after a reused code (core waited for the next step) it asks the human for the next one', async () => {
    const terminal = fakeTerminal();
    const provider = promptCodeProvider({ input: terminal.input, output: terminal.output });
    const answer = provider(SERIAL, { provider: 'assume-role', reason: 'reused-code', attempt: 2 });
    await tick();
    expect(terminal.written()).toMatch(/already used; enter the next one/);
    expect(terminal.written().endsWith(`MFA code for ${SERIAL}: `)).toBe(true);
    terminal.input.write('271828\n');
    await expect(answer).resolves.toBe('271828');
  });

  test('asks one question at a time on one terminal', async () => {
    const terminal = fakeTerminal();
    const provider = promptCodeProvider({ input: terminal.input, output: terminal.output });
    const first = provider(SERIAL);
    const second = provider('arn:aws:iam::111122223333:mfa/dave');
    await tick();
    expect(terminal.written()).toBe(`MFA code for ${SERIAL}: `);
    terminal.input.write('111111\n');
    await expect(first).resolves.toBe('111111');
    await tick();
    expect(terminal.written()).toBe(`MFA code for ${SERIAL}: MFA code for arn:aws:iam::111122223333:mfa/dave: `);
    terminal.input.write('222222\n');
    await expect(second).resolves.toBe('222222');
  });

  test('a terminal that closes before an answer is an error, not a hang', async () => {
    const terminal = fakeTerminal();
    const provider = promptCodeProvider({ input: terminal.input, output: terminal.output });
    const answer = provider(SERIAL);
    await tick();
    terminal.input.end();
    await expect(answer).rejects.toBeInstanceOf(MfaPromptUnavailableError);
  });
});
