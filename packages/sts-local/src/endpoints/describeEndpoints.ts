import type { StsLocalConfig } from '../config/types';
import type { StsLocal } from '../server/startStsLocal';

/** The banner's lines naming the IMDS and container endpoints, when they run. */
export function endpointLines(server: StsLocal): string[] {
  return [
    ...(server.imds === undefined ? [] : [`  IMDS endpoint:      ${server.imds.endpoint}   (EC2 instance metadata)`]),
    ...(server.container === undefined
      ? []
      : [`  Container endpoint: ${server.container.endpoint}   (ECS / EKS Pod Identity credentials)`]),
  ];
}

/** The instance and the task of the config, whose roles the endpoints serve. */
export function describeServedRoles(config: StsLocalConfig): string[] {
  const lines: string[] = [];
  const { instance, container } = config;
  if (instance !== undefined) {
    lines.push(
      `  EC2 instance ${instance.instanceId ?? 'i-0123456789abcdef0'} in ${instance.availabilityZone ?? 'us-east-1a'}` +
        ` — instance role ${instance.roleArn} (served with --imds)`,
    );
  }
  if (container !== undefined) {
    lines.push(
      `  container task ${container.sessionName ?? '8f1d2c3b4a5e4f6a9b0c1d2e3f4a5b6c'}` +
        ` — task role ${container.roleArn} (served with --container)`,
    );
  }
  return lines;
}

/**
 * What to export to use the endpoints from a shell. The container token is printed: it is made up by this run
 * (or given by you) and guards nothing but this local endpoint, and a shell cannot use the endpoint without it.
 */
export function endpointsTryIt(server: StsLocal): string[] {
  const lines: string[] = [];
  const check = `aws sts get-caller-identity --endpoint-url ${server.endpoint}`;
  if (server.imds !== undefined) {
    lines.push(
      `  As the instance role (IMDS; the trailing / is for the AWS CLI):`,
      `    export AWS_EC2_METADATA_SERVICE_ENDPOINT=${server.imds.env.AWS_EC2_METADATA_SERVICE_ENDPOINT}`,
      `    ${check}   # ${server.imds.sessionArn}`,
    );
  }
  if (server.container !== undefined) {
    lines.push(
      `  As the task role (container credentials; set before IMDS in the default chain):`,
      `    export AWS_CONTAINER_CREDENTIALS_FULL_URI=${server.container.endpoint}`,
      `    export AWS_CONTAINER_AUTHORIZATION_TOKEN=${server.container.authorizationToken}`,
      `    ${check}   # ${server.container.sessionArn}`,
    );
  }
  return lines;
}
