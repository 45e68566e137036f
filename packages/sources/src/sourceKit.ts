import { InvalidParameterError, createRefreshingProvider } from '@credchain/core';
import type { Clock, Logger, RefreshingProviderOptions } from '@credchain/core';
import { providerKit } from '@credchain/core/provider-kit';
import type { EventInput } from '@credchain/core/provider-kit';

/**
 * The options every source provider takes, as every credchain provider does (core's
 * `RefreshingProviderOptions`): `name` (log lines and events), `refresh` (windows, jitter,
 * background, clock), `retry` (backoff of background retries), `logger`, `onEvent`.
 */
export type SourceProviderOptions = RefreshingProviderOptions;

/** What a source factory needs besides its fetch. */
export interface SourceKit {
  readonly name: string;
  /** `credchain:<name> -`, the prefix of log lines. */
  readonly tag: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly emit: (event: EventInput) => void;
  /** The engine options, named. */
  readonly engine: RefreshingProviderOptions;
}

// Options are checked as JavaScript callers may pass them, whatever their types say.
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * `init` checked to be an options object (or absent) and copied, the copy frozen: a caller's later
 * change reaches nothing. Nested objects (`env`, `clientConfig`) are the caller's own, read as they are.
 * @throws InvalidParameterError naming `init`
 */
export function frozenInit<I extends object>(init: I | undefined): Readonly<I> {
  if (init === undefined) return Object.freeze({}) as Readonly<I>;
  if (!isObject(init) || Array.isArray(init)) throw new InvalidParameterError('init', 'must be an options object');
  return Object.freeze({ ...init });
}

/**
 * Checks the engine options every provider takes (naming the first bad one) and builds the logger,
 * the emitter and the engine options under `defaultName` (or `init.name`).
 * @throws InvalidParameterError naming `name`, `logger`, `onEvent` or a `refresh.*` / `retry.*` option
 */
export function sourceKit(defaultName: string, init: SourceProviderOptions): SourceKit {
  const clock: Clock = init.refresh?.clock ?? Date;
  if (init.name !== undefined && (typeof init.name !== 'string' || init.name === '')) {
    throw new InvalidParameterError('name', 'must be a non-empty string');
  }
  const logger: unknown = init.logger;
  if (logger !== undefined) {
    const methods = ['debug', 'info', 'warn', 'error'] as const;
    if (!isObject(logger) || methods.some((m) => typeof logger[m] !== 'function')) {
      throw new InvalidParameterError('logger', 'must have debug, info, warn and error methods');
    }
  }
  if (init.onEvent !== undefined && typeof init.onEvent !== 'function') {
    throw new InvalidParameterError('onEvent', 'must be a function receiving events');
  }
  if (init.refresh !== undefined && !isObject(init.refresh)) {
    throw new InvalidParameterError('refresh', 'must be an object of refresh options');
  }
  if (init.retry !== undefined && !isObject(init.retry)) {
    throw new InvalidParameterError('retry', 'must be an object of retry options');
  }
  const name = init.name ?? defaultName;
  // The provider-kit reads only the engine options of STS providers' options, which these are.
  const { logger: resolved, emit, engine: options } = providerKit(name, init);
  // A source takes nothing from the SDK client that calls it (no STS client of its own to configure), so
  // clients call it directly from the start, without the two wrappers that pass their configuration.
  const engine: RefreshingProviderOptions = { ...options, inheritsFromCaller: false };
  return { name, tag: `credchain:${name} -`, logger: resolved, clock, emit, engine };
}

/**
 * For a provider that builds its engine later (credential_process, which knows only from the first
 * output whether its credentials expire): the engine options checked now, by the engine itself, so a
 * bad one is named at creation. Nothing runs: the probe is never called and is closed at once.
 */
export function checkEngineOptions(engine: RefreshingProviderOptions): void {
  const probe = createRefreshingProvider(() => Promise.reject(new Error('never called')), {
    ...engine,
    refresh: { ...engine.refresh, eager: false },
  });
  probe.close();
}

/**
 * Checks a timeout-like option: a finite number of milliseconds, at least `min`.
 * @throws InvalidParameterError naming `option`
 */
export function checkMs(option: string, value: unknown, min = 1): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new InvalidParameterError(option, `must be a number of milliseconds ≥ ${min}`);
  }
}

/**
 * Checks a retry count: an integer between 0 and `max`.
 * @throws InvalidParameterError naming `option`
 */
export function checkCount(option: string, value: unknown, max = 10): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidParameterError(option, `must be an integer between 0 and ${max}`);
  }
}

/**
 * Checks an optional string option (non-empty when given).
 * @throws InvalidParameterError naming `option`
 */
export function checkString(option: string, value: unknown, what = 'a non-empty string'): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value === '') throw new InvalidParameterError(option, `must be ${what}`);
}

/**
 * Checks an `env` option: an object of environment variables, like `process.env`.
 * @throws InvalidParameterError naming `env`
 */
export function checkEnv(value: unknown): void {
  if (value !== undefined && (!isObject(value) || Array.isArray(value))) {
    throw new InvalidParameterError('env', 'must be an object of environment variables, like process.env');
  }
}
