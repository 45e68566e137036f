import { WebIdentityVerificationError, verifyWebIdentityToken, type WebIdentityClaims } from '../oidc';
import { oidcProviderArn } from '../model/IdentityStore';
import { StsErrorResponse, accessDenied } from '../protocol/StsErrorResponse';
import {
  PATTERNS,
  checkString,
  durationSeconds,
  optionalString,
  policy,
  policyArns,
  required,
  type Tag,
} from '../validate/rules';
import { packedPolicySize } from '../validate/packedPolicySize';
import { checkRegionEnabled, type Operation } from './context';
import { checkRoleDuration, issueRoleSession } from './roleSession';

const TAGS_CLAIM = 'https://aws.amazon.com/tags';
const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';

/** The unverified `iss` of a compact JWT: only used to pick the provider whose keys verify it. */
function unverifiedIssuer(token: string): string | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && 'iss' in payload && typeof payload.iss === 'string'
      ? payload.iss
      : undefined;
  } catch {
    return undefined;
  }
}

const MAX_SESSION_TAGS = 50;
const refuseClaim = (message: string): StsErrorResponse => new StsErrorResponse('InvalidIdentityToken', message);
const fits = (rule: { min: number; max: number; pattern: RegExp }, value: string): boolean => {
  const length = [...value].length;
  return length >= rule.min && length <= rule.max && rule.pattern.test(value);
};

/**
 * Session tags from the `https://aws.amazon.com/tags` claim (principal_tags, transitive_tag_keys),
 * held to the limits of the Tags parameter: ≤ 50, key and value lengths and characters, keys unique
 * ignoring case, and transitive keys naming tags of the token.
 */
function claimTags(claims: WebIdentityClaims): { tags: Tag[]; transitive: string[] } {
  const raw = claims[TAGS_CLAIM];
  if (raw === undefined) return { tags: [], transitive: [] };
  if (typeof raw !== 'object' || raw === null) throw refuseClaim(`The ${TAGS_CLAIM} claim must be an object`);
  const record = raw as { principal_tags?: Record<string, unknown>; transitive_tag_keys?: unknown };
  const tags: Tag[] = Object.entries(record.principal_tags ?? {}).map(([Key, value]) => ({
    Key,
    Value: String(Array.isArray(value) ? value[0] : value),
  }));
  if (tags.length > MAX_SESSION_TAGS)
    throw refuseClaim(`The web identity token may carry at most ${MAX_SESSION_TAGS} session tags`);
  const keys = new Set<string>();
  for (const { Key, Value } of tags) {
    if (!fits(PATTERNS.tagKey, Key) || !fits(PATTERNS.tagValue, Value)) {
      throw refuseClaim(
        'Session tags in the web identity token must have a key of 1-128 and a value of 0-256 allowed characters',
      );
    }
    if (keys.has(Key.toLowerCase()))
      throw refuseClaim('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    keys.add(Key.toLowerCase());
  }
  const transitive = Array.isArray(record.transitive_tag_keys) ? record.transitive_tag_keys.map(String) : [];
  for (const key of transitive) {
    if (!keys.has(key.toLowerCase()))
      throw refuseClaim(`Transitive tag key ${key} is not one of the session tags in the web identity token`);
  }
  return { tags, transitive };
}

/** The `https://aws.amazon.com/source_identity` claim, held to the SourceIdentity rules (and no `aws:` prefix). */
function claimSourceIdentity(claims: WebIdentityClaims): string | undefined {
  const raw = claims[SOURCE_IDENTITY_CLAIM];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !fits(PATTERNS.sourceIdentity, raw) || /^aws:/i.test(raw)) {
    throw refuseClaim(`The ${SOURCE_IDENTITY_CLAIM} claim must match [\\w+=,.@-]{2,64} and must not start with "aws:"`);
  }
  return raw;
}

/** AssumeRoleWithWebIdentity: unsigned; the OIDC token, verified against the provider's JWKS, authenticates. */
export const assumeRoleWithWebIdentity: Operation = {
  signed: false,
  async handle(ctx) {
    const { params } = ctx;
    const roleArnParam = checkString('RoleArn', required(params, 'RoleArn'), PATTERNS.arn);
    const sessionName = checkString('RoleSessionName', required(params, 'RoleSessionName'), PATTERNS.roleSessionName);
    const token = checkString('WebIdentityToken', required(params, 'WebIdentityToken'), { min: 4, max: 20000 });
    const providerId = optionalString(params, 'ProviderId', { min: 4, max: 2048 });
    const sessionPolicy = policy(params);
    const arns = policyArns(params);
    const duration = durationSeconds(params, 900, 43200, 3600);

    const denied = accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    const role = ctx.identities.role(roleArnParam);
    if (role === undefined) throw denied;
    const issuer = unverifiedIssuer(token);
    const provider = ctx.identities.oidcProvider(role.account, issuer, providerId);
    if (provider === undefined) {
      throw new StsErrorResponse(
        'InvalidIdentityToken',
        providerId !== undefined
          ? `No OAuth 2.0 provider ${providerId} is configured in account ${role.account}.`
          : issuer === undefined
            ? 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)'
            : `No OpenIDConnect provider found in your account for ${issuer}`,
      );
    }
    let claims: WebIdentityClaims;
    try {
      claims = await verifyWebIdentityToken(token, {
        issuer: provider.url,
        audiences: provider.clientIds,
        jwks: provider.jwks,
        now: ctx.now,
      });
    } catch (error) {
      if (error instanceof WebIdentityVerificationError) {
        throw new StsErrorResponse(error.code === 'ExpiredToken' ? 'ExpiredTokenException' : error.code, error.message);
      }
      throw new StsErrorResponse('InternalFailure', 'The OIDC provider is misconfigured.');
    }
    if (!(role.trust.oidcProviders ?? []).includes(oidcProviderArn(provider))) throw denied;
    checkRegionEnabled(ctx, role.account);
    checkRoleDuration(role, duration);
    const { tags, transitive } = claimTags(claims);
    const size = packedPolicySize(sessionPolicy, arns, tags);
    const sourceIdentity = claimSourceIdentity(claims);
    const transitiveSet = new Set(transitive.map((k) => k.toLowerCase()));
    const session = issueRoleSession(ctx, {
      role,
      sessionName,
      durationSeconds: duration,
      mfaAuthenticated: false,
      ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
      transitiveTags: tags.filter((t) => transitiveSet.has(t.Key.toLowerCase())),
    });
    return {
      Credentials: session.Credentials,
      SubjectFromWebIdentityToken: claims.sub,
      AssumedRoleUser: session.AssumedRoleUser,
      PackedPolicySize: size,
      Provider: providerId ?? claims.iss,
      Audience: claims.aud,
      SourceIdentity: sourceIdentity,
    };
  },
};
