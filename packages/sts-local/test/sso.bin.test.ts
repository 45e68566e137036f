import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromSSO } from '@aws-sdk/credential-provider-sso';
import { main } from '../src/bin/main';
import { DEMO_SSO_START_URL } from '../src';
import { aliceAdminArn, ssoOf, useTempHome } from './support/ssoKit';
import { raw, withServer } from './support/stsKit';

/** Runs the bin until stopped, collecting what it prints. */
function run(argv: string[]) {
  let text = '';
  const stderr: string[] = [];
  const controller = new AbortController();
  let printed: () => void = () => undefined;
  const banner = new Promise<void>((resolve) => (printed = resolve));
  const exit = main(argv, {
    stdout: {
      write: (chunk: string) => {
        text += chunk;
        if (text.includes('Ctrl-C stops it.')) printed();
      },
    },
    stderr: { write: (chunk: string) => stderr.push(chunk) },
    signal: controller.signal,
  });
  return { banner: banner.then(() => text), exit, stderr, stop: () => controller.abort() };
}

const match = (text: string, pattern: RegExp): string => {
  const m = pattern.exec(text);
  if (m === null) throw new Error(`nothing matches ${String(pattern)} in:\n${text}`);
  return m[1] ?? '';
};

describe('sts-local --sso', () => {
  test('prints the endpoint and the instance, and the printed sign-in and profile work with the SDK', async () => {
    const cli = run(['--port', '0', '--sso']);
    const temp = useTempHome();
    try {
      const out = await cli.banner;
      const endpoint = match(out, /IAM Identity Center: (http:\/\/127\.0\.0\.1:\d+) /);
      expect(out).toContain(
        'IAM Identity Center https://credchain-demo.awsapps.com/start (us-east-1; sign-ins last 28800 s)',
      );
      expect(out).toContain(
        'permission set ReadOnlyAccess — role AWSReservedSSO_ReadOnlyAccess_… ; sessions of 28800 s',
      );
      expect(out).toContain('user alice: AdministratorAccess in 111122223333, ReadOnlyAccess in 444455556666');
      expect(out).toContain('user bob: ReadOnlyAccess in 444455556666');

      // Do what the banner says: fetch the cache file, write it and the profile, aim the SDK at sts-local.
      const url = new URL(match(out, /curl -s -X POST '([^']+)'/));
      const file = match(out, /-o ~\/(\.aws\/sso\/cache\/[0-9a-f]{40}\.json)/);
      const profile = match(out, /with this in ~\/\.aws\/config:\n((?: {6}.*\n)+)/).replace(/^ {6}/gm, '');
      const stsEndpoint = match(out, /AWS_ENDPOINT_URL_STS=(\S+) aws sts get-caller-identity --profile credchain-sso/);
      expect(url.origin).toBe(endpoint);
      expect(out).toContain(`AWS_ENDPOINT_URL_SSO=${endpoint} AWS_ENDPOINT_URL_SSO_OIDC=${endpoint}`);
      const login = await raw(endpoint, { path: `${url.pathname}${url.search}` });
      expect(login.status).toBe(200);
      mkdirSync(join(temp.home, '.aws', 'sso', 'cache'), { recursive: true });
      writeFileSync(join(temp.home, file), login.body);
      writeFileSync(temp.configFile, profile);

      const credentials = await fromSSO({
        profile: 'credchain-sso',
        configFilepath: temp.configFile,
        filepath: join(temp.home, '.aws', 'credentials'),
        ignoreCache: true,
        clientConfig: { endpoint },
      })();
      const sts = new STSClient({ endpoint: stsEndpoint, region: 'us-east-1', credentials });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(aliceAdminArn);
    } finally {
      temp.restore();
      cli.stop();
    }
    expect(await cli.exit).toBe(0);
  });

  test('takes a port after the flag; without the flag the instance is listed but not served', async () => {
    const probe = run(['--port', '0', '--sso', '0']);
    const served = await probe.banner;
    probe.stop();
    expect(await probe.exit).toBe(0);
    expect(served).toMatch(/IAM Identity Center: http:\/\/127\.0\.0\.1:\d+ /);

    const plain = run(['--port', '0']);
    const out = await plain.banner;
    plain.stop();
    expect(await plain.exit).toBe(0);
    expect(out).not.toContain('IAM Identity Center:');
    expect(out).toContain('(us-east-1; sign-ins last 28800 s) — serve it with --sso');
    expect(out).not.toContain('curl');
  });

  test("the banner's sign-in route: legacy without sso_session, 400 naming an unknown user", async () => {
    await withServer({ sso: true }, async (sts) => {
      const login = (query: string) => raw(ssoOf(sts).endpoint, { path: `/sts-local/sso/login?${query}` });

      const legacy = JSON.parse((await login('user=bob')).body) as Record<string, string>;
      const unknown = await login('user=mallory&sso_session=x');

      expect(legacy).toMatchObject({ startUrl: DEMO_SSO_START_URL, region: 'us-east-1' });
      expect(legacy.refreshToken).toBeUndefined();
      expect(unknown.status).toBe(400);
      expect(JSON.parse(unknown.body)).toEqual({
        message: 'sso.login: user mallory is not in config.identityCenter.users',
      });
      expect(sts.calls.map((c) => [c.operation, c.status])).toEqual([
        ['sts-local:SsoLogin', 200],
        ['sts-local:SsoLogin', 400],
      ]);
    });
  });

  test('a port that is not a number is a usage error', async () => {
    const cli = run(['--port', '0', '--sso=http']);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr.join('')).toContain('--sso must be an integer from 0 to 65535');
  });
});
