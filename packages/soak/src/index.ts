export { runSoak, faultRules, outageSchedule, SOAK_START } from './runSoak';
export type { SoakOptions, SoakResult, MemberResult, HourBucket, Outage, ErrorSample } from './runSoak';
export { installSimTime } from './simTime';
export type { SimTime } from './simTime';
export { markdownReport } from './report';
export { BOUNDS, targetsOf } from './targets';
export { svgChart } from './svgChart';
export type { Targets } from './targets';
