import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import { InvalidParameterError } from '@credchain/core';
import { sendSts } from '@credchain/core/provider-kit';
import type { CredentialOrigin, CredentialSource, Logger, TemporaryCredentials } from '@credchain/core';

/** STS's limit on a role session assumed with role-session credentials (role chaining). */
export const CHAINING_LIMIT_SECONDS = 3600;

// What a provider that always yields one kind of session is marked with, so that the origin of a
// source is known before it is called. Symbol.for: two copies of this package agree on it.
const PROVIDER_ORIGIN = Symbol.for('credchain.provider.origin');

/** Marks `provider` as one whose credentials are always of `origin`. */
export function markOrigin<P extends object>(provider: P, origin: CredentialOrigin): P {
  Object.defineProperty(provider, PROVIDER_ORIGIN, { value: origin });
  return provider;
}

/**
 * The origin of a source when it is known without calling it: static credentials that carry one,
 * or a provider marked by {@link markOrigin}.
 */
export function originOf(source: CredentialSource | undefined): CredentialOrigin | undefined {
  if (source === undefined) return undefined;
  const origin =
    typeof source === 'function'
      ? (source as { [PROVIDER_ORIGIN]?: unknown })[PROVIDER_ORIGIN]
      : (source as Partial<TemporaryCredentials>).origin;
  return typeof origin === 'string' ? (origin as CredentialOrigin) : undefined;
}

/** The error `strictDuration` asks for instead of a cap. */
export function chainingLimitError(requested: number): InvalidParameterError {
  return new InvalidParameterError(
    'DurationSeconds',
    `${requested} exceeds the 1-hour (${CHAINING_LIMIT_SECONDS} s) limit STS sets for a role assumed with` +
      ' role-session credentials (role chaining); lower it, or drop strictDuration to have it capped',
  );
}

/**
 * Decides whether the credentials that sign an AssumeRole are a role session, which STS caps at
 * one hour. Credentials we produced say so in `origin`; long-term keys (no session token) never
 * are; for anything else one GetCallerIdentity tells (an `assumed-role` ARN), remembered per key.
 * A class, its verdicts made at the first GetCallerIdentity: a pool holds thousands of providers, and
 * most never ask.
 */
class ChainingCheck {
  #verdicts: Map<string, boolean> | undefined;

  constructor(private readonly logger: Logger) {}

  async sourceIsRoleSession(client: STSClient): Promise<boolean> {
    const source = (await client.config.credentials()) as Partial<TemporaryCredentials>;
    if (source.origin !== undefined) return source.origin === 'role-session';
    if (source.sessionToken === undefined || source.sessionToken === '') return false;
    const key = source.accessKeyId ?? '';
    const verdicts = (this.#verdicts ??= new Map<string, boolean>());
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const identity = await sendSts('GetCallerIdentity', () => client.send(new GetCallerIdentityCommand({})));
      verdict = identity.Arn?.includes(':assumed-role/') === true;
      const kind = verdict ? 'a role session' : 'not a role session';
      this.logger.debug(`credchain:assume-role - source of unknown origin is ${kind} (GetCallerIdentity)`);
      if (verdicts.size > 100) verdicts.clear();
      verdicts.set(key, verdict);
    }
    return verdict;
  }
}

export function createChainingCheck(logger: Logger): ChainingCheck {
  return new ChainingCheck(logger);
}
