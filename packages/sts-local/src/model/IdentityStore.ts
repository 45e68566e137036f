import type {
  AccessKeyConfig,
  AccountConfig,
  MfaDeviceConfig,
  OidcProviderConfig,
  RoleConfig,
  SamlProviderConfig,
  StsLocalConfig,
  UserConfig,
} from '../config/types';
import { stableId } from './accessKeyId';

/** A long-term key and whose it is. */
export interface LongTermKey {
  readonly key: AccessKeyConfig;
  readonly account: string;
  readonly user: UserConfig | undefined;
}

/** An MFA device and the ARN of its owner (user or root). */
export interface MfaDevice {
  readonly device: MfaDeviceConfig;
  readonly ownerArn: string;
}

export function userArn(user: UserConfig): string {
  return `arn:aws:iam::${user.account}:user${normalizePath(user.path)}${user.name}`;
}

export function roleArn(role: RoleConfig): string {
  return `arn:aws:iam::${role.account}:role${normalizePath(role.path)}${role.name}`;
}

export function userId(user: UserConfig): string {
  return user.userId ?? stableId('AIDA', user.account, `user/${user.name}`);
}

export function roleId(role: RoleConfig): string {
  return role.roleId ?? stableId('AROA', role.account, `role/${role.name}`);
}

export function oidcProviderArn(provider: OidcProviderConfig): string {
  return provider.arn ?? `arn:aws:iam::${provider.account}:oidc-provider/${issuerHostPath(provider.url)}`;
}

/** `https://host/path/` → `host/path`, the form IAM and STS use for OIDC issuers. */
export function issuerHostPath(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

function normalizePath(path: string | undefined): string {
  if (path === undefined || path === '' || path === '/') return '/';
  return `/${path.replace(/^\/+|\/+$/g, '')}/`;
}

/** The identity model, indexed for the lookups each request makes. */
export class IdentityStore {
  readonly config: StsLocalConfig;
  readonly #keys = new Map<string, LongTermKey>();
  readonly #accounts = new Map<string, AccountConfig>();
  readonly #roles = new Map<string, RoleConfig>();
  readonly #devices = new Map<string, MfaDevice>();
  readonly #saml = new Map<string, SamlProviderConfig>();
  readonly #oidc: OidcProviderConfig[];

  constructor(config: StsLocalConfig) {
    this.config = config;
    for (const account of config.accounts) {
      this.#accounts.set(account.id, account);
      for (const key of account.rootAccessKeys ?? [])
        this.#keys.set(key.accessKeyId, { key, account: account.id, user: undefined });
      for (const device of account.rootMfaDevices ?? []) {
        this.#devices.set(device.serialNumber, { device, ownerArn: `arn:aws:iam::${account.id}:root` });
      }
    }
    for (const user of config.users ?? []) {
      for (const key of user.accessKeys ?? []) this.#keys.set(key.accessKeyId, { key, account: user.account, user });
      for (const device of user.mfaDevices ?? [])
        this.#devices.set(device.serialNumber, { device, ownerArn: userArn(user) });
    }
    for (const role of config.roles ?? []) this.#roles.set(roleArn(role), role);
    for (const provider of config.samlProviders ?? []) this.#saml.set(provider.arn, provider);
    this.#oidc = [...(config.oidcProviders ?? [])];
  }

  longTermKey(accessKeyId: string): LongTermKey | undefined {
    return this.#keys.get(accessKeyId);
  }

  account(id: string): AccountConfig | undefined {
    return this.#accounts.get(id);
  }

  role(arn: string): RoleConfig | undefined {
    return this.#roles.get(arn);
  }

  mfaDevice(serialNumber: string): MfaDevice | undefined {
    return this.#devices.get(serialNumber);
  }

  /** Every MFA device, for helpers that compute codes. */
  mfaDevices(): MfaDevice[] {
    return [...this.#devices.values()];
  }

  samlProvider(arn: string): SamlProviderConfig | undefined {
    return this.#saml.get(arn);
  }

  /** The OIDC provider for a token's issuer (or an OAuth 2.0 ProviderId) in the role's account. */
  oidcProvider(
    account: string,
    issuer: string | undefined,
    providerId: string | undefined,
  ): OidcProviderConfig | undefined {
    return this.#oidc.find((p) => {
      if (p.account !== account) return false;
      if (providerId !== undefined) return p.providerId === providerId;
      return issuer !== undefined && issuerHostPath(p.url) === issuerHostPath(issuer);
    });
  }
}
