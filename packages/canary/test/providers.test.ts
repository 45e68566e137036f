import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fromAssumeRole } from '@credchain/assume-role';
import { fromAssumeRoot } from '@credchain/assume-root';
import { InvalidParameterError, StsError, totpCodeProvider } from '@credchain/core';
import type { MfaCodeProvider } from '@credchain/core';
import { fromFederationToken } from '@credchain/federation-token';
import { fromProfile } from '@credchain/profile';
import { fromSamlAssertion } from '@credchain/saml';
import { fromSessionToken } from '@credchain/session-token';
import { DEMO_MEMBER_ACCOUNT, startStsLocal } from '@credchain/sts-local';
import type { StsLocal } from '@credchain/sts-local';
import { rejectionOf, useFakeTimers } from '@credchain/testkit';
import { callerArn, globalDateClock, recording } from '@credchain/testkit/sts-local';
import { fromWebIdentity } from '@credchain/web-identity';
import type { AwsCredentialIdentity } from '@smithy/types';

import {
  ALICE_KEY_ID,
  ALICE_SECRET,
  ALICE_SERIAL,
  BOB_KEY_ID,
  BOB_SECRET,
  Canaries,
  Capture,
  SAML_PROVIDER,
  TOTP_SECRET,
  canaryConfig,
  render,
  role,
} from './canaries';

// Every provider, with canary secrets, through success, STS errors, bad input, expired source
// credentials and a network that is down; debug logging and events on throughout. Nothing a user
// did not ask for (the credentials object's own fields) may show a canary.

const alice = { accessKeyId: ALICE_KEY_ID, secretAccessKey: ALICE_SECRET };
const bob = { accessKeyId: BOB_KEY_ID, secretAccessKey: BOB_SECRET };
const DOWN = 'http://127.0.0.1:1'; // nothing listens on port 1: connection refused

let sts: StsLocal;
const canaries = new Canaries();
const captures: Capture[] = [];
const shown: string[] = []; // everything rendered: providers, errors, String()s
let dir: string;

