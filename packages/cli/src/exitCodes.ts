import { CredentialProcessError, ProfileConfigError, ProfileNotFoundError } from '@credchain/profile';
import {
  ChainExhaustedError,
  CredentialsExpiredError,
  InvalidCredentialsError,
  InvalidMfaCodeError,
  InvalidParameterError,
  InvalidSourceCredentialsError,
  MfaCodeRejectedError,
  MfaCodeReusedError,
  MfaPromptUnavailableError,
  StsError,
} from 'credchain';

/**
 * The command's exit codes. `exec` exits with its child's code instead (128 + the signal number
 * when the child was killed by one), once the child started.
 */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** Anything unexpected: a network failure, a bug. */
  FAILURE: 1,
  /** Bad usage: an unknown command or option, a missing or invalid argument (checked before any STS call). */
  USAGE: 2,
  /** STS answered with an error (AccessDenied, ExpiredToken, RegionDisabled, …). */
  STS: 3,
  /** No usable credentials: a missing or broken profile, a failed credential_process, expired credentials. */
  CREDENTIALS: 4,
  /** MFA failed: no terminal to prompt on, a code that is not 6 digits, a code STS rejected. */
  MFA: 5,
  /** `exec` could not start its command. */
  EXEC: 6,
  /** `credchain sts-local`: the optional peer `@credchain/sts-local` is not installed. */
  STS_LOCAL_MISSING: 7,
} as const;

/** A usage mistake: found by the command itself, or by commander (an unknown option or command). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `exec` could not start its command (not found, not executable). */
export class ExecError extends Error {
  override name = 'ExecError';
}

/** `credchain sts-local` without `@credchain/sts-local` installed (an optional peer of the CLI). */
export class StsLocalMissingError extends Error {
  override name = 'StsLocalMissingError';
}

/** An MFA problem whatever the layer that noticed it (a bad code is also an InvalidParameterError). */
function isMfaError(error: unknown): boolean {
  return (
    error instanceof MfaPromptUnavailableError ||
    error instanceof MfaCodeRejectedError ||
    error instanceof MfaCodeReusedError ||
    error instanceof InvalidMfaCodeError
  );
}

/** The exit code of an error, looking through `cause` (a provider wraps what went wrong below). */
export function exitCodeOf(error: unknown): number {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth += 1) {
    if (isMfaError(e)) return EXIT.MFA;
    // No HTTP status: STS never answered (connection refused, DNS); core wraps those too.
    if (e instanceof StsError) return e.statusCode === undefined ? EXIT.FAILURE : EXIT.STS;
  }
  if (error instanceof UsageError || error instanceof InvalidParameterError) return EXIT.USAGE;
  if (error instanceof ExecError) return EXIT.EXEC;
  if (error instanceof StsLocalMissingError) return EXIT.STS_LOCAL_MISSING;
  if (
    error instanceof ProfileConfigError ||
    error instanceof ProfileNotFoundError ||
    error instanceof CredentialProcessError ||
    error instanceof CredentialsExpiredError ||
    error instanceof InvalidCredentialsError ||
    error instanceof InvalidSourceCredentialsError ||
    error instanceof ChainExhaustedError ||
    (error instanceof Error && error.name === 'CredentialsProviderError')
  ) {
    return EXIT.CREDENTIALS;
  }
  return EXIT.FAILURE;
}
