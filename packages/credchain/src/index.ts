// One import for users: every provider and the core helpers.
export * from '@credchain/core';
export { fromAssumeRole } from '@credchain/assume-role';
export type { AssumeRoleParams, FromAssumeRoleInit } from '@credchain/assume-role';
export { fromSessionToken } from '@credchain/session-token';
export type { FromSessionTokenInit } from '@credchain/session-token';
