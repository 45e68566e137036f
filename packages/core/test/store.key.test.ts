import { fingerprint, oncePerFetch, storeKey, webIdentityPrincipal } from '../src/provider-kit';
import { principalOfArn } from '../src/store/storeKey';

// How a store entry is named: what changes the result names another entry, what does not names the same.

describe('storeKey', () => {
  const by = 'iam-key:AKIAEXAMPLE';
  test('parameters in another order, or with explicit undefineds, name the same entry', () => {
    const a = storeKey({
      operation: 'AssumeRole',
      params: { RoleArn: 'r', Tags: [{ Key: 'k', Value: 'v' }] },
      principal: by,
    });
    const b = storeKey({
      operation: 'AssumeRole',
      params: { ExternalId: undefined, Tags: [{ Value: 'v', Key: 'k' }], RoleArn: 'r' },
      principal: by,
    });
    expect(b).toBe(a);
  });

  test('operation, any parameter and the principal each name another entry', () => {
    const base = { operation: 'AssumeRole', params: { RoleArn: 'r', DurationSeconds: 900 }, principal: by };
    const keys = new Set([
      storeKey(base),
      storeKey({ ...base, operation: 'AssumeRoot' }),
      storeKey({ ...base, params: { RoleArn: 'r', DurationSeconds: 901 } }),
      storeKey({ ...base, params: { RoleArn: 'r2', DurationSeconds: 900 } }),
      storeKey({ ...base, principal: 'iam-key:AKIAOTHER' }),
    ]);
    expect(keys.size).toBe(5);
  });

  test('sessions of one role are one principal; users and other ARNs stay as they are', () => {
    expect(principalOfArn('arn:aws:sts::123456789012:assumed-role/app/i-0abc')).toBe(
      'arn:aws:iam::123456789012:role/app',
    );
    expect(principalOfArn('arn:aws:sts::123456789012:assumed-role/app/pod-7')).toBe(
      principalOfArn('arn:aws:sts::123456789012:assumed-role/app/pod-9'),
    );
    expect(principalOfArn('arn:aws:iam::123456789012:user/alice')).toBe('arn:aws:iam::123456789012:user/alice');
  });

  test('a web identity token is named by its claims, never by its text; anything else is fingerprinted', () => {
    const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig-SECRET`;
    const first = jwt({ iss: 'https://oidc', sub: 'sa:api', aud: 'sts', iat: 1 });
    const rotated = jwt({ iss: 'https://oidc', sub: 'sa:api', aud: 'sts', iat: 2 });
    expect(webIdentityPrincipal(rotated)).toBe(webIdentityPrincipal(first));
    expect(webIdentityPrincipal(jwt({ iss: 'https://oidc', sub: 'sa:other', aud: 'sts' }))).not.toBe(
      webIdentityPrincipal(first),
    );
    expect(webIdentityPrincipal(first)).not.toContain('SECRET');
    const opaque = webIdentityPrincipal('opaque-token-SECRET');
    expect(opaque).toBe(fingerprint('web-identity', 'opaque-token-SECRET'));
    expect(opaque).not.toContain('SECRET');
  });

  test('oncePerFetch: one read per refresh for the key and the fetch; the next refresh reads again', async () => {
    let reads = 0;
    const read = jest.fn(async (): Promise<string> => `token-${++reads}`);
    const once = oncePerFetch<object, string>(read);
    const refresh1 = {};
    expect(await once(refresh1)).toBe(await once(refresh1));
    expect(read).toHaveBeenCalledTimes(1);
    await once({});
    expect(read).toHaveBeenCalledTimes(2);
  });
});
