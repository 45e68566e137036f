import { checkServedRoles } from '../endpoints/checkServedRoles';
import { base32Decode } from '../mfa/totp';
import { checkIdentityCenter } from '../sso/checkIdentityCenter';
import type { StsLocalConfig } from './types';

function fail(path: string, rule: string): never {
  throw new TypeError(`config.${path} ${rule}`);
}

/**
 * Checks a config before the server starts, with messages naming the field, so a typo fails at
 * startup instead of as a puzzling AccessDenied later. Never quotes a secret.
 */
export function checkConfig(config: StsLocalConfig): void {
  // The shape is checked as untyped input (`unknown`): a config comes from a JSON file or a JavaScript caller.
  const given: unknown = config;
  if (typeof given !== 'object' || given === null || !Array.isArray((given as { accounts?: unknown }).accounts))
    fail('accounts', 'must be an array');
  const accounts = new Set<string>();
  config.accounts.forEach((a, i) => {
    if (!/^\d{12}$/.test(a.id)) fail(`accounts[${i}].id`, 'must be 12 digits');
    accounts.add(a.id);
  });
  const known = (path: string, id: string) => {
    if (!accounts.has(id)) fail(path, `names account ${id}, which is not in config.accounts`);
  };
  const keyIds = new Set<string>();
  const checkKeys = (path: string, keys: ReadonlyArray<{ accessKeyId: string; secretAccessKey: string }> | undefined) =>
    (keys ?? []).forEach((k, i) => {
      if (!/^[A-Z0-9]{16,128}$/.test(k.accessKeyId))
        fail(`${path}[${i}].accessKeyId`, 'must be 16–128 upper-case letters and digits');
      if (typeof k.secretAccessKey !== 'string' || k.secretAccessKey.length < 16)
        fail(`${path}[${i}].secretAccessKey`, 'must be at least 16 characters');
      if (keyIds.has(k.accessKeyId)) fail(`${path}[${i}].accessKeyId`, 'is used twice');
      keyIds.add(k.accessKeyId);
    });
  const checkDevices = (
    path: string,
    devices: ReadonlyArray<{ serialNumber: string; secretBase32: string }> | undefined,
  ) =>
    (devices ?? []).forEach((d, i) => {
      if (!/^[\w+=/:,.@-]{9,256}$/.test(d.serialNumber))
        fail(`${path}[${i}].serialNumber`, 'must match [\\w+=/:,.@-]{9,256}');
      try {
        if (base32Decode(d.secretBase32).length < 10) throw new Error('short');
      } catch {
        fail(`${path}[${i}].secretBase32`, 'must be a base32 seed of at least 10 bytes');
      }
    });
  config.accounts.forEach((a, i) => {
    checkKeys(`accounts[${i}].rootAccessKeys`, a.rootAccessKeys);
    checkDevices(`accounts[${i}].rootMfaDevices`, a.rootMfaDevices);
  });
  (config.users ?? []).forEach((u, i) => {
    known(`users[${i}].account`, u.account);
    checkKeys(`users[${i}].accessKeys`, u.accessKeys);
    checkDevices(`users[${i}].mfaDevices`, u.mfaDevices);
  });
  (config.roles ?? []).forEach((r, i) => {
    known(`roles[${i}].account`, r.account);
    const max = r.maxSessionDuration ?? 3600;
    if (!Number.isInteger(max) || max < 3600 || max > 43200)
      fail(`roles[${i}].maxSessionDuration`, 'must be an integer from 3600 to 43200');
    const trust: unknown = r.trust;
    if (typeof trust !== 'object' || trust === null) fail(`roles[${i}].trust`, 'must be an object');
    const services: unknown = r.trust.services;
    if (services !== undefined && !(Array.isArray(services) && services.every((s) => typeof s === 'string')))
      fail(`roles[${i}].trust.services`, 'must be an array of service principals (e.g. "ec2.amazonaws.com")');
  });
  (config.oidcProviders ?? []).forEach((p, i) => {
    known(`oidcProviders[${i}].account`, p.account);
    if (!/^https:\/\//.test(p.url)) fail(`oidcProviders[${i}].url`, 'must start with https://');
    const jwks: unknown = p.jwks;
    if (!Array.isArray((jwks as { keys?: unknown } | null | undefined)?.keys))
      fail(`oidcProviders[${i}].jwks`, 'must be a JWKS ({ keys: [...] })');
  });
  const org = config.organization;
  if (org !== undefined) {
    known('organization.managementAccount', org.managementAccount);
    org.memberAccounts.forEach((m, i) => known(`organization.memberAccounts[${i}]`, m));
    (org.delegatedAdministrators ?? []).forEach((m, i) => known(`organization.delegatedAdministrators[${i}]`, m));
  }
  checkServedRoles(config, fail);
  checkIdentityCenter(config, fail);
}
