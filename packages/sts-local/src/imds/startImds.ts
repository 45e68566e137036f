import { stableId } from '../model/accessKeyId';
import { RotatingRoleCredentials } from '../endpoints/RotatingRoleCredentials';
import { type EndpointShared, type RunningEndpoint, startEndpoint } from '../endpoints/startEndpoint';
import { createImdsRouter, imdsError } from './imdsRouter';
import { ImdsTokens } from './ImdsTokens';

/** Options of the IMDS endpoint (`startStsLocal({ imds })`). */
export interface ImdsOptions {
  /** Its port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /**
   * Serve GETs that carry no token (IMDSv1; the instance's HttpTokens=optional). Off, they answer 401, as an
   * instance with HttpTokens=required does. @default false
   */
  readonly allowV1?: boolean;
}

/** The running IMDS endpoint of a started sts-local. */
export interface StsLocalImds {
  /** `http://127.0.0.1:PORT`: where it listens. */
  readonly endpoint: string;
  /**
   * The environment that points SDKs and the AWS CLI at it: `AWS_EC2_METADATA_SERVICE_ENDPOINT` is the endpoint with
   * a trailing `/`, because the AWS CLI appends `latest/api/token` to the value as it is (the JS SDK takes either).
   */
  readonly env: { readonly AWS_EC2_METADATA_SERVICE_ENDPOINT: string };
  readonly instanceId: string;
  readonly roleArn: string;
  /** The ARN its credentials sign as: `arn:aws:sts::ACCT:assumed-role/ROLE/INSTANCE-ID`. */
  readonly sessionArn: string;
  readonly allowV1: boolean;
}

/** Starts the IMDS endpoint for `config.instance`. */
export async function startImds(
  shared: EndpointShared,
  options: ImdsOptions,
): Promise<{ imds: StsLocalImds; endpoint: RunningEndpoint }> {
  const instance = shared.config.instance;
  if (instance === undefined) throw new TypeError('imds needs config.instance, the instance whose role it serves');
  const role = shared.identities.role(instance.roleArn);
  // checkConfig has made sure the role exists and trusts ec2.amazonaws.com.
  if (role === undefined) throw new TypeError(`config.instance.roleArn names ${instance.roleArn}, not in config.roles`);
  const instanceId = instance.instanceId ?? 'i-0123456789abcdef0';
  const profileName = instance.instanceProfileName ?? role.name;
  const availabilityZone = instance.availabilityZone ?? 'us-east-1a';
  const credentials = new RotatingRoleCredentials(shared.sessions, role, instanceId, shared.timeScale);
  const allowV1 = options.allowV1 ?? false;
  const endpoint = await startEndpoint({
    name: 'imds',
    host: shared.host,
    port: options.port ?? 0,
    clock: shared.clock,
    faults: shared.faults,
    calls: shared.calls,
    route: createImdsRouter({
      instance: {
        account: role.account,
        instanceId,
        roleName: role.name,
        instanceProfileArn: `arn:aws:iam::${role.account}:instance-profile/${profileName}`,
        instanceProfileId: stableId('AIPA', role.account, `instance-profile/${profileName}`),
        availabilityZone,
        region: availabilityZone.slice(0, -1),
      },
      credentials,
      tokens: new ImdsTokens(),
      allowV1,
    }),
    faultAnswer: (kind) =>
      kind === 'throttle'
        ? imdsError(429, 'Throttled', 'injected fault')
        : imdsError(kind === 'server-error' ? 500 : 503, 'InjectedFault', 'injected fault'),
  });
  const url = `http://${shared.urlHost}:${endpoint.port}`;
  return {
    endpoint,
    imds: {
      endpoint: url,
      env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: `${url}/` },
      instanceId,
      roleArn: instance.roleArn,
      sessionArn: credentials.arn,
      allowV1,
    },
  };
}
