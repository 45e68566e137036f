export { runSoak, faultRules, outageSchedule, SOAK_START } from './runSoak';
export type { SoakOptions, SoakResult, MemberResult, HourBucket, Outage, ErrorSample } from './runSoak';
export { installSimTime } from './simTime';
export type { SimTime } from './simTime';
export { BOUNDS, markdownReport, svgChart, targetsOf } from './report';
export type { Targets } from './report';
