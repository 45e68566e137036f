import { CredchainError } from '@credchain/core';

/**
 * A store call that Redis did not complete: `unavailable` when it did not answer in time or is
 * unreachable, `error` when it answered with an error. The message names the action, never a secret;
 * `cause` keeps the client's error.
 */
export class RedisStoreError extends CredchainError {
  override name = 'RedisStoreError';

  constructor(
    message: string,
    readonly kind: 'unavailable' | 'error',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
