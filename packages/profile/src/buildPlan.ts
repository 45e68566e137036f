import { STSClient } from '@aws-sdk/client-sts';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import { fromAssumeRole } from '@credchain/assume-role';
import type { AssumeRoleParams } from '@credchain/assume-role';
import { InvalidParameterError } from '@credchain/core';
import { unsignedStsClientGetter } from '@credchain/core/provider-kit';
import type { CredentialProvider, CredentialSource, Logger } from '@credchain/core';
import { fromWebIdentity } from '@credchain/web-identity';

import { cliCacheKey } from './cliCache';
import { cliCachedRole } from './cliCachedRole';
import { processProvider, staticProvider } from './credentialProcess';
import { ProfileConfigError } from './errors';
import type { FromProfileInit } from './fromProfile';
import { acquireMfaSession } from './mfaSessions';
import { describePlan, isRoleSession } from './plan';
import type { AssumeRolePlan, Plan } from './plan';
import { credentialSourceProvider, ssoProvider } from './sourceProviders';
import type { ProfileCredentialProvider } from './types';

/** STS's limit on a role assumed with role-session credentials (role chaining). */
const CHAINING_LIMIT_SECONDS = 3600;

export interface BuildContext {
  readonly init: FromProfileInit;
  readonly logger: Logger;
  readonly clientConfig: STSClientConfig;
  readonly cliCacheDir: string | undefined;
  /** Everything built that holds timers or shared sessions, closed by the top provider's close(). */
  readonly closers: Array<() => void>;
}

/** Options every provider built for a profile shares. */
function common(context: BuildContext) {
  const { init, logger, clientConfig } = context;
  return {
    clientConfig,
    logger,
    ...(init.refresh === undefined ? {} : { refresh: init.refresh }),
    ...(init.retry === undefined ? {} : { retry: init.retry }),
    ...(init.onEvent === undefined ? {} : { onEvent: init.onEvent }),
  };
}

function assumeRole(plan: AssumeRolePlan, context: BuildContext): CredentialProvider {
  const { init, logger, closers } = context;
  const source = plan.source;
  const requested = plan.durationSeconds;
  if (
    init.strictDuration === true &&
    requested !== undefined &&
    requested > CHAINING_LIMIT_SECONDS &&
    isRoleSession(source)
  ) {
    throw new ProfileConfigError(
      plan.profile,
      'duration_seconds',
      `The duration_seconds ${requested} of profile "${plan.profile}" exceeds the 1-hour (3600 s) limit STS sets ` +
        `for a role assumed with role-session credentials (its source is ${describePlan(source).split(',')[0]}); ` +
        'lower it, or drop strictDuration to have it capped',
    );
  }
  let signer: CredentialSource = buildPlan(source, context);
  let serial = plan.mfaSerial;
  if (serial !== undefined && init.mfaCodeProvider === undefined) {
    throw new InvalidParameterError(
      'mfaCodeProvider',
      `is required: profile "${plan.profile}" sets mfa_serial ${serial}`,
    );
  }
  if (serial !== undefined && init.mfaSession !== undefined) {
    if (source.kind === 'static' && source.sessionToken === undefined) {
      const session = acquireMfaSession(
        {
          ...common(context),
          params: {
            SerialNumber: serial,
            ...(init.mfaSession.durationSeconds === undefined
              ? {}
              : { DurationSeconds: init.mfaSession.durationSeconds }),
          },
          sourceCredentials: { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey },
          mfaCodeProvider: init.mfaCodeProvider!,
        },
        context.clientConfig,
      );
      closers.push(session.release);
      logger.debug(`credchain:profile - ${plan.profile}: assuming ${plan.roleArn} from the MFA session of ${serial}`);
      signer = session.provider;
      serial = undefined;
    } else {
      logger.debug(
        `credchain:profile - ${plan.profile}: not using an MFA session (GetSessionToken needs long-term keys; ` +
          `the source is ${source.kind === 'static' ? 'a session' : source.kind}); prompting for this role`,
      );
    }
  }
  const params: AssumeRoleParams = {
    RoleArn: plan.roleArn,
    ...(plan.roleSessionName === undefined ? {} : { RoleSessionName: plan.roleSessionName }),
    ...(plan.externalId === undefined ? {} : { ExternalId: plan.externalId }),
    ...(serial === undefined ? {} : { SerialNumber: serial }),
    ...(plan.durationSeconds === undefined ? {} : { DurationSeconds: plan.durationSeconds }),
  };
  const mfa = init.mfaCodeProvider === undefined ? {} : { mfaCodeProvider: init.mfaCodeProvider };
  const strict = init.strictDuration === undefined ? {} : { strictDuration: init.strictDuration };
  if (context.cliCacheDir === undefined) {
    return fromAssumeRole({ ...common(context), ...mfa, ...strict, params, sourceCredentials: signer });
  }
  // The key is the profile's, as the CLI computes it, even when an MFA session signs instead: the
  // credentials are those of the same role configuration either way.
  const key = cliCacheKey({
    RoleArn: plan.roleArn,
    ...(plan.roleSessionName === undefined ? {} : { RoleSessionName: plan.roleSessionName }),
    ...(plan.externalId === undefined ? {} : { ExternalId: plan.externalId }),
    ...(plan.mfaSerial === undefined ? {} : { SerialNumber: plan.mfaSerial }),
    ...(plan.durationSeconds === undefined ? {} : { DurationSeconds: plan.durationSeconds }),
  });
  const clientConfig = context.clientConfig;
  return cliCachedRole({
    ...common(context),
    profile: plan.profile,
    operation: 'AssumeRole',
    createClient: () => new STSClient({ ...clientConfig, credentials: signer }),
    inner: (options) => fromAssumeRole({ ...options, ...mfa, ...strict, params }),
    dir: context.cliCacheDir,
    key,
  });
}

