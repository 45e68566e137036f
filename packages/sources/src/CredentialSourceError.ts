import { CredchainError } from '@credchain/core';

/** Where a source provider's credentials come from; named by every error it raises. */
export type SourceKind = 'environment' | 'process' | 'container' | 'instance-metadata' | 'sso';

/** What a {@link CredentialSourceError} says beside its message. */
export interface CredentialSourceErrorOptions {
  /**
   * "Not configured here": a `chain` (ours or the SDK's) goes on to its next link. False for a source
   * that is configured but failed, so that a broken source is never silently replaced by another identity.
   * @default false
   */
  readonly tryNextLink?: boolean;
  /** A retry cannot fix it (the engine stops its background retries). @default false */
  readonly final?: boolean;
  /** The HTTP status the source answered, when it answered one. */
  readonly statusCode?: number;
  /** What went wrong below, with any secret it carried taken out. */
  readonly cause?: unknown;
}

/**
 * A credential source could not provide credentials: not configured (`tryNextLink`), unreachable,
 * answering something that is not credentials, or refusing. `source` names it. The message never
 * holds a secret: response bodies, a command's output and token files are described, never quoted.
 */
export class CredentialSourceError extends CredchainError {
  override name = 'CredentialSourceError';
  readonly tryNextLink: boolean;
  readonly final: boolean;
  readonly statusCode: number | undefined;

  constructor(
    readonly source: SourceKind,
    message: string,
    options: CredentialSourceErrorOptions = {},
  ) {
    super(`${source}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.tryNextLink = options.tryNextLink ?? false;
    this.final = options.final ?? false;
    this.statusCode = options.statusCode;
  }
}
