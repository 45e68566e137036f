import type { EventListener, Logger, RefreshOptions, RetryOptions } from '@credchain/core';
import { fromContainerMetadata, fromEnv, fromInstanceMetadata, fromSso } from '@credchain/sources';
import type { SsoClientConfig } from '@credchain/sources';
import type { AwsCredentialIdentity } from '@smithy/types';

import { ProfileConfigError } from './errors';
import type { Plan, SsoPlan } from './plan';
import type { ProfileCredentialProvider } from './types';

/** What the source providers share with the rest of a profile's chain. */
export interface SourceOptions {
  readonly refresh?: RefreshOptions;
  readonly retry?: RetryOptions;
  readonly logger?: Logger;
  readonly onEvent?: EventListener;
}

interface SourceLike {
  (props?: Record<string, unknown>): Promise<AwsCredentialIdentity>;
  refresh(): Promise<AwsCredentialIdentity>;
  close(): void;
}

/**
 * `inner` with its "not configured here" errors (`tryNextLink`: no keys in the environment, no
 * container URI, IMDS disabled) turned into a ProfileConfigError naming the profile and `key`: a
 * profile that names a source has configured it, and a chain must not move on to another identity
 * (botocore: "No credentials found in credential_source referenced in profile …"). Other errors (an
 * unreachable endpoint, an expired SSO session) pass as the source raised them.
 */
function namingProfile(inner: SourceLike, profile: string, key: string, what: string): ProfileCredentialProvider {
  const mapped = (error: unknown): never => {
    if ((error as { tryNextLink?: unknown } | null)?.tryNextLink === true) {
      const said = error instanceof Error ? `: ${error.message}` : '';
      throw Object.assign(
        new ProfileConfigError(profile, key, `${what} of profile "${profile}" found no credentials${said}`),
        {
          cause: error,
        },
      );
    }
    throw error;
  };
  const provider = ((props?: Record<string, unknown>) => inner(props).catch(mapped)) as ProfileCredentialProvider;
  provider.refresh = () => inner.refresh().catch(mapped);
  provider.close = () => inner.close();
  provider[Symbol.dispose] = () => provider.close();
  return provider;
}

/** `credential_source`: the environment, EC2 instance metadata or the container endpoint (botocore's sourcer). */
export function credentialSourceProvider(
  plan: Extract<Plan, { kind: 'credential-source' }>,
  options: SourceOptions,
): ProfileCredentialProvider {
  const what = `The credential_source "${plan.source}"`;
  switch (plan.source) {
    case 'Environment':
      return namingProfile(fromEnv(options), plan.profile, 'credential_source', what);
    case 'Ec2InstanceMetadata':
      return namingProfile(fromInstanceMetadata(options), plan.profile, 'credential_source', what);
    case 'EcsContainer':
      return namingProfile(fromContainerMetadata(options), plan.profile, 'credential_source', what);
  }
}

/**
 * IAM Identity Center role credentials for an SSO plan, through `fromSso`: the token `aws sso login`
 * left in ~/.aws/sso/cache (refreshed through SSO OIDC for an sso-session, as the AWS CLI does; a
 * legacy start-URL token is used as it is). The profile and files are passed too: the SDK reads the
 * profile's `sso_session` from the config file to find a session's token.
 */
export function ssoProvider(
  plan: SsoPlan,
  files: { readonly filepath?: string; readonly configFilepath?: string },
  clientConfig: SsoClientConfig | undefined,
  options: SourceOptions,
): ProfileCredentialProvider {
  const sso = fromSso({
    ...options,
    profile: plan.profile,
    ...(files.filepath === undefined ? {} : { filepath: files.filepath }),
    ...(files.configFilepath === undefined ? {} : { configFilepath: files.configFilepath }),
    ...(plan.ssoSession === undefined ? {} : { ssoSession: plan.ssoSession }),
    ssoStartUrl: plan.startUrl,
    ssoAccountId: plan.accountId,
    ssoRoleName: plan.roleName,
    ssoRegion: plan.region,
    ...(clientConfig === undefined ? {} : { clientConfig }),
  });
  const what = `The IAM Identity Center role ${plan.roleName} (sso_role_name) in sso_account_id ${plan.accountId}`;
  return namingProfile(sso, plan.profile, 'sso_account_id', what);
}
