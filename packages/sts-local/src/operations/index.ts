import { assumeRole } from './assumeRole';
import { assumeRoleWithSaml } from './assumeRoleWithSaml';
import { assumeRoleWithWebIdentity } from './assumeRoleWithWebIdentity';
import { assumeRoot } from './assumeRoot';
import type { Operation } from './context';
import { decodeAuthorizationMessage } from './decodeAuthorizationMessage';
import { getAccessKeyInfo } from './getAccessKeyInfo';
import { getCallerIdentity } from './getCallerIdentity';
import { getFederationToken } from './getFederationToken';
import { getSessionToken } from './getSessionToken';

/** The nine STS operations, by Action name. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  AssumeRole: assumeRole,
  AssumeRoot: assumeRoot,
  AssumeRoleWithSAML: assumeRoleWithSaml,
  AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
  GetSessionToken: getSessionToken,
  GetFederationToken: getFederationToken,
  GetCallerIdentity: getCallerIdentity,
  GetAccessKeyInfo: getAccessKeyInfo,
  DecodeAuthorizationMessage: decodeAuthorizationMessage,
};

/** Which operations each kind of temporary credential may call (long-term keys may call all). */
export const ALLOWED_BY_ORIGIN: Readonly<Record<string, ReadonlySet<string> | undefined>> = {
  // GetSessionToken credentials: "You cannot call any STS API except AssumeRole or GetCallerIdentity."
  'user-session': new Set(['AssumeRole', 'GetCallerIdentity']),
  // GetFederationToken credentials: "You cannot call any STS operations except GetCallerIdentity."
  federated: new Set(['GetCallerIdentity']),
  // AssumeRoot sessions exist for the privileged task their policy names, not for more STS calls.
  'root-session': new Set(['GetCallerIdentity']),
};
