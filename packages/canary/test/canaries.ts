import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import type { EventListener, Logger } from '@credchain/core';
import { DEMO_ACCOUNT, demoConfig } from '@credchain/sts-local';
import type { StsLocalConfig } from '@credchain/sts-local';

// Canary secrets: sts-local's demo identities with every secret replaced by a fresh random value
// that is recognisable (so a leak names itself) and unique to this run (so it cannot be found by
// chance in anything the code under test carries on its own).

const run = randomBytes(4).toString('hex');
const base32 = (bytes: number) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...randomBytes(bytes)].map((b) => alphabet[b % 32]).join('');
};
const secretKey = (who: string) => `CanarySecret/${who}/${run}/${randomBytes(20).toString('hex')}`.slice(0, 40);

export const ALICE_KEY_ID = 'AKIABTX3GSDSSLUIMDMY';
export const ALICE_SECRET = secretKey('alice');
export const BOB_KEY_ID = 'AKIABTX3GSDSVLZMXAGT';
export const BOB_SECRET = secretKey('bob');
export const ROOT_SECRET = secretKey('root');
/** alice's virtual MFA seed (base32, 32 characters: 160 bits). "CANARY" is base32 too. */
export const TOTP_SECRET = `CANARY${base32(26)}`;
export const ALICE_SERIAL = `arn:aws:iam::${DEMO_ACCOUNT}:mfa/alice`;

export const role = (name: string): string => `arn:aws:iam::${DEMO_ACCOUNT}:role/${name}`;
export const SAML_PROVIDER = `arn:aws:iam::${DEMO_ACCOUNT}:saml-provider/demo-idp`;

/** demoConfig with the canaries in place of its published secrets. */
export const canaryConfig: StsLocalConfig = {
  ...demoConfig,
  accounts: demoConfig.accounts.map((a) =>
    a.id === DEMO_ACCOUNT
      ? { ...a, rootAccessKeys: (a.rootAccessKeys ?? []).map((k) => ({ ...k, secretAccessKey: ROOT_SECRET })) }
      : a,
  ),
  users: (demoConfig.users ?? []).map((u) => {
    if (u.account !== DEMO_ACCOUNT || (u.name !== 'alice' && u.name !== 'bob')) return u;
    const secret = u.name === 'alice' ? ALICE_SECRET : BOB_SECRET;
    return {
      ...u,
      accessKeys: (u.accessKeys ?? []).map((k) => ({ ...k, secretAccessKey: secret })),
      ...(u.mfaDevices === undefined
        ? {}
        : { mfaDevices: u.mfaDevices.map((d) => ({ ...d, secretBase32: TOTP_SECRET })) }),
    };
  }),
};

/**
 * Every canary the run has handled so far: the configured ones, and those added as they appear
 * (secret keys and session tokens sts-local issued, TOTP codes, SAML assertions, web identity tokens).
 */
export class Canaries {
  readonly #values = new Set<string>([ALICE_SECRET, BOB_SECRET, ROOT_SECRET, TOTP_SECRET]);

  add(...values: ReadonlyArray<string | undefined>): void {
    for (const v of values) if (v !== undefined && v.length > 5) this.#values.add(v);
  }

  addCredentials(
    c: { readonly secretAccessKey?: string; readonly sessionToken?: string | undefined } | undefined,
  ): void {
    this.add(c?.secretAccessKey, c?.sessionToken);
  }

  get all(): string[] {
    return [...this.#values];
  }

  /** The canaries found in `text`, shortened so a failure message does not print them whole. */
  foundIn(text: string): string[] {
    return this.all.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 6)}…(${s.length} chars)`);
  }
}

/** Everything a provider logged and emitted, rendered every way a user might render it. */
export class Capture {
  readonly lines: string[] = [];

  readonly logger: Logger = {
    debug: (...c) => this.#log('debug', c),
    info: (...c) => this.#log('info', c),
    warn: (...c) => this.#log('warn', c),
    error: (...c) => this.#log('error', c),
  };

  readonly onEvent: EventListener = (event) => {
    this.lines.push(`event ${render(event)}`);
  };

  #log(level: string, content: unknown[]): void {
    this.lines.push(`${level} ${content.map(render).join(' ')}`);
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

/**
 * A value as String(), util.inspect (default, and hidden deep), JSON, and for errors every message and stack of the
 * cause chain.
 */
export function render(value: unknown): string {
  const parts = [
    safe(() => String(value)),
    inspect(value),
    inspect(value, { showHidden: true, depth: Infinity }),
    safe(() => {
      // Typed `string`, but undefined for undefined, a function or a symbol.
      const json: unknown = JSON.stringify(value);
      return typeof json === 'string' ? json : '';
    }),
  ];
  const seen = new Set<unknown>();
  for (let e: unknown = value; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    parts.push(`${e.name}: ${e.message}\n${String(e.stack)}`);
    if (e instanceof AggregateError) for (const inner of e.errors) parts.push(render(inner));
  }
  return parts.join('\n');
}

function safe(show: () => string): string {
  try {
    return show();
  } catch (error) {
    return `(threw ${String(error)})`;
  }
}
