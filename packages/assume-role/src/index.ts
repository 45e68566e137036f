export { fromAssumeRole } from './fromAssumeRole';
export type { AssumeRoleParams, FromAssumeRoleInit } from './fromAssumeRole';
