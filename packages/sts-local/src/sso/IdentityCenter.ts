import type { IdentityCenterConfig, PermissionSetConfig, RoleConfig, StsLocalConfig } from '../config/types';

/** Portal session length when the config sets none: AWS's default, 8 hours. */
export const DEFAULT_PORTAL_SESSION_SECONDS = 8 * 3600;
/** A permission set's session duration when the config sets none: AWS's default, 1 hour. */
export const DEFAULT_PERMISSION_SET_SESSION_SECONDS = 3600;

/** `AWSReservedSSO_<permission set>_<16 hex>`: the role Identity Center provisions for a permission set. */
export function isReservedRoleOf(role: RoleConfig, permissionSet: string): boolean {
  const prefix = `AWSReservedSSO_${permissionSet}_`;
  return role.name.startsWith(prefix) && /^[0-9a-f]{16}$/.test(role.name.slice(prefix.length));
}

/** What GetRoleCredentials grants: the role behind an assigned permission set. */
export interface AssignedRole {
  readonly role: RoleConfig;
  readonly permissionSet: PermissionSetConfig;
}

/** The Identity Center instance of a config, indexed for the lookups the portal makes. */
export class IdentityCenter {
  readonly config: IdentityCenterConfig;
  readonly #roles: readonly RoleConfig[];

  constructor(config: IdentityCenterConfig, stsConfig: StsLocalConfig) {
    this.config = config;
    this.#roles = stsConfig.roles ?? [];
  }

  get startUrl(): string {
    return this.config.startUrl;
  }

  get region(): string {
    return this.config.region;
  }

  get sessionDurationSeconds(): number {
    return this.config.sessionDurationSeconds ?? DEFAULT_PORTAL_SESSION_SECONDS;
  }

  hasUser(userName: string): boolean {
    return this.config.users.some((u) => u.userName === userName);
  }

  /**
   * The role `userName` gets for `permissionSet` in `account`, or undefined when the user has no such
   * assignment (or the permission set or account does not exist: the portal does not tell them apart).
   */
  assignedRole(userName: string, account: string, permissionSet: string): AssignedRole | undefined {
    const assigned = this.config.assignments.some(
      (a) => a.userName === userName && a.account === account && a.permissionSet === permissionSet,
    );
    const set = this.config.permissionSets.find((p) => p.name === permissionSet);
    const role = this.#roles.find((r) => r.account === account && isReservedRoleOf(r, permissionSet));
    return assigned && set !== undefined && role !== undefined ? { role, permissionSet: set } : undefined;
  }
}
