import { ALICE, callsOf, localConfig, roleArn, useStsLocal } from '@credchain/testkit/sts-local';

import { fromAssumeRole } from '../src';
import type { AssumeRoleParams } from '../src';

// Defect 1 of issue 9: params were copied one level deep, so a caller changing a nested array or
// object after creation changed what reached STS, past the checks made at creation.
const sts = useStsLocal();

test('changing nested params after creation changes nothing sent to STS', async () => {
  const params = {
    RoleArn: roleArn('demo-role'),
    RoleSessionName: 'deep-copy',
    PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    Tags: [{ Key: 'Team', Value: 'platform' }],
    TransitiveTagKeys: ['Team'],
  };
  using provider = fromAssumeRole({
    params: params as AssumeRoleParams,
    sourceCredentials: ALICE,
    clientConfig: localConfig(sts()),
  });
  params.PolicyArns[0]!.arn = 'not-an-arn';
  params.PolicyArns.push({ arn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  params.Tags[0]!.Value = 'changed';
  params.TransitiveTagKeys[0] = 'Other';
  await provider();
  const [call] = callsOf(sts(), 'AssumeRole');
  expect(call?.outcome).toBe('success');
  expect(call?.params).toMatchObject({
    'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    'Tags.member.1.Key': 'Team',
    'Tags.member.1.Value': 'platform',
    'TransitiveTagKeys.member.1': 'Team',
  });
  expect(call?.params).not.toHaveProperty('PolicyArns.member.2.arn');
});