function webIdentity(plan: Extract<Plan, { kind: 'web-identity' }>, context: BuildContext): CredentialProvider {
  const params = {
    RoleArn: plan.roleArn,
    ...(plan.roleSessionName === undefined ? {} : { RoleSessionName: plan.roleSessionName }),
  };
  if (context.cliCacheDir === undefined) {
    return fromWebIdentity({ ...common(context), params, webIdentityTokenFile: plan.tokenFile });
  }
  // botocore's AssumeRoleWithWebIdentityCredentialFetcher hashes its own arguments only: RoleArn,
  // and RoleSessionName when the profile sets one (never the token). The key formula is AssumeRole's,
  // so a role profile with no other argument and a web identity profile of the same role share a file.
  const clientConfig = context.clientConfig;
  return cliCachedRole({
    ...common(context),
    profile: plan.profile,
    operation: 'AssumeRoleWithWebIdentity',
    createClient: unsignedStsClientGetter({ clientConfig }),
    inner: (options) => fromWebIdentity({ ...options, params, webIdentityTokenFile: plan.tokenFile }),
    dir: context.cliCacheDir,
    key: cliCacheKey(params),
  });
}

/** Turns a resolved plan into providers, from the source up. */
export function buildPlan(plan: Plan, context: BuildContext): ProfileCredentialProvider {
  let provider: ProfileCredentialProvider;
  switch (plan.kind) {
    case 'static':
      return staticProvider({
        accessKeyId: plan.accessKeyId,
        secretAccessKey: plan.secretAccessKey,
        ...(plan.sessionToken === undefined ? {} : { sessionToken: plan.sessionToken }),
      });
    case 'credential-source':
      provider = credentialSourceProvider(plan, common(context));
      break;
    case 'sso':
      provider = ssoProvider(plan, context.init, context.init.ssoClientConfig, common(context));
      break;
    case 'process':
      provider = processProvider(plan.profile, plan.command, { name: 'credential-process', ...common(context) });
      break;
    case 'web-identity':
      provider = webIdentity(plan, context);
      break;
    case 'assume-role':
      provider = assumeRole(plan, context);
      break;
  }
  context.closers.push(() => provider.close());
  return provider;
}
