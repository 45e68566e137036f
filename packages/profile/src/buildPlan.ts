import type { STSClientConfig } from '@aws-sdk/client-sts';
import { fromAssumeRole } from '@credchain/assume-role';
import type { AssumeRoleParams } from '@credchain/assume-role';
import { InvalidParameterError } from '@credchain/core';
import type { CredentialProvider, CredentialSource, Logger } from '@credchain/core';
import { fromWebIdentity } from '@credchain/web-identity';
import type { AwsCredentialIdentity } from '@smithy/types';

import { cachedAssumeRole } from './cachedAssumeRole';
import { cliCacheKey } from './cliCache';
import { processProvider, staticProvider } from './credentialProcess';
import { ProfileConfigError } from './errors';
import type { FromProfileInit } from './fromProfile';
import { acquireMfaSession } from './mfaSessions';
import type { AssumeRolePlan, Plan } from './resolvePlan';
import type { ProfileCredentialProvider } from './types';

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

function environmentProvider(profile: string): ProfileCredentialProvider {
  const read = async (): Promise<AwsCredentialIdentity> => {
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new ProfileConfigError(
        profile,
        'credential_source',
        `Profile "${profile}" takes its source credentials from the environment, ` +
          'but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set',
      );
    }
    const sessionToken = process.env.AWS_SESSION_TOKEN || undefined;
    const expiration = process.env.AWS_CREDENTIAL_EXPIRATION || undefined;
    return {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
      ...(expiration === undefined ? {} : { expiration: new Date(expiration) }),
    };
  };
  const provider = (() => read()) as ProfileCredentialProvider;
  provider.refresh = read;
  provider.close = () => undefined;
  provider[Symbol.dispose] = () => provider.close();
  return provider;
}

function assumeRole(plan: AssumeRolePlan, context: BuildContext): CredentialProvider {
  const { init, logger, closers } = context;
  const source = plan.source;
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
  if (context.cliCacheDir === undefined) {
    return fromAssumeRole({ ...common(context), ...mfa, params, sourceCredentials: signer });
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
  return cachedAssumeRole({
    ...common(context),
    ...mfa,
    profile: plan.profile,
    params,
    sourceCredentials: signer,
    dir: context.cliCacheDir,
    key,
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
    case 'environment':
      return environmentProvider(plan.profile);
    case 'process':
      provider = processProvider(plan.profile, plan.command, { name: 'credential-process', ...common(context) });
      break;
    case 'web-identity':
      provider = fromWebIdentity({
        ...common(context),
        params: {
          RoleArn: plan.roleArn,
          ...(plan.roleSessionName === undefined ? {} : { RoleSessionName: plan.roleSessionName }),
        },
        webIdentityTokenFile: plan.tokenFile,
      });
      break;
    case 'assume-role':
      provider = assumeRole(plan, context);
      break;
  }
  context.closers.push(() => provider.close());
  return provider;
}
