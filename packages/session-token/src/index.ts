export { fromSessionToken } from './fromSessionToken';
export type { FromSessionTokenInit } from './fromSessionToken';
