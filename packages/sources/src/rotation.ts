import { createRefreshingProvider, defaultAdvisoryWindowMs } from '@credchain/core';
import type {
  CredentialProvider,
  FetchContext,
  FetchCredentials,
  Logger,
  RefreshingProviderOptions,
  TemporaryCredentials,
} from '@credchain/core';

import { CredentialSourceError } from './CredentialSourceError';
import type { SourceKind } from './CredentialSourceError';

// Instance metadata and the container endpoints hand out the same role credentials until they rotate
// them, and EC2 promises new ones "at least five minutes before the expiration of the old" (botocore
// and the Go SDK refresh such credentials in their last 10-15 and 5 minutes). An early refresh can only
// get the same credentials back. The engine must neither take that for news nor spin on it.

/** EC2 makes new role credentials available at least this long before the old ones expire. */
export const ROTATION_LEAD_MS = 5 * 60_000;
/** Fresh role credentials live hours (EC2's about 6); less than this left means they are near rotation. */
const NEAR_ROTATION_MS = 90 * 60_000;
const DEFAULT_MANDATORY_WINDOW_MS = 60_000;

/**
 * The advisory window of rotating role credentials, by the lifetime they have left when they arrive:
 * over 90 minutes (fresh ones, typically 6 hours), the engine's default (60 minutes), so an outage is
 * noticed early; 90 minutes or less (the same credentials served again after that early refresh, or a
 * provider started late in their life), the window opens where the source promises new ones,
 * `ROTATION_LEAD_MS` before expiry,
 * so the next attempt finds them rotated instead of asking again and again as the window halves.
 */
export function rotationAdvisoryWindowMs(mandatoryWindowMs: number): (lifetimeMs: number) => number {
  return (lifetime) =>
    lifetime > NEAR_ROTATION_MS ? defaultAdvisoryWindowMs(lifetime) : Math.max(0, ROTATION_LEAD_MS - mandatoryWindowMs);
}

/** The engine options of a rotating source: {@link rotationAdvisoryWindowMs} unless the caller set a window. */
export function withRotationWindows(engine: RefreshingProviderOptions): RefreshingProviderOptions {
  if (engine.refresh?.advisoryWindowMs !== undefined) return engine;
  const mandatory = engine.refresh?.mandatoryWindowMs ?? DEFAULT_MANDATORY_WINDOW_MS;
  return { ...engine, refresh: { ...engine.refresh, advisoryWindowMs: rotationAdvisoryWindowMs(mandatory) } };
}

/** The engine around the fetch of a rotating source, with {@link withRotationWindows}. */
export function rotatingProvider(fetch: FetchCredentials, engine: RefreshingProviderOptions): CredentialProvider {
  return createRefreshingProvider(fetch, withRotationWindows(engine));
}

/** What {@link checkRotated} reports with. */
export interface RotationCheck {
  readonly source: SourceKind;
  /** The endpoint, for messages: `IMDS at http://…`. */
  readonly where: string;
  readonly logger: Logger;
  readonly tag: string;
  readonly now: number;
}

/**
 * An answer that repeats the credentials being replaced (same key, same expiration) is "not rotated
 * yet": fine while more than `ROTATION_LEAD_MS` is left (the engine installs them again and, by the
 * window above, comes back when new ones are due); past that the source has broken its promise, and
 * the fetch fails (not final), so the engine keeps serving the valid credentials and retries with backoff.
 * @throws CredentialSourceError when the same credentials come back within the lead
 */
export function checkRotated(answer: TemporaryCredentials, context: FetchContext | undefined, check: RotationCheck) {
  const previous = context?.previous;
  if (previous === undefined || previous.accessKeyId !== answer.accessKeyId) return;
  if (previous.expiration.getTime() !== answer.expiration.getTime()) return;
  const left = Math.round((answer.expiration.getTime() - check.now) / 1000);
  if (left * 1000 > ROTATION_LEAD_MS) {
    check.logger.debug(`${check.tag} ${check.where} served the same credentials (${left} s left): not rotated yet`);
    return;
  }
  throw new CredentialSourceError(
    check.source,
    `${check.where} still serves the credentials that expire at ${answer.expiration.toISOString()} (${left} s left);` +
      ` new ones are due ${ROTATION_LEAD_MS / 60_000} minutes before expiry at the latest`,
  );
}
