import { inspect } from 'node:util';

import { InvalidParameterError } from '@credchain/core';

/**
 * Every way a user could print a value (an error's message and stack, util.inspect with and without
 * hidden properties, JSON.stringify): none of them may show any of `secrets`. A secret of five
 * characters or fewer fails the check itself: it would match by chance and prove nothing.
 */
export function expectNoSecret(value: unknown, secrets: readonly string[]): void {
  const shown = [
    value instanceof Error ? `${value.message}\n${String(value.stack)}` : '',
    inspect(value, { depth: 10 }),
    inspect(value, { depth: 10, showHidden: true }),
    // JSON.stringify answers undefined (typed string) for undefined and functions.
    String(JSON.stringify(value)),
  ].join('\n');
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(5);
    expect(shown).not.toContain(secret);
  }
}

/** What a rejected promise rejected with (fails the test when it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got a value');
}

/** What `run` threw (fails the test when it returned). */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, got a return');
}

/** The parameter an InvalidParameterError thrown by `build` names (fails the test when it threw nothing else). */
export function parameterOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidParameterError);
    return (error as InvalidParameterError).parameter;
  }
  throw new Error('expected an InvalidParameterError');
}
