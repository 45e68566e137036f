export { fromAssumeRoot } from './fromAssumeRoot';
export type { FromAssumeRootInit } from './fromAssumeRoot';
