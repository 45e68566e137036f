import { CredentialsProviderError } from '@smithy/property-provider';

/**
 * Base of credchain's errors. Messages never include a secret; `cause` keeps what went wrong below.
 */
export class CredchainError extends Error {
  override name = 'CredchainError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An option or STS parameter broke a rule. Thrown before any network call. */
export class InvalidParameterError extends CredchainError {
  override name = 'InvalidParameterError';
  /** A retry cannot fix bad input. */
  readonly final = true;

  /**
   * @param parameter the option or STS parameter, e.g. `RoleSessionName` or `refresh.mandatoryWindowMs`
   * @param rule what it must be, e.g. `must match [\w+=,.@-]{2,64}`
   */
  constructor(
    readonly parameter: string,
    readonly rule: string,
  ) {
    super(`${parameter} ${rule}`);
  }
}

/**
 * The credentials that would sign an STS call cannot be used for it, e.g. session credentials for
 * GetSessionToken, which STS accepts only from long-term keys. Raised before the call.
 */
export class InvalidSourceCredentialsError extends CredchainError {
  override name = 'InvalidSourceCredentialsError';
  readonly final = true;
}

/** A fetch returned credentials the engine cannot hand out (missing fields, expired, too short). */
export class InvalidCredentialsError extends CredchainError {
  override name = 'InvalidCredentialsError';
}

/**
 * No unexpired credentials exist and the refresh failed. `cause` is the refresh's error. Stops a
 * chain: a provider that worked and broke must not silently hand over to another identity.
 */
export class CredentialsExpiredError extends CredchainError {
  override name = 'CredentialsExpiredError';

  constructor(
    message: string,
    /** When the last credentials expired. */
    readonly expiration: Date,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** Every link of a `chain` said "not me". `errors` holds each link's error, in order. */
export class ChainExhaustedError extends CredentialsProviderError {
  override name = 'ChainExhaustedError';

  constructor(
    message: string,
    readonly errors: readonly unknown[],
  ) {
    super(message, { tryNextLink: true });
    Object.setPrototypeOf(this, ChainExhaustedError.prototype);
  }
}
