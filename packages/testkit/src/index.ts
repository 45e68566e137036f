export { motoInstalled, startMoto } from './moto';
export type { Moto } from './moto';
export { awsCliVersion, reportPeerMissing } from './peers';
