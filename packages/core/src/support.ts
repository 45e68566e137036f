import { InvalidCredentialsError } from './errors';
import type { Logger, TemporaryCredentials } from './types';

const noop = (): void => undefined;

/** A logger that drops everything: the default, so a library stays quiet unless asked. */
export const noopLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * One line about an error for logs and wrapping messages: its name or STS code and its message,
 * shortened. STS and credchain messages carry no secrets.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message.length > 300 ? `${error.message.slice(0, 300)}…` : error.message;
    return `${error.name}: ${message}`;
  }
  return typeof error === 'string' ? error.slice(0, 300) : 'unknown error';
}

/** `412 s`, `3 min 5 s`: durations in log lines. */
export function describeMs(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 600 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Rule 7: credentials that cannot be handed out are an error, not a cache entry. */
export function validateCredentials(value: unknown, now: number, mandatoryWindowMs: number): void {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidCredentialsError('fetch returned no credentials object');
  }
  const creds = value as Partial<TemporaryCredentials>;
  for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
    if (typeof creds[field] !== 'string' || creds[field] === '') {
      throw new InvalidCredentialsError(`fetched credentials have no ${field}`);
    }
  }
  const expiration = creds.expiration;
  if (!(expiration instanceof Date) || Number.isNaN(expiration.getTime())) {
    throw new InvalidCredentialsError('fetched credentials have no valid expiration Date');
  }
  const left = expiration.getTime() - now;
  if (left <= 0) {
    throw new InvalidCredentialsError(
      `fetched credentials arrived already expired (expiration ${expiration.toISOString()})`,
    );
  }
  if (left <= mandatoryWindowMs) {
    throw new InvalidCredentialsError(
      `fetched credentials arrived with ${describeMs(left)} left,` +
        ` within the ${describeMs(mandatoryWindowMs)} mandatory window`,
    );
  }
}