beforeAll(async () => {
  sts = await startStsLocal({ config: canaryConfig, clock: globalDateClock });
  dir = mkdtempSync(join(tmpdir(), 'credchain-canary-'));
});
afterAll(async () => {
  await sts.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Logs, events, errors, providers and sts-local's call log: no canary in any of them. */
afterEach(() => {
  jest.useRealTimers();
  const everything = [...captures.map((c) => c.text), ...shown, render(sts.calls)].join('\n');
  expect(canaries.foundIn(everything)).toEqual([]);
});

function capture(): Capture {
  const c = new Capture();
  captures.push(c);
  return c;
}

/** Options every provider gets: sts-local (or `endpoint`), debug logging and events captured, no retries. */
function common(endpoint = sts.endpoint) {
  const c = capture();
  return {
    clientConfig: { endpoint, region: 'us-east-1' },
    logger: c.logger,
    onEvent: c.onEvent,
    retry: { retries: 0 },
  } as const;
}

/**
 * Resolves the provider, checks sts-local accepts the credentials, records them as canaries, and renders the provider.
 */
async function succeeds<T extends AwsCredentialIdentity>(provider: (() => Promise<T>) & { close(): void }): Promise<T> {
  try {
    const credentials = await provider();
    canaries.addCredentials(credentials);
    expect(await callerArn(sts, credentials)).toMatch(/^arn:aws:(sts|iam)::/);
    shown.push(render(provider), render(sts.calls));
    return credentials;
  } finally {
    provider.close();
  }
}

/** The error the provider fails with, rendered (cause chain and all) into what is checked. */
async function fails(provider: (() => Promise<unknown>) & { close?: () => void }): Promise<unknown> {
  const error = await rejectionOf(provider());
  shown.push(render(error), render(provider));
  provider.close?.();
  return error;
}

/** A construction that throws (bad input): the error, rendered. */
function throws(build: () => unknown): unknown {
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  shown.push(render(error));
  return error;
}

/**
 * Fake timers at a time of its own for each MFA test (core's process-wide MFA coordinator waits for
 * the next TOTP step before it reuses a code; sts-local follows the fake clock).
 */
let hours = 0;
function ownTotpWindow(): void {
  hours += 1;
  useFakeTimers(Date.now() + hours * 3600_000);
}

/** A TOTP code provider; the codes of the steps around now (those it may answer) are canaries. */
function codes(): MfaCodeProvider & { codes: string[] } {
  const now = sts.now();
  for (const step of [-1, 0, 1]) canaries.add(sts.totp(ALICE_SERIAL, now + step * 30_000));
  return recording(totpCodeProvider({ secret: TOTP_SECRET }));
}

describe('fromAssumeRole', () => {
  test('success, with MFA from totpCodeProvider, then role chaining from the session', async () => {
    ownTotpWindow();
    const mfa = codes();
    const first = fromAssumeRole({
      params: { RoleArn: role('mfa-role'), RoleSessionName: 'canary-mfa', SerialNumber: ALICE_SERIAL },
      sourceCredentials: alice,
      mfaCodeProvider: mfa,
      ...common(),
    });
    const creds = await succeeds(first);
    expect(mfa.codes).toHaveLength(1);
    await succeeds(
      fromAssumeRole({
        params: { RoleArn: role('chained-role'), RoleSessionName: 'canary-chain' },
        sourceCredentials: await succeeds(
          fromAssumeRole({
            params: { RoleArn: role('demo-role'), RoleSessionName: 'canary-src' },
            sourceCredentials: alice,
            ...common(),
          }),
        ),
        ...common(),
      }),
    );
    expect(creds.sessionToken?.length).toBeGreaterThan(5);
  });

  test('STS errors: a role that does not trust alice, a wrong MFA code, a wrong secret key', async () => {
    ownTotpWindow();
    expect(
      await fails(
        fromAssumeRole({
          params: { RoleArn: role('saml-role'), RoleSessionName: 'canary-denied' },
          sourceCredentials: alice,
          ...common(),
        }),
      ),
    ).toBeInstanceOf(StsError);
    const wrongCode: MfaCodeProvider = async () => {
      const code = String((Number(sts.totp(ALICE_SERIAL)) + 1) % 1_000_000).padStart(6, '0');
      canaries.add(code);
      return code;
    };
    expect(
      await fails(
        fromAssumeRole({
          params: { RoleArn: role('mfa-role'), RoleSessionName: 'canary-badcode', SerialNumber: ALICE_SERIAL },
          sourceCredentials: alice,
          mfaCodeProvider: wrongCode,
          ...common(),
        }),
      ),
    ).toBeInstanceOf(Error);
    const wrongSecret = `${ALICE_SECRET.slice(0, -4)}XXXX`;
    canaries.add(wrongSecret);
    expect(
      await fails(
        fromAssumeRole({
          params: { RoleArn: role('demo-role'), RoleSessionName: 'canary-sig' },
          sourceCredentials: { ...alice, secretAccessKey: wrongSecret },
          ...common(),
        }),
      ),
    ).toBeInstanceOf(StsError);
  });

  test('bad input, expired source credentials, network down', async () => {
    expect(
      throws(() =>
        fromAssumeRole({
          params: { RoleArn: 'not-an-arn', RoleSessionName: 'canary' },
          sourceCredentials: alice,
          ...common(),
        }),
      ),
    ).toBeInstanceOf(InvalidParameterError);
    const session = await succeeds(
      fromSessionToken({ params: { DurationSeconds: 900 }, sourceCredentials: alice, ...common() }),
    );
    const expired = { ...session, expiration: new Date(Date.now() - 1000) };
    // sts-local still honours the session (its clock did not move); the provider refuses or STS does:
    // either way an error.
    const offset = 3600_000;
    const server = await startStsLocal({ config: canaryConfig, clock: { now: () => Date.now() + offset } });
    try {
      const error = await fails(
        fromAssumeRole({
          params: { RoleArn: role('demo-role'), RoleSessionName: 'canary-expired' },
          sourceCredentials: expired,
          ...common(server.endpoint),
        }),
      );
      expect(error).toBeInstanceOf(Error);
      shown.push(render(server.calls));
    } finally {
      await server.stop();
    }
    expect(
      await fails(
        fromAssumeRole({
          params: { RoleArn: role('demo-role'), RoleSessionName: 'canary-down' },
          sourceCredentials: alice,
          ...common(DOWN),
        }),
      ),
    ).toBeInstanceOf(Error);
  });
});

describe('fromAssumeRoot', () => {
  test('success, STS error, bad input, network down', async () => {
    const params = {
      TargetPrincipal: DEMO_MEMBER_ACCOUNT,
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
    };
    await succeeds(fromAssumeRoot({ params, sourceCredentials: alice, ...common() }));
    expect(
      await fails(
        fromAssumeRoot({
          params: { ...params, TargetPrincipal: '999988887777' },
          sourceCredentials: alice,
          ...common(),
        }),
      ),
    ).toBeInstanceOf(StsError); // not in the organization
    expect(
      throws(() =>
        fromAssumeRoot({ params: { ...params, TargetPrincipal: 'x' }, sourceCredentials: alice, ...common() }),
      ),
    ).toBeInstanceOf(InvalidParameterError);
    expect(await fails(fromAssumeRoot({ params, sourceCredentials: alice, ...common(DOWN) }))).toBeInstanceOf(Error);
  });
});

describe('fromSamlAssertion', () => {
  const params = { RoleArn: role('saml-role'), PrincipalArn: SAML_PROVIDER };
  const assertion = (session = 'canary-saml') => {
    const a = sts.mintSamlAssertion({ roleArn: role('saml-role'), roleSessionName: session });
    canaries.add(
      a,
      Buffer.from(a, 'base64')
        .toString('utf8')
        .match(/<(?:ds:)?SignatureValue>([^<]+)</)?.[1],
    );
    return a;
  };

  test('string and callback assertions succeed', async () => {
    await succeeds(fromSamlAssertion({ params, samlAssertion: assertion(), ...common() }));
    await succeeds(fromSamlAssertion({ params, samlAssertion: async () => assertion('canary-saml-cb'), ...common() }));
  });

  test('a tampered assertion (STS error), a role it does not name, a failing callback, network down', async () => {
    const tampered = Buffer.from(
      Buffer.from(assertion(), 'base64').toString('utf8').replace('canary-saml', 'canary-evil'),
      'utf8',
    ).toString('base64');
    canaries.add(tampered);
    expect(await fails(fromSamlAssertion({ params, samlAssertion: tampered, ...common() }))).toBeInstanceOf(Error);
    expect(
      await fails(
        fromSamlAssertion({
          params: { ...params, RoleArn: role('demo-role') },
          samlAssertion: assertion(),
          ...common(),
        }),
      ),
    ).toBeInstanceOf(Error);
    const a = assertion();
    expect(
      await fails(
        fromSamlAssertion({
          params,
          samlAssertion: async () => {
            throw new Error('IdP unreachable');
          },
          ...common(),
        }),
      ),
    ).toBeInstanceOf(Error);
    expect(await fails(fromSamlAssertion({ params, samlAssertion: a, ...common(DOWN) }))).toBeInstanceOf(Error);
  });

  test('bad input', () => {
    expect(
      throws(() =>
        fromSamlAssertion({ params: { ...params, PrincipalArn: 'nope' }, samlAssertion: assertion(), ...common() }),
      ),
    ).toBeInstanceOf(InvalidParameterError);
    expect(
      throws(() =>
        fromSamlAssertion({ params: { ...params, DurationSeconds: 5 }, samlAssertion: assertion(), ...common() }),
      ),
    ).toBeInstanceOf(InvalidParameterError);
  });
});

describe('fromWebIdentity', () => {
  const params = { RoleArn: role('web-identity-role'), RoleSessionName: 'canary-wi' };
  const token = async (audience?: string) => {
    const t = await sts.mintWebIdentityToken({
      subject: 'canary-workload',
      roleArn: role('web-identity-role'),
      ...(audience === undefined ? {} : { audience }),
    });
    canaries.add(t, t.split('.')[2]);
    return t;
  };

  test('string, callback and token file succeed', async () => {
    await succeeds(fromWebIdentity({ params, webIdentityToken: await token(), ...common() }));
    await succeeds(fromWebIdentity({ params, webIdentityToken: () => token(), ...common() }));
    const file = join(dir, 'web-identity-token');
    writeFileSync(file, await token());
    await succeeds(fromWebIdentity({ params, webIdentityTokenFile: file, ...common() }));
  });

  test('a wrong audience (STS error), a forged signature, a missing token file, network down', async () => {
    expect(
      await fails(fromWebIdentity({ params, webIdentityToken: await token('someone-else'), ...common() })),
    ).toBeInstanceOf(Error);
    const t = await token();
    const signature = Buffer.from('forged-signature-canary').toString('base64url');
    const forged = `${t.slice(0, t.lastIndexOf('.') + 1)}${signature}`;
    canaries.add(forged);
    expect(await fails(fromWebIdentity({ params, webIdentityToken: forged, ...common() }))).toBeInstanceOf(Error);
    expect(
      await fails(fromWebIdentity({ params, webIdentityTokenFile: join(dir, 'missing-token'), ...common() })),
    ).toBeInstanceOf(Error);
    expect(await fails(fromWebIdentity({ params, webIdentityToken: await token(), ...common(DOWN) }))).toBeInstanceOf(
      Error,
    );
  });

  test('bad input', async () => {
    expect(
      throws(() =>
        fromWebIdentity({ params: { ...params, RoleArn: 'nope' }, webIdentityToken: 'x'.repeat(10), ...common() }),
      ),
    ).toBeInstanceOf(InvalidParameterError);
    const t = await token();
    expect(
      throws(() => fromWebIdentity({ params: { ...params, DurationSeconds: 5 }, webIdentityToken: t, ...common() })),
    ).toBeInstanceOf(InvalidParameterError);
  });
});

describe('fromSessionToken', () => {
  test('success with MFA', async () => {
    ownTotpWindow();
    const mfa = codes();
    await succeeds(
      fromSessionToken({
        params: { SerialNumber: ALICE_SERIAL, DurationSeconds: 3600 },
        mfaCodeProvider: mfa,
        sourceCredentials: alice,
        ...common(),
      }),
    );
    expect(mfa.codes).toHaveLength(1);
  });

  test('a code provider answering something that is not a code', async () => {
    ownTotpWindow();
    const given = '12345x';
    expect(
      await fails(
        fromSessionToken({
          params: { SerialNumber: ALICE_SERIAL },
          mfaCodeProvider: async () => given,
          sourceCredentials: alice,
          ...common(),
        }),
      ),
    ).toBeInstanceOf(Error);
  });

  test('a wrong TokenCode (STS error)', async () => {
    ownTotpWindow();
    expect(
      await fails(
        fromSessionToken({
          params: { SerialNumber: ALICE_SERIAL, TokenCode: '000000' },
          sourceCredentials: alice,
          ...common(),
        }),
      ),
    ).toBeInstanceOf(Error);
  });

  test('bad input, network down', async () => {
    expect(
      throws(() => fromSessionToken({ params: { DurationSeconds: 1 }, sourceCredentials: alice, ...common() })),
    ).toBeInstanceOf(InvalidParameterError);
    expect(
      await fails(fromSessionToken({ params: { DurationSeconds: 3600 }, sourceCredentials: alice, ...common(DOWN) })),
    ).toBeInstanceOf(Error);
  });
});

describe('fromFederationToken', () => {
  test(
    'success; a session as source (refused before sending), STS error (wrong key), ' + 'bad input, network down',
    async () => {
      const session = await succeeds(
        fromSessionToken({ params: { DurationSeconds: 3600 }, sourceCredentials: bob, ...common() }),
      );
      await succeeds(
        fromFederationToken({
          params: { Name: 'canary-fed', DurationSeconds: 3600 },
          sourceCredentials: bob,
          ...common(),
        }),
      );
      expect(
        throws(() => fromFederationToken({ params: { Name: 'canary-fed' }, sourceCredentials: session, ...common() })),
      ).toBeInstanceOf(Error);
      const wrongSecret = `${BOB_SECRET.slice(0, -4)}YYYY`;
      canaries.add(wrongSecret);
      expect(
        await fails(
          fromFederationToken({
            params: { Name: 'canary-fed' },
            sourceCredentials: { ...bob, secretAccessKey: wrongSecret },
            ...common(),
          }),
        ),
      ).toBeInstanceOf(StsError);
      expect(
        throws(() => fromFederationToken({ params: { Name: 'x' }, sourceCredentials: bob, ...common() })),
      ).toBeInstanceOf(InvalidParameterError);
      expect(
        await fails(fromFederationToken({ params: { Name: 'canary-fed' }, sourceCredentials: bob, ...common(DOWN) })),
      ).toBeInstanceOf(Error);
    },
  );
});

describe('fromProfile', () => {
  const files = () => {
    const config = join(dir, 'config');
    const credentials = join(dir, 'credentials');
    writeFileSync(
      config,
      `[profile alice]\nregion = us-east-1\n\n` +
        `[profile mfa]\nrole_arn = ${role('mfa-role')}\nsource_profile = alice\nmfa_serial = ${ALICE_SERIAL}\n\n` +
        `[profile denied]\nrole_arn = ${role('saml-role')}\nsource_profile = alice\n\n` +
        `[profile broken]\nrole_arn = ${role('demo-role')}\nsource_profile = nowhere\n`,
    );
    writeFileSync(
      credentials,
      `[alice]\naws_access_key_id = ${ALICE_KEY_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`,
    );
    return { configFilepath: config, filepath: credentials };
  };

  test('an MFA role profile with the CLI cache: success, and the cache files are 0600', async () => {
    ownTotpWindow();
    const cacheDir = join(dir, 'cli-cache');
    const c = common();
    await succeeds(
      fromProfile({
        ...files(),
        profile: 'mfa',
        mfaCodeProvider: codes(),
        cliCache: cacheDir,
        clientConfig: c.clientConfig,
        logger: c.logger,
        onEvent: c.onEvent,
      }),
    );
    const written = readdirSync(cacheDir);
    expect(written.length).toBeGreaterThan(0);
    for (const name of written) expect((statSync(join(cacheDir, name)).mode & 0o777).toString(8)).toBe('600');
  });

  test('STS error, a broken profile, network down', async () => {
    const c = () => {
      const o = common();
      return { clientConfig: o.clientConfig, logger: o.logger, onEvent: o.onEvent };
    };
    expect(await fails(fromProfile({ ...files(), profile: 'denied', ...c() }))).toBeInstanceOf(Error);
    expect(await fails(fromProfile({ ...files(), profile: 'broken', ...c() }))).toBeInstanceOf(Error);
    const down = common(DOWN);
    expect(
      await fails(
        fromProfile({
          ...files(),
          profile: 'denied',
          clientConfig: down.clientConfig,
          logger: down.logger,
          onEvent: down.onEvent,
          retry: { retries: 0 },
        }),
      ),
    ).toBeInstanceOf(Error);
  });
});

test('sts-local: its call log redacts the secret parameters it received', () => {
  // Every test above made calls; the afterEach checks render(sts.calls) each time. Here: that the
  // checks had something to find (the canaries were sent, and are not in the log).
  expect(canaries.all.length).toBeGreaterThan(10);
  expect(captures.some((c) => c.lines.some((l) => l.startsWith('debug')))).toBe(true);
  expect(captures.some((c) => c.lines.some((l) => l.startsWith('event')))).toBe(true);
});
