import type { Credentials } from '@aws-sdk/client-sts';

import { InvalidCredentialsError } from '../errors';
import type { CredentialOrigin, TemporaryCredentials } from '../types';
import { recordServerTime, serverTimeOf } from './serverTime';

/** The account id inside an ARN (`arn:aws:sts::123456789012:assumed-role/…`), if any. */
export function accountIdOf(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * STS's `Credentials` element → credentials the engine caches, tagged with where they came from, and
 * carrying what the answer said of STS's clock (when its client has the server-time middleware), for the
 * engine to read.
 */
export function toTemporaryCredentials(
  operation: string,
  credentials: Credentials | undefined,
  origin: CredentialOrigin,
  arn?: string,
): TemporaryCredentials {
  if (
    credentials?.AccessKeyId === undefined ||
    credentials.SecretAccessKey === undefined ||
    credentials.SessionToken === undefined ||
    credentials.Expiration === undefined
  ) {
    throw new InvalidCredentialsError(`${operation} returned no complete Credentials element`);
  }
  const accountId = accountIdOf(arn);
  const temporary: TemporaryCredentials = {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: new Date(credentials.Expiration),
    origin,
    ...(accountId === undefined ? {} : { accountId }),
  };
  const observed = serverTimeOf(credentials);
  if (observed !== undefined) recordServerTime(temporary, observed);
  return temporary;
}
