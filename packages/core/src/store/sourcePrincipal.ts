import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';

import { sendSts } from '../sts/stsClient';
import { principalOfArn } from './storeKey';

/** Principals already asked for, by the access key of the session that signs (bounded). */
const known = new Map<string, Promise<string>>();
const KNOWN_MAX = 1_000;

/**
 * Who signs the calls of `client`, for a store key: two sources that may not share a session never
 * share an entry. Long-term keys name themselves (`iam-key:AKIA…`); a session (temporary credentials)
 * is asked once per session key with GetCallerIdentity, and named by its role (`principalOfArn`), so
 * the processes of a fleet, each with its own session of one role, share entries.
 */
export async function sourcePrincipal(client: STSClient): Promise<string> {
  const provide = client.config.credentials as () => Promise<AwsCredentialIdentity>;
  const identity = await provide();
  if (identity.sessionToken === undefined || identity.sessionToken === '') return `iam-key:${identity.accessKeyId}`;
  let principal = known.get(identity.accessKeyId);
  if (principal === undefined) {
    principal = sendSts('GetCallerIdentity', () => client.send(new GetCallerIdentityCommand({}))).then((out) => {
      if (out.Arn === undefined) throw new Error('GetCallerIdentity answered without an Arn');
      return principalOfArn(out.Arn);
    });
    // A failed question is asked again next time; the map forgets its oldest entries past its bound.
    principal.catch(() => known.delete(identity.accessKeyId));
    if (known.size >= KNOWN_MAX) known.delete(known.keys().next().value!);
    known.set(identity.accessKeyId, principal);
  }
  return principal;
}
