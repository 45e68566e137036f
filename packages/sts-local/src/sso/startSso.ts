import { createServer } from 'node:http';
import type { StsLocalConfig } from '../config/types';
import type { SessionStore } from '../model/SessionStore';
import type { Clock } from '../server/clock';
import type { FaultInjector } from '../server/faults';
import { close, listen } from '../server/http';
import type { StsCall } from '../server/StsCall';
import { createSsoRequestHandler } from './createSsoRequestHandler';
import { IdentityCenter } from './IdentityCenter';
import { type StsLocalSso, createSsoHelpers } from './ssoHelpers';
import type { SsoState } from './SsoState';
import { SsoTokenStore } from './SsoTokenStore';

/** Options of the IAM Identity Center endpoint (`startStsLocal({ sso })`). */
export interface SsoOptions {
  /** Its port; 0 picks a free one. @default 0 */
  readonly port?: number;
}

/** What the SSO endpoint shares with the rest of sts-local. */
export interface SsoShared {
  readonly config: StsLocalConfig;
  readonly sessions: SessionStore;
  readonly timeScale: number;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly calls: StsCall[];
  readonly maxBodyBytes: number;
  readonly host: string;
  /** `127.0.0.1` or `[::1]`: the host as a URL writes it. */
  readonly urlHost: string;
}

/**
 * Starts the IAM Identity Center endpoint for `config.identityCenter`: one listener serving the
 * portal's GetRoleCredentials and SSO OIDC's CreateToken and RegisterClient (their paths do not
 * collide, and the SDK builds both clients from the same `clientConfig`).
 */
export async function startSso(
  shared: SsoShared,
  options: SsoOptions,
): Promise<{ sso: StsLocalSso; endpoint: { readonly port: number; close(): Promise<void> } }> {
  const center = shared.config.identityCenter;
  if (center === undefined)
    throw new TypeError('sso needs config.identityCenter, the IAM Identity Center instance it serves');
  const state: SsoState = {
    center: new IdentityCenter(center, shared.config),
    tokens: new SsoTokenStore(),
    sessions: shared.sessions,
    timeScale: shared.timeScale,
  };
  const handle = createSsoRequestHandler({ state, ...shared });
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void handle(req, res));
  server.on('clientError', (_error, socket) => socket.destroy());
  const port = await listen(server, options.port ?? 0, shared.host);
  return {
    sso: createSsoHelpers(state, shared.clock, `http://${shared.urlHost}:${port}`),
    endpoint: { port, close: () => close(server) },
  };
}
