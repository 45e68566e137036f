import { roleArn } from '../model/IdentityStore';
import type { RoleConfig, StsLocalConfig } from '../config/types';

/** The service principals an instance role must trust. */
export const INSTANCE_ROLE_SERVICES: readonly string[] = ['ec2.amazonaws.com'];
/** The service principals a task (or pod) role must trust, one of them. */
export const TASK_ROLE_SERVICES: readonly string[] = ['ecs-tasks.amazonaws.com', 'pods.eks.amazonaws.com'];

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * Checks `config.instance` and `config.container`: each names a role of the config that trusts the service which
 * hands its credentials out on AWS, as IAM refuses an instance profile or task role that EC2 or ECS may not assume.
 */
export function checkServedRoles(config: StsLocalConfig, fail: (path: string, rule: string) => never): void {
  const served = (path: string, arn: unknown, services: readonly string[]): RoleConfig => {
    if (typeof arn !== 'string') fail(path, 'must be a role ARN');
    const role = (config.roles ?? []).find((r) => roleArn(r) === arn);
    if (role === undefined) fail(path, `names ${arn}, which is not in config.roles`);
    if (!(role.trust.services ?? []).some((s) => services.includes(s)))
      fail(path, `names ${arn}, whose trust.services has none of ${services.join(', ')}`);
    return role;
  };
  const { instance, container } = config;
  if (instance !== undefined) {
    served('instance.roleArn', instance.roleArn, INSTANCE_ROLE_SERVICES);
    if (instance.instanceId !== undefined && !/^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(instance.instanceId))
      fail('instance.instanceId', 'must be i- and 8 or 17 lower-case hex digits');
    if (instance.instanceProfileName !== undefined && !/^[\w+=,.@-]{1,128}$/.test(instance.instanceProfileName))
      fail('instance.instanceProfileName', 'must match [\\w+=,.@-]{1,128}');
    if (instance.availabilityZone !== undefined && !/^[a-z]{2}-[a-z]+-\d[a-z]$/.test(instance.availabilityZone))
      fail('instance.availabilityZone', 'must be a zone name such as us-east-1a');
  }
  if (container !== undefined) {
    served('container.roleArn', container.roleArn, TASK_ROLE_SERVICES);
    if (container.sessionName !== undefined && !SESSION_NAME.test(container.sessionName))
      fail('container.sessionName', 'must match [\\w+=,.@-]{2,64}');
  }
}
