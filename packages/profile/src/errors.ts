import { CredchainError } from '@credchain/core';
import { CredentialsProviderError } from '@smithy/property-provider';

/**
 * The profile is not in either file. Like the SDK's providers, a chain moves on to its next link
 * (`tryNextLink`): the profile is not configured here, rather than configured wrongly.
 */
export class ProfileNotFoundError extends CredentialsProviderError {
  override name = 'ProfileNotFoundError';

  constructor(
    readonly profile: string,
    message: string,
  ) {
    super(message, { tryNextLink: true });
    Object.setPrototypeOf(this, ProfileNotFoundError.prototype);
  }
}

/**
 * A profile is configured but cannot be used: a bad value, a missing key, a `source_profile` cycle,
 * an unsupported `credential_source`. Stops a chain; a retry cannot fix it.
 */
export class ProfileConfigError extends CredchainError {
  override name = 'ProfileConfigError';
  readonly final = true;

  constructor(
    /** The profile whose configuration is at fault. */
    readonly profile: string,
    /** The key at fault (e.g. `source_profile`), when one is. */
    readonly key: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** `credential_process` failed or printed something that is not Version 1 credentials. */
export class CredentialProcessError extends CredchainError {
  override name = 'CredentialProcessError';
}
