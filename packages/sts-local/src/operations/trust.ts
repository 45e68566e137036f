import type { RoleConfig } from '../config/types';
import { type Caller, principalArnForTrust } from '../model/Caller';

/** Whether the role's trust policy names this caller (directly, by role, by account, or `*`). */
export function trustsCaller(role: RoleConfig, caller: Caller): boolean {
  const principal = principalArnForTrust(caller);
  return (role.trust.principals ?? []).some(
    (p) => p === '*' || p === caller.account || p === `arn:aws:iam::${caller.account}:root` || p === principal,
  );
}
