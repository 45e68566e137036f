import { createHash } from 'node:crypto';
import { SamlVerificationError, verifySamlResponse, type SamlAssertionInfo } from '../saml';
import { StsErrorResponse, accessDenied } from '../protocol/StsErrorResponse';
import { PATTERNS, checkString, durationSeconds, policy, policyArns, required } from '../validate/rules';
import { packedPolicySize } from '../validate/packedPolicySize';
import { checkRegionEnabled, type Operation } from './context';
import { checkRoleDuration, issueRoleSession } from './roleSession';

/** STS's wire code for each verifier refusal. */
function wireCode(code: string): string {
  return code === 'ExpiredToken' ? 'ExpiredTokenException' : code;
}

/** AssumeRoleWithSAML: unsigned; the assertion's signature is the authentication. */
export const assumeRoleWithSaml: Operation = {
  signed: false,
  handle(ctx) {
    const { params } = ctx;
    const roleArnParam = checkString('RoleArn', required(params, 'RoleArn'), PATTERNS.arn);
    const principalArn = checkString('PrincipalArn', required(params, 'PrincipalArn'), PATTERNS.arn);
    const assertion = checkString('SAMLAssertion', required(params, 'SAMLAssertion'), { min: 4, max: 100000 });
    const sessionPolicy = policy(params);
    const arns = policyArns(params);
    const duration = durationSeconds(params, 900, 43200, 3600);

    const provider = ctx.identities.samlProvider(principalArn);
    if (provider === undefined) {
      throw new StsErrorResponse('InvalidIdentityToken', `No SAML provider found for PrincipalArn ${principalArn}.`);
    }
    let info: SamlAssertionInfo;
    try {
      info = verifySamlResponse(assertion, { certificatePem: provider.certificatePem, now: ctx.now });
    } catch (error) {
      if (error instanceof SamlVerificationError) throw new StsErrorResponse(wireCode(error.code), error.message);
      throw new StsErrorResponse('InternalFailure', `The SAML provider ${principalArn} is misconfigured.`);
    }
    const denied = accessDenied('Not authorized to perform sts:AssumeRoleWithSAML');
    if (!info.roles.some((r) => r.roleArn === roleArnParam && r.principalArn === principalArn)) throw denied;
    const role = ctx.identities.role(roleArnParam);
    if (role === undefined || !(role.trust.samlProviders ?? []).includes(principalArn)) throw denied;
    checkRegionEnabled(ctx, role.account);
    const sessionName = info.roleSessionName;
    if (!PATTERNS.roleSessionName.pattern.test(sessionName) || sessionName.length < 2 || sessionName.length > 64) {
      throw new StsErrorResponse('InvalidIdentityToken', 'The RoleSessionName attribute must match [\\w+=,.@-]{2,64}.');
    }
    checkRoleDuration(role, duration);
    const size = packedPolicySize(sessionPolicy, arns, info.tags);
    const transitiveKeys = new Set(info.transitiveTagKeys.map((k) => k.toLowerCase()));
    const session = issueRoleSession(ctx, {
      role,
      sessionName,
      durationSeconds: duration,
      ...(info.sessionNotOnOrAfter === undefined ? {} : { notAfter: info.sessionNotOnOrAfter }),
      mfaAuthenticated: false,
      ...(info.sourceIdentity === undefined ? {} : { sourceIdentity: info.sourceIdentity }),
      transitiveTags: info.tags.filter((t) => transitiveKeys.has(t.Key.toLowerCase())),
    });
    const providerName = principalArn.slice(principalArn.indexOf('saml-provider/') + 'saml-provider/'.length);
    const nameQualifier = createHash('sha1').update(`${info.issuer}${role.account}/${providerName}`).digest('base64');
    return {
      Credentials: session.Credentials,
      AssumedRoleUser: session.AssumedRoleUser,
      PackedPolicySize: size,
      Subject: info.subject,
      SubjectType: info.subjectType,
      Issuer: info.issuer,
      Audience: info.audiences[0] ?? 'https://signin.aws.amazon.com/saml',
      NameQualifier: nameQualifier,
      SourceIdentity: info.sourceIdentity,
    };
  },
};
