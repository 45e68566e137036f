export { main } from './main';
export { runFromProcess } from './runFromProcess';
export { EXIT } from './exitCodes';
export type { CliIo } from './io';
