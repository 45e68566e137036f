// The helpers below need nothing but Node and jest. Those that use sts-local are in
// '@credchain/testkit/sts-local' (sts-local's own tests import this entry point).
export { REPO_ROOT, RESOLVE_SOURCES, expectReadmeShows, runExample, testReadmeExample } from './example';
export { expectNoSecret, parameterOf, rejectionOf, thrownBy } from './expectations';
export { motoInstalled, startMoto, useMoto } from './moto';
export { deepFreeze } from './deepFreeze';
export { observe } from './observe';
export type { Observed } from './observe';
export type { Moto } from './moto';
export { awsCliVersion, reportPeerMissing } from './peers';
export * from './awsCliV2';
export { describeWithRedisServer, redisServerBinary, startRedisServer } from './redisServer';
export type { RedisReply, RedisServer } from './redisServer';
export { NotSentError, causeOf, recordingHandler } from './recordingHandler';
export type { RecordingHandler } from './recordingHandler';
export { FAKE_TIMERS, until, useFakeTimers } from './timers';
