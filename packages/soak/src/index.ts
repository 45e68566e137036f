export { runSoak, faultRules, outageSchedule, SOAK_START } from './runSoak';
export type {
  SoakOptions,
  SoakResult,
  MemberResult,
  HourBucket,
  Outage,
  ErrorSample,
  StoreFleetResult,
} from './runSoak';
export { FaultyStore } from './faultyStore';
export type { StoreCounts, StoreFaultKind, StoreOutageKind } from './faultyStore';
export { STORE_FLEET_SESSION, storeOutageSchedule } from './storeFleet';
export type { StoreFleetOptions, StoreOutage } from './storeFleet';
export { installSimTime } from './simTime';
export type { SimTime } from './simTime';
export { markdownReport } from './report';
export { BOUNDS, storeFleetMet, targetsOf } from './targets';
export { svgChart } from './svgChart';
export type { StoreFleetTargets, Targets } from './targets';
