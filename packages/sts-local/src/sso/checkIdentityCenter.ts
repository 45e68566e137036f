import type { StsLocalConfig } from '../config/types';
import { DEFAULT_PERMISSION_SET_SESSION_SECONDS, isReservedRoleOf } from './IdentityCenter';

const USER_NAME = /^[\w+=,.@-]{2,64}$/;
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

const isArray = (value: unknown): value is readonly unknown[] => Array.isArray(value);

function checkSeconds(
  fail: (path: string, rule: string) => never,
  path: string,
  value: unknown,
  min: number,
  max: number,
): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max))
    fail(path, `must be an integer from ${min} to ${max}`);
}

/**
 * Checks `config.identityCenter`: names in the shapes AWS allows, assignments naming known users,
 * permission sets and accounts, and for each assignment the `AWSReservedSSO_<set>_<hex>` role
 * Identity Center would have provisioned in the account, so a typo fails at startup rather than as
 * a puzzling "No access" later.
 */
export function checkIdentityCenter(config: StsLocalConfig, fail: (path: string, rule: string) => never): void {
  const center: unknown = config.identityCenter;
  if (center === undefined) return;
  if (typeof center !== 'object' || center === null) fail('identityCenter', 'must be an object');
  const ic = config.identityCenter;
  if (ic === undefined) return;
  if (typeof ic.startUrl !== 'string' || !/^https:\/\/\S+$/.test(ic.startUrl))
    fail('identityCenter.startUrl', 'must be an https:// URL (the AWS access portal URL)');
  if (typeof ic.region !== 'string' || !REGION.test(ic.region))
    fail('identityCenter.region', 'must be a region name such as us-east-1');
  checkSeconds(fail, 'identityCenter.sessionDurationSeconds', ic.sessionDurationSeconds, 900, 90 * 24 * 3600);
  for (const field of ['users', 'permissionSets', 'assignments'] as const)
    if (!isArray(ic[field])) fail(`identityCenter.${field}`, 'must be an array');

  const users = new Set<string>();
  ic.users.forEach((u, i) => {
    if (typeof u.userName !== 'string' || !USER_NAME.test(u.userName))
      fail(`identityCenter.users[${i}].userName`, 'must match [\\w+=,.@-]{2,64} (it names role sessions)');
    if (users.has(u.userName)) fail(`identityCenter.users[${i}].userName`, 'is used twice');
    users.add(u.userName);
  });
  const sets = new Map<string, number>();
  ic.permissionSets.forEach((p, i) => {
    if (typeof p.name !== 'string' || !PERMISSION_SET_NAME.test(p.name))
      fail(`identityCenter.permissionSets[${i}].name`, 'must match [\\w+=,.@-]{1,32}');
    if (sets.has(p.name)) fail(`identityCenter.permissionSets[${i}].name`, 'is used twice');
    checkSeconds(
      fail,
      `identityCenter.permissionSets[${i}].sessionDurationSeconds`,
      p.sessionDurationSeconds,
      3600,
      43200,
    );
    sets.set(p.name, p.sessionDurationSeconds ?? DEFAULT_PERMISSION_SET_SESSION_SECONDS);
  });
  const accounts = new Set(config.accounts.map((a) => a.id));
  ic.assignments.forEach((a, i) => {
    const path = `identityCenter.assignments[${i}]`;
    if (!users.has(a.userName)) fail(`${path}.userName`, `names ${a.userName}, which is not in identityCenter.users`);
    if (!accounts.has(a.account))
      fail(`${path}.account`, `names account ${a.account}, which is not in config.accounts`);
    const duration = sets.get(a.permissionSet);
    if (duration === undefined)
      fail(`${path}.permissionSet`, `names ${a.permissionSet}, which is not in identityCenter.permissionSets`);
    const roles = (config.roles ?? []).filter((r) => r.account === a.account && isReservedRoleOf(r, a.permissionSet));
    if (roles.length !== 1)
      fail(
        path,
        `assigns permission set ${a.permissionSet} in account ${a.account}, which needs exactly one role ` +
          `AWSReservedSSO_${a.permissionSet}_<16 hex digits> in that account in config.roles (found ${roles.length})`,
      );
    const max = roles[0]?.maxSessionDuration ?? 3600;
    if (duration > max)
      fail(
        path,
        `assigns permission set ${a.permissionSet}, whose sessionDurationSeconds (${duration}) exceeds ` +
          `the maxSessionDuration (${max}) of its role in account ${a.account}`,
      );
  });
}
